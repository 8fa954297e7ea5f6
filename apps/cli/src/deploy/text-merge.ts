import { diff3Merge, diffComm } from "node-diff3";
import { linesOf } from "@scriptorium/contract";

/**
 * Line merges of a deployed file, with the conflict markers people know
 * from git: `<<<<<<< local`, `=======`, `>>>>>>> collection`.
 */

export const MARKERS = { local: "<<<<<<< local", separator: "=======", collection: ">>>>>>> collection" } as const;

export interface TextMerge {
  text: string;
  /** Whether `text` holds conflict markers. */
  conflict: boolean;
}

/** Lines end with a newline before a marker line follows them. */
function block(lines: string[]): string {
  const text = lines.join("");
  return text === "" || text.endsWith("\n") ? text : `${text}\n`;
}

function conflictBlock(local: string[], collection: string[]): string {
  return `${MARKERS.local}\n${block(local)}${MARKERS.separator}\n${block(collection)}${MARKERS.collection}\n`;
}

/** Which side settles every conflict (`--keep-local`, `--take-collection`); without one, conflicts are marked. */
export type Prefer = "local" | "collection" | undefined;

function settle(local: string[], collection: string[], prefer: Prefer): { text: string; marked: boolean } {
  if (prefer === "local") return { text: local.join(""), marked: false };
  if (prefer === "collection") return { text: collection.join(""), marked: false };
  return { text: conflictBlock(local, collection), marked: true };
}

/** Three-way: `base` as deployed, `local` as it is here, `collection` as the collection has it now. */
export function mergeThreeWay(base: string, local: string, collection: string, prefer: Prefer): TextMerge {
  const regions = diff3Merge(linesOf(local), linesOf(base), linesOf(collection), { excludeFalseConflicts: true });
  let conflict = false;
  const parts = regions.map((region) => {
    if (!region.conflict) return (region.ok ?? []).join("");
    const settled = settle(region.conflict.a, region.conflict.b, prefer);
    conflict ||= settled.marked;
    return settled.text;
  });
  return { text: parts.join(""), conflict };
}

/**
 * Two-way, for files the deploy converted (their deployed form is no blob
 * of the collection, so there is no base to merge from): lines both sides
 * have are kept, and every stretch where they differ is a conflict.
 */
export function mergeTwoWay(local: string, collection: string, prefer: Prefer): TextMerge {
  let conflict = false;
  const parts = diffComm(linesOf(local), linesOf(collection)).map((part) => {
    if (part.common) return part.common.join("");
    const settled = settle(part.buffer1, part.buffer2, prefer);
    conflict ||= settled.marked;
    return settled.text;
  });
  return { text: parts.join(""), conflict };
}

/**
 * A file's conflict blocks decided one way, everything else as it is (the
 * clean merges around them and any edits made since).
 */
export function resolveMarkers(text: string, side: "local" | "collection"): string {
  let region: "outside" | "local" | "collection" = "outside";
  const kept: string[] = [];
  for (const line of linesOf(text)) {
    const bare = line.replace(/\r?\n$/, "");
    if (region === "outside" && bare === MARKERS.local) region = "local";
    else if (region === "local" && bare === MARKERS.separator) region = "collection";
    else if (region === "collection" && bare === MARKERS.collection) region = "outside";
    else if (region === "outside" || region === side) kept.push(line);
  }
  return kept.join("");
}

/** Whether a file still holds the markers an update wrote into it. */
export function hasConflictMarkers(text: string): boolean {
  return new RegExp(`^${MARKERS.local}\\r?$`, "m").test(text) && new RegExp(`^${MARKERS.collection}\\r?$`, "m").test(text);
}
