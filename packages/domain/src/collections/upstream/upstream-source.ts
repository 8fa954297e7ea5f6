import type { ArtifactSource, ArtifactType } from "@scriptorium/contract";
import type { UpstreamListing } from "./listing";

export class UpstreamError extends Error {
  override name = "UpstreamError";
}

/**
 * Reads the artifacts of one kind of source at one revision of its
 * upstream. A refresh or an import resolves the revision once per upstream
 * and reads every artifact of that upstream at it.
 */
export interface UpstreamSource<Source extends ArtifactSource, Revision> {
  /** The key that groups artifacts read from the same upstream at the same ref. */
  key(source: Source): string;
  revision(source: Source): Promise<Revision>;
  /** What is at the source's path in `revision`; null when nothing is there any more. */
  list(source: Source, revision: Revision): Promise<UpstreamListing | null>;
  /** The artifact's main file alone, for metadata refreshes; null when the artifact is gone. */
  readMainFile(source: Source, revision: Revision, type: ArtifactType): Promise<Buffer | null>;
  /** The bytes of the listed files (of `only` among them, when given), by path. */
  read(source: Source, revision: Revision, listing: UpstreamListing, only?: readonly string[]): Promise<Map<string, Buffer>>;
}
