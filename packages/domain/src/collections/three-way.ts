import { FILE_HEADERS_ONLY, formatPatch, structuredPatch, type StructuredPatch } from "diff";
import { diff3Merge } from "node-diff3";
import { CONTENT_LIMITS, linesOf, textOf, type ConflictKind, type FileChange, type OnConflict, type StoredFile } from "@scriptorium/contract";
import { blobHash } from "./blob-store";

/** Reads a file's bytes by content hash (from upstream content just read, or the blob store). */
export type ContentReader = (sha256: string) => Promise<Buffer>;

/** A file changed here and upstream in ways a line merge cannot settle. */
export interface MergeConflict {
  path: string;
  kind: ConflictKind;
  baseSha256: string | null;
  oursSha256: string | null;
  theirsSha256: string | null;
}

export interface MergeOutcome {
  /** The merged stored copy, by path; conflicting files decided by `onConflict` (for "skip": kept as ours). */
  files: StoredFile[];
  /** Bytes of files the merge itself produced (line merges), by content hash: to be stored with the result. */
  produced: Map<string, Buffer>;
  conflicts: MergeConflict[];
}

/** One file's change from the stored copy to what a refresh would make of it. */
export interface FileChangeSummary {
  path: string;
  change: FileChange;
  additions: number;
  deletions: number;
  /** Unified diff (3 lines of context), with `includeDiff` and for text files only. */
  patch?: string;
  /** The patch was cut at CONTENT_LIMITS.patchBytes. */
  truncated?: true;
}

function sameFile(a: StoredFile | undefined, b: StoredFile | undefined): boolean {
  if (!a || !b) return a === b;
  return a.sha256 === b.sha256 && a.executable === b.executable;
}

function byPath(files: readonly StoredFile[]): Map<string, StoredFile> {
  return new Map(files.map((file) => [file.path, file]));
}

/** The merge of one file changed on both sides: merged bytes, or why it conflicts. */
async function mergeFile(base: StoredFile, ours: StoredFile, theirs: StoredFile, read: ContentReader): Promise<{ merged: Buffer } | { conflict: ConflictKind }> {
  const [baseText, oursText, theirsText] = (await Promise.all([read(base.sha256), read(ours.sha256), read(theirs.sha256)])).map(textOf);
  if (baseText == null || oursText == null || theirsText == null) return { conflict: "binary" };
  const regions = diff3Merge(linesOf(oursText), linesOf(baseText), linesOf(theirsText), { excludeFalseConflicts: true });
  if (regions.some((region) => region.conflict)) return { conflict: "content" };
  return { merged: Buffer.from(regions.flatMap((region) => region.ok ?? []).join(""), "utf8") };
}

/**
 * The three-way merge of an artifact's files: `base` as upstream had them
 * at the last import or sync, `ours` the stored copy, `theirs` the new
 * upstream. A file changed on one side takes that side; changed on both,
 * its lines are merged (diff3); what cannot be merged is a conflict,
 * decided by `onConflict` ("skip" keeps ours, and the caller leaves the
 * artifact alone).
 */
export async function mergeThreeWay(
  base: readonly StoredFile[],
  ours: readonly StoredFile[],
  theirs: readonly StoredFile[],
  read: ContentReader,
  onConflict: OnConflict,
): Promise<MergeOutcome> {
  const baseFiles = byPath(base);
  const ourFiles = byPath(ours);
  const theirFiles = byPath(theirs);
  const paths = [...new Set([...baseFiles.keys(), ...ourFiles.keys(), ...theirFiles.keys()])].sort();
  const files: StoredFile[] = [];
  const produced = new Map<string, Buffer>();
  const conflicts: MergeConflict[] = [];
  for (const path of paths) {
    const b = baseFiles.get(path);
    const o = ourFiles.get(path);
    const t = theirFiles.get(path);
    let result: StoredFile | undefined;
    if (sameFile(o, t) || sameFile(b, t)) result = o;
    else if (sameFile(b, o)) result = t;
    else {
      let kind: ConflictKind;
      if (!b) kind = "add_add";
      else if (!o || !t) kind = "delete_modify";
      else {
        const merged = await mergeFile(b, o, t, read);
        if ("merged" in merged) {
          const sha256 = blobHash(merged.merged);
          produced.set(sha256, merged.merged);
          // The side that changed the executable bit decides it.
          const executable = o.executable !== b.executable ? o.executable : t.executable;
          files.push({ path, sha256, size: merged.merged.length, executable });
          continue;
        }
        kind = merged.conflict;
      }
      conflicts.push({ path, kind, baseSha256: b?.sha256 ?? null, oursSha256: o?.sha256 ?? null, theirsSha256: t?.sha256 ?? null });
      result = onConflict === "take_upstream" ? t : o;
    }
    if (result) files.push(result);
  }
  return { files, produced, conflicts };
}

/** Paths whose file differs between two versions of an artifact (added, deleted or changed), sorted. */
export function differingPaths(from: readonly StoredFile[], to: readonly StoredFile[]): string[] {
  const before = byPath(from);
  const after = byPath(to);
  return [...new Set([...before.keys(), ...after.keys()])].filter((path) => !sameFile(before.get(path), after.get(path))).sort();
}

/** Line counts up to which a diff is computed at once; larger files are diffed in steps, so the server keeps answering meanwhile. */
const SYNC_DIFF_LINES = 4_000;
/** How long one file's diff may take; beyond it the change is shown as a whole-file replacement. */
const DIFF_TIMEOUT_MS = 2_000;

function lineCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}

/** Every old line removed and every new line added, for a diff that would take too long to compute line by line. */
function replacement(path: string, oldText: string, newText: string): StructuredPatch {
  const split = (text: string) => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));
  const removed = split(oldText);
  const added = split(newText);
  return {
    oldFileName: `a/${path}`,
    newFileName: `b/${path}`,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: [
      {
        oldStart: removed.length === 0 ? 0 : 1,
        oldLines: removed.length,
        newStart: added.length === 0 ? 0 : 1,
        newLines: added.length,
        lines: [...removed.map((line) => `-${line}`), ...added.map((line) => `+${line}`)],
      },
    ],
  };
}

/** The unified diff of one text file, 3 lines of context; bounded in time. */
function lineDiff(path: string, oldText: string, newText: string): Promise<StructuredPatch> {
  const names = [`a/${path}`, `b/${path}`] as const;
  if (lineCount(oldText) + lineCount(newText) <= SYNC_DIFF_LINES) {
    return Promise.resolve(structuredPatch(names[0], names[1], oldText, newText, undefined, undefined, { context: 3, timeout: DIFF_TIMEOUT_MS }) ?? replacement(path, oldText, newText));
  }
  return new Promise((resolve) => {
    structuredPatch(names[0], names[1], oldText, newText, undefined, undefined, {
      context: 3,
      timeout: DIFF_TIMEOUT_MS,
      callback: (patch) => resolve(patch ?? replacement(path, oldText, newText)),
    });
  });
}

function cutPatch(patch: string): { patch: string; truncated?: true } {
  if (Buffer.byteLength(patch, "utf8") <= CONTENT_LIMITS.patchBytes) return { patch };
  // Cut at a line end within the limit, so the patch stays readable.
  const cut = Buffer.from(patch, "utf8").subarray(0, CONTENT_LIMITS.patchBytes).toString("utf8");
  const end = cut.lastIndexOf("\n");
  return { patch: end >= 0 ? cut.slice(0, end + 1) : "", truncated: true };
}

/**
 * What changes from `from` (the stored copy) to `to` (what a refresh would
 * make of it), file by file, with line counts for text files and, with
 * `includeDiff`, unified diffs.
 */
export async function fileChanges(from: readonly StoredFile[], to: readonly StoredFile[], read: ContentReader, includeDiff: boolean): Promise<FileChangeSummary[]> {
  const before = byPath(from);
  const after = byPath(to);
  const changes: FileChangeSummary[] = [];
  for (const path of differingPaths(from, to)) {
    const old = before.get(path);
    const next = after.get(path);
    const change: FileChange = !old ? "added" : !next ? "deleted" : "modified";
    const [oldText, newText] = await Promise.all([old ? read(old.sha256).then(textOf) : "", next ? read(next.sha256).then(textOf) : ""]);
    if (oldText === null || newText === null || (old && next && old.sha256 === next.sha256)) {
      // A binary, or only the executable bit changed: no lines to count.
      changes.push({ path, change, additions: 0, deletions: 0 });
      continue;
    }
    const structured = await lineDiff(path, oldText, newText);
    let additions = 0;
    let deletions = 0;
    for (const hunk of structured.hunks) {
      for (const line of hunk.lines) {
        if (line.startsWith("+")) additions += 1;
        else if (line.startsWith("-")) deletions += 1;
      }
    }
    changes.push({ path, change, additions, deletions, ...(includeDiff ? cutPatch(formatPatch(structured, FILE_HEADERS_ONLY)) : {}) });
  }
  return changes;
}
