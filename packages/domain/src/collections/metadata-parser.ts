import type { Offload, ParsedMetadata } from "../offload";
import { MetadataError, parseMetadata, type UpstreamMetadata } from "./metadata";

interface Waiting {
  text: string;
  resolve: (metadata: UpstreamMetadata) => void;
  reject: (error: Error) => void;
}

/**
 * Parses artifacts' main files (YAML front matter) for a refresh. With an
 * offload, the parsing runs in its worker threads: the files asked for in
 * one turn of the event loop go as one batch, so a 10 000-artifact refresh
 * reads files and writes the database here while another core parses.
 * Without one, it parses here.
 */
export class MetadataParser {
  private waiting: Waiting[] = [];

  constructor(private readonly offload: Offload | null) {}

  parse(text: string): Promise<UpstreamMetadata> {
    if (!this.offload) return Promise.resolve().then(() => parseMetadata(text));
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush());
      this.waiting.push({ text, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const parsed = (await this.offload?.run({ kind: "parse-metadata", texts: batch.map((item) => item.text) })) as ParsedMetadata[];
      batch.forEach((item, index) => {
        const result = parsed[index];
        if (result && "metadata" in result) item.resolve(result.metadata);
        else item.reject(new MetadataError(result?.error ?? "The main file could not be parsed."));
      });
    } catch (error) {
      for (const item of batch) item.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
