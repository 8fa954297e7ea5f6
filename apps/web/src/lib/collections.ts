import type { RouterOutputs } from "@scriptorium/api";
import type { ArtifactType } from "@scriptorium/contract";

export type Collection = RouterOutputs["collections"]["get"];
export type Artifact = RouterOutputs["artifacts"]["list"]["items"][number];
export type RefreshResult = RouterOutputs["collections"]["refresh"];
export type RefreshEntry = RefreshResult["result"]["entries"][number];
export type Snapshot = RouterOutputs["collections"]["snapshots"]["items"][number];

export const ARTIFACT_TYPE_LABELS: Record<ArtifactType, string> = {
  skill: "Skill",
  command: "Command",
  agent: "Agent",
  hook: "Hook",
  mcp: "MCP server",
  workflow: "Workflow",
};

/** The collection page's address; a query string, as the static export has no dynamic segments. */
export function collectionHref(collectionId: string): string {
  return `/collections/view?id=${encodeURIComponent(collectionId)}`;
}

const HASH_LENGTH_SHOWN = 12;
const LONG_HASH = /^[0-9a-f]{16,}$/i;

/** Commits and content hashes are 40 or 64 hex digits; their first 12 are enough to tell them apart. */
export function shortenHash(text: string): string {
  return LONG_HASH.test(text) ? text.slice(0, HASH_LENGTH_SHOWN) : text;
}

/** The version to show for an artifact: its declared version, else the start of the commit or content hash it came from. */
export function displayVersion(artifact: Artifact): string {
  return artifact.metadata.version ?? artifact.resolved_version.slice(0, 10);
}

/** One changed value, readable in a single line: strings as they are, anything else as JSON, hashes shortened. */
export function formatChangeValue(value: unknown): string {
  if (value === undefined || value === null) return "none";
  if (typeof value === "string") return shortenHash(value);
  return JSON.stringify(value);
}

export interface ChangeLine {
  field: string;
  from: string;
  to: string;
}

/**
 * The `field: old → new` lines of a refresh entry. A content change carries
 * no values of its own: it is shown as the version it moves from and to
 * (the commit, or the content hash of a local source).
 */
export function changeLines(entry: RefreshEntry): ChangeLine[] {
  return entry.changes.map((field) => {
    if (field === "content") {
      return {
        field,
        from: formatChangeValue(entry.old_values.resolved_version ?? entry.current_version),
        to: formatChangeValue(entry.new_values.resolved_version ?? entry.upstream_version),
      };
    }
    return { field, from: formatChangeValue(entry.old_values[field]), to: formatChangeValue(entry.new_values[field]) };
  });
}

/** "1 artifact", "3 artifacts". */
export function pluralize(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "340 ms", "1.2 s". */
export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}
