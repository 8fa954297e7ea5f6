import { z } from "zod";
import { CONTENT_LIMITS, FINDING_SEVERITIES } from "./values";

/**
 * Why a path cannot name a file of an artifact, or null when it can: the
 * same rule for upstream paths and edits. Relative, `/`-separated, no empty,
 * `.` or `..` segment, nothing inside `.git/`, no NUL or backslash, at most
 * CONTENT_LIMITS.pathBytes.
 */
export function filePathProblem(path: string): string | null {
  if (path.length === 0) return "is empty";
  if (path.includes("\u0000")) return "contains a NUL character";
  if (new TextEncoder().encode(path).length > CONTENT_LIMITS.pathBytes) return `is longer than ${CONTENT_LIMITS.pathBytes} bytes`;
  if (path.startsWith("/") || /^[a-zA-Z]:/.test(path)) return "is absolute; give a path relative to the artifact";
  if (path.includes("\\")) return "contains a backslash; separate folders with /";
  const segments = path.split("/");
  if (segments.some((segment) => segment === "" || segment === ".")) return "has an empty or '.' segment";
  if (segments.includes("..")) return "has a '..' segment";
  if (segments.some((segment) => segment.toLowerCase() === ".git")) return "lies inside .git/";
  return null;
}

/** What a sync does with a file changed both here and upstream in ways that cannot be merged. */
export const ON_CONFLICT = ["skip", "keep_local", "take_upstream"] as const;
export const OnConflict = z
  .enum(ON_CONFLICT)
  .meta({
    id: "OnConflict",
    description:
      "skip (default): an artifact with a conflict is left as it is; keep_local / take_upstream: every conflicting file is decided that way (clean merges still apply)",
  });
export type OnConflict = z.infer<typeof OnConflict>;

/** How an available update would land: no local edits (fast_forward), merged without conflict (clean), or not without a decision (conflict). */
export const MERGE_KINDS = ["fast_forward", "clean", "conflict"] as const;
export type MergeKind = (typeof MERGE_KINDS)[number];

/** Why a file cannot be merged: overlapping line edits, a binary changed on both sides, deleted on one side and modified on the other, added on both with different content. */
export const CONFLICT_KINDS = ["content", "binary", "delete_modify", "add_add"] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

export const FILE_CHANGES = ["added", "modified", "deleted"] as const;
export type FileChange = (typeof FILE_CHANGES)[number];

/** Machine-readable reasons on refresh entries, beside the free-text `reason`. */
export const REASON_CODES = ["pinned", "local_conflict", "security_review", "locally_modified", "upstream_missing", "unchanged_upstream", "error"] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const FindingSeverity = z.enum(FINDING_SEVERITIES).meta({ id: "FindingSeverity" });
export type FindingSeverity = z.infer<typeof FindingSeverity>;

/** What the security review found in one file of an artifact. */
export const Finding = z
  .object({
    rule_id: z.string(),
    severity: FindingSeverity,
    path: z.string(),
    line: z.number().int().meta({ description: "1-based; 0 when the finding is about the whole file" }),
    excerpt: z.string().meta({ description: "The matched text, cut to 200 characters" }),
    message: z.string(),
  })
  .meta({ id: "Finding" });
export type Finding = z.infer<typeof Finding>;
