"use client";

import { diffLines, diffWordsWithSpace, type Change } from "diff";
import { Fragment } from "react";
import { formatNumber } from "@/lib/projects";
import { cn } from "@/lib/utils";

/** Unchanged lines kept around each change; longer unchanged runs fold into one line. */
const CONTEXT_LINES = 3;

const KEY_LABELS: Record<string, string> = { pov: "Point of view", target_words: "Words", with: "With" };

function labelOf(key: string): string {
  const label = KEY_LABELS[key] ?? key.replaceAll("_", " ");
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/**
 * A planning stage's document as lines a writer reads ("Name: Mara Vell"),
 * in the document's own order, so that a diff of two versions shows what
 * changed in words rather than in JSON punctuation.
 */
export function documentText(document: unknown): string {
  return documentLines(document, "").join("\n");
}

function documentLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}(none)`];
    return value.flatMap((item) => {
      const [first = "", ...rest] = documentLines(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, field]) =>
      typeof field === "object" && field !== null ? [`${indent}${labelOf(key)}:`, ...documentLines(field, `${indent}  `)] : [`${indent}${labelOf(key)}: ${String(field)}`],
    );
  }
  return [`${indent}${String(value)}`];
}

type DiffRow = { kind: "added" | "removed" | "same"; text: string } | { kind: "folded"; lines: number };

/** The changes' lines, with unchanged runs longer than the context around them folded. */
function diffRows(changes: readonly Change[]): DiffRow[] {
  const rows: DiffRow[] = [];
  changes.forEach((change, index) => {
    const lines = change.value.replace(/\n$/, "").split("\n");
    if (change.added || change.removed) {
      for (const text of lines) rows.push({ kind: change.added ? "added" : "removed", text });
      return;
    }
    const keepBefore = index > 0 ? CONTEXT_LINES : 0;
    const keepAfter = index < changes.length - 1 ? CONTEXT_LINES : 0;
    if (lines.length <= keepBefore + keepAfter + 1) {
      for (const text of lines) rows.push({ kind: "same", text });
      return;
    }
    for (const text of lines.slice(0, keepBefore)) rows.push({ kind: "same", text });
    rows.push({ kind: "folded", lines: lines.length - keepBefore - keepAfter });
    for (const text of lines.slice(lines.length - keepAfter)) rows.push({ kind: "same", text });
  });
  return rows;
}

const ROW_STYLES = {
  added: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  removed: "bg-red-50 text-red-900 line-through decoration-red-400/60 dark:bg-red-950 dark:text-red-200",
  same: "text-muted-foreground",
} as const;

const ROW_MARKS = { added: "+", removed: "−", same: " " } as const;
const ROW_NAMES = { added: "Added", removed: "Removed", same: "Unchanged" } as const;

/** Two versions of a document, line by line: removed lines struck through in red, added ones in green. */
export function LineDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const changes = diffLines(before, after);
  const rows = diffRows(changes);
  const added = changes.filter((change) => change.added).reduce((total, change) => total + (change.count ?? 0), 0);
  const removed = changes.filter((change) => change.removed).reduce((total, change) => total + (change.count ?? 0), 0);
  return (
    <figure className="grid gap-2">
      <figcaption className="text-xs text-muted-foreground">
        {added === 0 && removed === 0 ? "The two versions are the same." : `${formatNumber(removed)} lines removed, ${formatNumber(added)} added.`}
      </figcaption>
      <ol className="overflow-x-auto rounded-md border font-mono text-xs leading-5" aria-label={label}>
        {rows.map((row, index) =>
          row.kind === "folded" ? (
            <li key={index} className="bg-muted/40 px-3 py-0.5 text-center text-muted-foreground italic">
              {formatNumber(row.lines)} unchanged lines
            </li>
          ) : (
            <li key={index} className={cn("flex gap-2 px-3 whitespace-pre-wrap", ROW_STYLES[row.kind])} aria-label={`${ROW_NAMES[row.kind]}: ${row.text.trim()}`}>
              <span className="w-3 shrink-0 select-none" aria-hidden="true">
                {ROW_MARKS[row.kind]}
              </span>
              <span className="min-w-0">{row.text}</span>
            </li>
          ),
        )}
      </ol>
    </figure>
  );
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== "").length;
}

/** Two versions of a scene's prose, word by word, in reading form: deletions struck through, insertions underlined. */
export function WordDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const changes = diffWordsWithSpace(before, after);
  const added = changes.filter((change) => change.added).reduce((total, change) => total + countWords(change.value), 0);
  const removed = changes.filter((change) => change.removed).reduce((total, change) => total + countWords(change.value), 0);
  return (
    <figure className="grid gap-2">
      <figcaption className="text-xs text-muted-foreground">
        {added === 0 && removed === 0 ? "The two texts are the same." : `${formatNumber(removed)} words removed, ${formatNumber(added)} added.`}
      </figcaption>
      <div className="max-h-[50dvh] overflow-y-auto rounded-md border p-4 font-serif text-[0.95rem] leading-7 whitespace-pre-wrap" aria-label={label} role="region">
        {changes.map((change, index) => (
          <Fragment key={index}>
            {change.added ? (
              <ins className="bg-emerald-100 text-emerald-950 decoration-emerald-500 dark:bg-emerald-900 dark:text-emerald-50" aria-label={`Added: ${change.value.trim()}`}>
                {change.value}
              </ins>
            ) : change.removed ? (
              <del className="bg-red-100 text-red-950 decoration-red-500 dark:bg-red-900 dark:text-red-50" aria-label={`Removed: ${change.value.trim()}`}>
                {change.value}
              </del>
            ) : (
              change.value
            )}
          </Fragment>
        ))}
      </div>
    </figure>
  );
}
