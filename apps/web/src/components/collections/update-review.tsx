"use client";

import { AlertTriangleIcon, ChevronRightIcon, FileDiffIcon, GitMergeIcon, LoaderCircleIcon, RefreshCwIcon, ShieldAlertIcon, ShieldCheckIcon } from "lucide-react";
import Link from "next/link";
import { useId, useState } from "react";
import { ON_CONFLICT, type ConflictKind, type MergeKind, type OnConflict } from "@scriptorium/contract";
import { ArtifactTypeBadge } from "@/components/collections/artifact-type-badge";
import { FindingsSummaryBadges } from "@/components/collections/finding-badges";
import { FindingRow } from "@/components/collections/security-review";
import { FormError } from "@/components/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { artifactHref } from "@/lib/artifact-files";
import { pluralize, shortenHash, type RefreshEntry } from "@/lib/collections";
import { compareFindings, findingKey, summarize, type Finding } from "@/lib/findings";
import { cn } from "@/lib/utils";

type FileChangeItem = NonNullable<RefreshEntry["files_changed"]>[number];
type ConflictItem = NonNullable<RefreshEntry["conflicts"]>[number];

export const MERGE_DETAILS: Record<MergeKind, { label: string; variant: "secondary" | "blue" | "red"; description: string }> = {
  fast_forward: { label: "fast-forward", variant: "secondary", description: "No edits here: upstream's files are taken as they are." },
  clean: { label: "merges with your edits", variant: "blue", description: "Edited here and upstream in different places: both are kept." },
  conflict: { label: "conflict", variant: "red", description: "Edited here and upstream in the same place: needs a decision." },
};

const CONFLICT_LABELS: Record<ConflictKind, string> = {
  content: "both changed the same lines",
  binary: "binary file changed on both sides",
  delete_modify: "deleted on one side, changed on the other",
  add_add: "added on both sides with different content",
};

export const ON_CONFLICT_DETAILS: Record<OnConflict, { label: string; description: string }> = {
  skip: { label: "Skip conflicting artifacts", description: "They stay exactly as they are; every other update is applied." },
  keep_local: { label: "Keep my version", description: "Conflicting files keep what was edited here; the rest of each update still applies." },
  take_upstream: {
    label: "Take upstream’s version",
    description: "Conflicting files take upstream's content; the edits to them are replaced (the snapshot taken before the sync keeps them).",
  },
};

/** Whether a refresh entry carries anything to review: file changes, conflicts, or findings of the security review. */
export function hasReview(entry: RefreshEntry): boolean {
  return (
    (entry.files_changed?.length ?? 0) > 0 ||
    (entry.conflicts?.length ?? 0) > 0 ||
    (entry.findings_added?.length ?? 0) > 0 ||
    (entry.findings_removed?.length ?? 0) > 0
  );
}

/** The high findings an update brings: a sync holds it back unless each of them is accepted. */
export function highFindingsAdded(entry: RefreshEntry): Finding[] {
  return (entry.findings_added ?? []).filter((finding) => finding.severity === "high");
}

/** Whether a check's update would be held back by the security review, given the findings accepted so far. */
export function isHeldBack(entry: RefreshEntry, accepted: ReadonlySet<string>): boolean {
  return highFindingsAdded(entry).some((finding) => !accepted.has(findingKey(finding)));
}

/** High findings the person accepts before a sync, by `<rule_id>@<path>`; absent where nothing can be accepted (a sync's result). */
export interface FindingAcceptance {
  accepted: ReadonlySet<string>;
  onToggle: (key: string, accept: boolean) => void;
  disabled: boolean;
}

interface UpdateReviewProps {
  entries: RefreshEntry[];
  collectionId: string;
  applied: boolean;
  acceptance?: FindingAcceptance | undefined;
}

/** Each artifact's changes, file by file with its diff, merges, conflicts and findings marked: what to read before running a sync. */
export function UpdateReview({ entries, collectionId, applied, acceptance }: UpdateReviewProps) {
  const headingId = useId();
  const fileCount = entries.reduce((sum, entry) => sum + (entry.files_changed?.length ?? 0), 0);
  // Open every diff when there are few to read; many are opened one by one.
  const openDiffs = fileCount <= 12;
  return (
    <section className="grid grid-cols-1 gap-3" aria-labelledby={headingId}>
      <h4 id={headingId} className="flex items-center gap-2 text-sm font-semibold">
        <FileDiffIcon className="size-4" aria-hidden="true" />
        {applied ? "What changed" : "Changes to review"}
      </h4>
      {entries.map((entry) => (
        <EntryReview key={entry.artifact_id} entry={entry} collectionId={collectionId} openDiffs={openDiffs} acceptance={acceptance} />
      ))}
    </section>
  );
}

function EntryReview({
  entry,
  collectionId,
  openDiffs,
  acceptance,
}: {
  entry: RefreshEntry;
  collectionId: string;
  openDiffs: boolean;
  acceptance: FindingAcceptance | undefined;
}) {
  const headingId = useId();
  const files = entry.files_changed ?? [];
  const conflicts = entry.conflicts ?? [];
  const additions = files.reduce((sum, file) => sum + file.additions, 0);
  const deletions = files.reduce((sum, file) => sum + file.deletions, 0);
  const merge = entry.merge ? MERGE_DETAILS[entry.merge] : null;
  const skippedForConflict = entry.reason_code === "local_conflict";
  const skippedForReview = entry.reason_code === "security_review";
  const highAdded = highFindingsAdded(entry);
  // In a check's review: held back unless every high finding it adds is ticked.
  const heldBack = acceptance !== undefined && highAdded.length > 0 && isHeldBack(entry, acceptance.accepted);
  const allAccepted = acceptance !== undefined && highAdded.length > 0 && !heldBack;
  return (
    <article
      aria-labelledby={headingId}
      className={cn(
        "overflow-hidden rounded-lg border bg-background",
        (entry.merge === "conflict" || skippedForConflict || skippedForReview || heldBack) && "border-red-300 dark:border-red-900",
      )}
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-b bg-muted/30 px-4 py-2.5">
        <h5 id={headingId} className="font-medium">
          <Link href={artifactHref(collectionId, entry.artifact_id)} className="underline-offset-4 hover:underline">
            {entry.name}
          </Link>
        </h5>
        <ArtifactTypeBadge type={entry.type} />
        {merge ? (
          <Badge variant={merge.variant} title={merge.description}>
            {entry.merge === "conflict" ? <AlertTriangleIcon aria-hidden="true" /> : entry.merge === "clean" ? <GitMergeIcon aria-hidden="true" /> : null}
            {merge.label}
          </Badge>
        ) : null}
        {skippedForConflict ? (
          <Badge variant="red">
            <AlertTriangleIcon aria-hidden="true" />
            skipped: conflicts with your edits
          </Badge>
        ) : null}
        {skippedForReview ? (
          <Badge variant="red">
            <ShieldAlertIcon aria-hidden="true" />
            skipped: held back by the security review
          </Badge>
        ) : heldBack ? (
          <Badge variant="red" title="A sync leaves this artifact as it is unless every high finding the update adds is accepted below.">
            <ShieldAlertIcon aria-hidden="true" />
            held back by the security review
          </Badge>
        ) : allAccepted ? (
          <Badge variant="amber" title="The sync applies this update with the high findings you accepted below.">
            <ShieldCheckIcon aria-hidden="true" />
            high findings accepted
          </Badge>
        ) : null}
        {files.length > 0 ? (
          <span className="text-xs text-muted-foreground">
            {pluralize(files.length, "file")} · <span className="text-emerald-700 dark:text-emerald-400">+{additions}</span>{" "}
            <span className="text-red-700 dark:text-red-400">−{deletions}</span>
          </span>
        ) : null}
      </header>
      <div className="grid grid-cols-1 gap-3 p-3 sm:p-4">
        {merge && entry.merge !== "fast_forward" ? <p className="text-xs text-muted-foreground">{merge.description}</p> : null}
        {conflicts.length > 0 ? <ConflictList conflicts={conflicts} /> : null}
        <FindingChanges entry={entry} acceptance={acceptance} />
        {files.map((file) => (
          <FileChangeView key={file.path} file={file} open={openDiffs} />
        ))}
      </div>
    </article>
  );
}

/** What the update changes in the security review: findings it adds (high ones to accept in a check) and, greyed, those it removes. */
function FindingChanges({ entry, acceptance }: { entry: RefreshEntry; acceptance: FindingAcceptance | undefined }) {
  const headingId = useId();
  const added = [...(entry.findings_added ?? [])].sort(compareFindings);
  const removed = [...(entry.findings_removed ?? [])].sort(compareFindings);
  if (added.length === 0 && removed.length === 0) return null;
  const hasHigh = added.some((finding) => finding.severity === "high");
  return (
    <section
      aria-labelledby={headingId}
      className={cn("overflow-hidden rounded-md border", hasHigh ? "border-red-200 dark:border-red-900" : "border-amber-200 dark:border-amber-900")}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 border-b bg-muted/30 px-3 py-2">
        <ShieldAlertIcon className={cn("size-4 shrink-0", hasHigh ? "text-red-600" : "text-amber-600")} aria-hidden="true" />
        <h6 id={headingId} className="text-sm font-medium">
          Security review
        </h6>
        {added.length > 0 ? (
          <span className="flex flex-wrap items-center gap-1 text-xs text-muted-foreground">
            adds <FindingsSummaryBadges summary={summarize(added)} />
          </span>
        ) : null}
        {removed.length > 0 ? <span className="text-xs text-muted-foreground">removes {pluralize(removed.length, "finding")}</span> : null}
      </div>
      {hasHigh && acceptance ? (
        <p className="border-b px-3 py-2 text-xs text-muted-foreground">
          A sync holds this update back while it adds a high finding. Tick the findings you have read and trust to let it through.
        </p>
      ) : null}
      <ul className="grid divide-y">
        {added.map((finding, index) => {
          const key = findingKey(finding);
          return (
            <FindingRow key={`added:${key}:${finding.line}:${index}`} finding={finding} place={<FindingPlace finding={finding} />}>
              {finding.severity === "high" && acceptance ? (
                <AcceptFinding findingKey={key} acceptance={acceptance} />
              ) : null}
            </FindingRow>
          );
        })}
        {removed.map((finding, index) => (
          <FindingRow key={`removed:${findingKey(finding)}:${finding.line}:${index}`} finding={finding} place={<FindingPlace finding={finding} />} muted />
        ))}
      </ul>
    </section>
  );
}

function FindingPlace({ finding }: { finding: Finding }) {
  return (
    <>
      <code className="font-mono break-all">{finding.path}</code> · {finding.line > 0 ? `line ${finding.line}` : "whole file"}
    </>
  );
}

/** Accepts one high finding, by its `<rule_id>@<path>` key: findings of one rule in one file are accepted together. */
function AcceptFinding({ findingKey: key, acceptance }: { findingKey: string; acceptance: FindingAcceptance }) {
  const id = useId();
  return (
    <div className="flex items-center gap-2">
      <input
        id={id}
        type="checkbox"
        className="size-4 accent-primary"
        checked={acceptance.accepted.has(key)}
        disabled={acceptance.disabled}
        onChange={(event) => acceptance.onToggle(key, event.target.checked)}
        aria-describedby={`${id}-key`}
      />
      <label htmlFor={id} className="text-sm">
        Accept this finding
      </label>
      <code id={`${id}-key`} className="font-mono text-[11px] text-muted-foreground">
        {key}
      </code>
    </div>
  );
}

function ConflictList({ conflicts }: { conflicts: ConflictItem[] }) {
  return (
    <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2.5 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      <p className="mb-1.5 flex items-center gap-1.5 font-medium">
        <AlertTriangleIcon className="size-4 shrink-0" aria-hidden="true" />
        {conflicts.length === 1 ? "1 file conflicts" : `${conflicts.length} files conflict`} with the edits made here
      </p>
      <ul className="grid gap-1">
        {conflicts.map((conflict) => (
          <li key={conflict.path} className="flex flex-wrap items-baseline gap-x-2">
            <code className="font-mono text-xs break-all">{conflict.path}</code>
            <span className="text-xs">— {CONFLICT_LABELS[conflict.kind]}</span>
            <span className="font-mono text-[11px] opacity-75">
              base {hashOrNone(conflict.base_sha256)} · yours {hashOrNone(conflict.ours_sha256)} · upstream {hashOrNone(conflict.theirs_sha256)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function hashOrNone(sha256: string | null): string {
  return sha256 ? shortenHash(sha256) : "none";
}

const CHANGE_VARIANTS = { added: "green", modified: "blue", deleted: "red" } as const;

function FileChangeView({ file, open: initiallyOpen }: { file: FileChangeItem; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const summary = (
    <>
      <code className="min-w-0 font-mono text-xs break-all">{file.path}</code>
      <Badge variant={CHANGE_VARIANTS[file.change]}>{file.change}</Badge>
      <span className="text-xs tabular-nums">
        <span className="text-emerald-700 dark:text-emerald-400">+{file.additions}</span> <span className="text-red-700 dark:text-red-400">−{file.deletions}</span>
      </span>
    </>
  );
  if (file.patch === undefined) {
    return <div className="flex flex-wrap items-center gap-2 rounded-md border px-3 py-2">{summary}</div>;
  }
  return (
    <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)} className="group overflow-hidden rounded-md border">
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-2 px-3 py-2 outline-none hover:bg-accent/50 focus-visible:ring-[3px] focus-visible:ring-ring/50 [&::-webkit-details-marker]:hidden">
        <ChevronRightIcon className="size-3.5 shrink-0 text-muted-foreground transition-transform group-open:rotate-90" aria-hidden="true" />
        {summary}
      </summary>
      <DiffView patch={file.patch} path={file.path} />
      {file.truncated ? (
        <p className="border-t bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          The diff is cut here: it is longer than 64 KiB. Download the file after the sync to read all of it.
        </p>
      ) : null}
    </details>
  );
}

/** The kind of each line of a unified diff, for its colour. */
function diffLineClass(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---") || line.startsWith("diff ") || line.startsWith("index ")) return "text-muted-foreground";
  if (line.startsWith("@@")) return "bg-blue-50 text-blue-800 dark:bg-blue-950/60 dark:text-blue-300";
  if (line.startsWith("+")) return "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200";
  if (line.startsWith("-")) return "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200";
  if (line.startsWith("\\")) return "text-muted-foreground italic";
  return "";
}

/** A unified diff, line by line: added lines green, removed lines red, hunk headers blue. */
export function DiffView({ patch, path }: { patch: string; path: string }) {
  const lines = patch.endsWith("\n") ? patch.slice(0, -1).split("\n") : patch.split("\n");
  if (patch.length === 0) return <p className="border-t px-3 py-2 text-xs text-muted-foreground">No line changes (only the file’s mode or an empty file).</p>;
  return (
    <pre className="max-h-[32rem] overflow-auto border-t font-mono text-xs leading-5" aria-label={`Diff of ${path}`} tabIndex={0}>
      <code className="block min-w-fit">
        {lines.map((line, index) => (
          <span key={index} className={cn("block px-3 whitespace-pre", diffLineClass(line))}>
            {line || " "}
          </span>
        ))}
      </code>
    </pre>
  );
}

interface SyncReviewedProps {
  /** Artifacts with an update waiting. */
  updateCount: number;
  conflictCount: number;
  /** Updates the security review will hold back, with the findings accepted so far. */
  heldBackCount: number;
  /** The `<rule_id>@<path>` keys of the high findings accepted in the review above. */
  acceptedKeys: readonly string[];
  canWrite: boolean;
  pending: boolean;
  error: unknown;
  onSync: (onConflict: OnConflict, acceptFindings: readonly string[]) => void;
}

/** After a check: how conflicts are to be decided, and the sync that applies what was reviewed. */
export function SyncReviewed({ updateCount, conflictCount, heldBackCount, acceptedKeys, canWrite, pending, error, onSync }: SyncReviewedProps) {
  const [onConflict, setOnConflict] = useState<OnConflict>("skip");
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="grid gap-4 rounded-lg border bg-background p-4">
      <div className="grid gap-1">
        <h4 id={headingId} className="text-sm font-semibold">
          Apply {updateCount === 1 ? "this update" : "these updates"}
        </h4>
        <p className="text-xs text-muted-foreground">
          A sync reads upstream again and applies what it finds, after a snapshot you can roll back to. Edits made here are merged, never silently lost.
        </p>
      </div>
      <OnConflictChoice value={onConflict} onChange={setOnConflict} disabled={!canWrite || pending} conflictCount={conflictCount} />
      {heldBackCount > 0 || acceptedKeys.length > 0 ? (
        <div className="grid gap-1 text-xs">
          {heldBackCount > 0 ? (
            <p className="flex items-start gap-1.5 text-red-700 dark:text-red-400">
              <ShieldAlertIcon className="mt-px size-3.5 shrink-0" aria-hidden="true" />
              {heldBackCount === 1 ? "1 update adds" : `${heldBackCount} updates add`} high findings of the security review and will be held back; the
              sync leaves {heldBackCount === 1 ? "that artifact" : "those artifacts"} as {heldBackCount === 1 ? "it is" : "they are"}. Accept the findings
              above to apply {heldBackCount === 1 ? "it" : "them"}.
            </p>
          ) : null}
          {acceptedKeys.length > 0 ? (
            <p className="text-muted-foreground">
              The sync accepts {pluralize(acceptedKeys.length, "finding")}: <code className="font-mono break-all">{acceptedKeys.join(", ")}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <FormError error={error} />
      <div className="flex flex-wrap items-center gap-3">
        <Button disabled={!canWrite || pending} onClick={() => onSync(onConflict, acceptedKeys)}>
          {pending ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : <RefreshCwIcon aria-hidden="true" />}
          {pending ? "Syncing…" : `Sync ${pluralize(updateCount, "update")}`}
        </Button>
        {pending ? (
          <p role="status" className="text-sm text-muted-foreground">
            Reading upstream and merging; this can take a few seconds.
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** The on_conflict choice: skip (the default), keep mine, take upstream. */
export function OnConflictChoice({
  value,
  onChange,
  disabled,
  conflictCount,
}: {
  value: OnConflict;
  onChange: (value: OnConflict) => void;
  disabled?: boolean;
  /** Conflicts found by the check; undefined when unknown (no check ran). */
  conflictCount?: number;
}) {
  const name = useId();
  return (
    <fieldset className="grid gap-2" disabled={disabled}>
      <legend className="mb-1 text-sm font-medium">Where edits made here conflict with upstream</legend>
      {conflictCount !== undefined ? (
        <p className={cn("text-xs", conflictCount > 0 ? "text-red-700 dark:text-red-400" : "text-muted-foreground")}>
          {conflictCount > 0
            ? `The check found ${pluralize(conflictCount, "conflicting file")}.`
            : "The check found no conflicts; this only matters if upstream moves again before the sync."}
        </p>
      ) : null}
      <div className="grid gap-2 sm:grid-cols-3">
        {ON_CONFLICT.map((choice) => (
          <label
            key={choice}
            className="flex cursor-pointer items-start gap-3 rounded-lg border p-3 transition-colors hover:bg-accent/50 has-checked:border-ring has-checked:bg-accent/60 has-focus-visible:ring-[3px] has-focus-visible:ring-ring/50"
          >
            <input
              type="radio"
              name={name}
              value={choice}
              checked={value === choice}
              onChange={() => onChange(choice)}
              className="mt-0.5 size-4 accent-primary"
              aria-labelledby={`${name}-${choice}`}
              aria-describedby={`${name}-${choice}-description`}
            />
            <span className="grid gap-1">
              <span id={`${name}-${choice}`} className="text-sm font-medium">
                {ON_CONFLICT_DETAILS[choice].label}
              </span>
              <span id={`${name}-${choice}-description`} className="text-xs text-muted-foreground">
                {ON_CONFLICT_DETAILS[choice].description}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
