import picomatch from "picomatch";
import type { ArtifactType } from "@scriptorium/contract";
import type { ArtifactRow } from "@scriptorium/db";

/** Which artifacts a listing or a refresh covers; an empty filter covers all. */
export interface ArtifactFilter {
  type?: ArtifactType | undefined;
  /** Glob, case-insensitive, e.g. `canvas*`. */
  namePattern?: string | undefined;
}

export function matcherFor(filter: ArtifactFilter): (artifact: Pick<ArtifactRow, "type" | "name">) => boolean {
  const matchName = filter.namePattern ? picomatch(filter.namePattern, { nocase: true, dot: true }) : null;
  return (artifact) => (!filter.type || artifact.type === filter.type) && (!matchName || matchName(artifact.name));
}
