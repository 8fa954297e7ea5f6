import type { Offload } from "../offload";
import { MetadataError, parseMetadata, type ParsedMetadata, type UpstreamMetadata } from "./front-matter";

interface Waiting {
  text: string;
  resolve: (metadata: UpstreamMetadata) => void;
  reject: (error: Error) => void;
}

/**
 * Parses the main files (YAML front matter) of one refresh. With an
 * offload, the files asked for in one turn of the event loop go to it as
 * one `parse-metadata` task, which names how many artifacts the refresh
 * has: where that task runs (here, or on another thread) is the offload's
 * choice. Each file still gets its own result or its own MetadataError,
 * with the message parsing here would give. Without an offload it parses
 * here, each file as it is asked for.
 */
export class MetadataParser {
  private waiting: Waiting[] = [];

  constructor(
    private readonly offload: Offload | null,
    /** Artifacts in the refresh: a small one may not be worth another thread. */
    private readonly artifacts: number,
  ) {}

  parse(text: string): Promise<UpstreamMetadata> {
    const offload = this.offload;
    if (!offload) {
      try {
        return Promise.resolve(parseMetadata(text));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => void this.flush(offload));
      this.waiting.push({ text, resolve, reject });
    });
  }

  private async flush(offload: Offload): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    try {
      const parsed = (await offload.run({ kind: "parse-metadata", texts: batch.map((item) => item.text), artifacts: this.artifacts })) as ParsedMetadata[];
      batch.forEach((item, index) => {
        const result = parsed[index];
        if (result && "metadata" in result) item.resolve(result.metadata);
        else item.reject(new MetadataError(result ? result.error : "The main file was not parsed."));
      });
    } catch (error) {
      for (const item of batch) item.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
