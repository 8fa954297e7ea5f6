import { performance } from "node:perf_hooks";
import type { ArtifactType } from "@scriptorium/contract";
import pLimit from "p-limit";
import { parseMetadata, type UpstreamMetadata } from "./front-matter";
import type { LocalBounds } from "./upstream/local-bounds";
import { LocalFileReader } from "./upstream/local-files";
import { readLocalMainFile, type LocalArtifactSource } from "./upstream/local-source";

/** One artifact of a metadata refresh whose upstream is a local folder or file. */
export interface LocalMetadataRequest {
  source: LocalArtifactSource;
  type: ArtifactType;
}

/**
 * What its main file says (`metadata`), that it is gone (`missing`), or why
 * it could not be read or parsed (`error`, the message an entry shows); `ms`
 * is the time this artifact took.
 */
export type LocalMetadataResult = { metadata: UpstreamMetadata; ms: number } | { missing: true; ms: number } | { error: string; ms: number };

/** Artifacts read at once within one batch, as a refresh reads them inline. */
const READ_CONCURRENCY = 32;

/**
 * Reads and parses the main files of a batch of local artifacts, within
 * `bounds`, answering in the same order. Plain data in and out: a large
 * refresh runs this on a worker thread of its own, a batch of hundreds of
 * artifacts per message, so that neither the reads (with their checks
 * against symlinks) nor the YAML parsing hold the event loop.
 */
export async function readLocalMetadata(bounds: LocalBounds, items: readonly LocalMetadataRequest[]): Promise<LocalMetadataResult[]> {
  const revision = { files: new LocalFileReader(), bounds };
  const limit = pLimit(READ_CONCURRENCY);
  return Promise.all(
    items.map((item) =>
      limit(async (): Promise<LocalMetadataResult> => {
        const started = performance.now();
        try {
          const content = await readLocalMainFile(item.source, revision, item.type);
          if (!content) return { missing: true, ms: performance.now() - started };
          return { metadata: parseMetadata(content.toString("utf8")), ms: performance.now() - started };
        } catch (error) {
          return { error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
        }
      }),
    ),
  );
}
