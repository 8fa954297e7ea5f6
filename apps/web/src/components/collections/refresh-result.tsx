"use client";

import { AlertTriangleIcon, CheckCircle2Icon, ShieldAlertIcon } from "lucide-react";
import { useId, useMemo, useState } from "react";
import type { OnConflict, RefreshMode } from "@scriptorium/contract";
import { ArtifactTypeBadge } from "@/components/collections/artifact-type-badge";
import { hasReview, highFindingsAdded, isHeldBack, MERGE_DETAILS, SyncReviewed, UpdateReview, type FindingAcceptance } from "@/components/collections/update-review";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { findingKey } from "@/lib/findings";
import { changeLines, formatDuration, pluralize, type RefreshEntry, type RefreshResult } from "@/lib/collections";

const RESULT_STATUS_VARIANTS = { success: "green", partial: "amber", error: "red" } as const satisfies Record<RefreshResult["status"], "green" | "amber" | "red">;

type EntryBadgeVariant = "blue" | "amber" | "secondary" | "outline" | "red";

const ENTRY_STATUS_VARIANTS = {
  refreshed: "blue",
  unchanged: "secondary",
  skipped: "outline",
  error: "red",
} as const satisfies Record<RefreshEntry["status"], EntryBadgeVariant>;

const MODE_LABELS: Record<RefreshMode, string> = { metadata: "Metadata refresh", check: "Update check", sync: "Sync" };

/** In a check, "refreshed" means upstream has something new, not that anything was applied. */
function entryStatusBadge(entry: RefreshEntry, mode: RefreshMode): { label: string; variant: EntryBadgeVariant } {
  if (entry.status === "refreshed" && mode === "check") return { label: "update available", variant: "amber" };
  if (entry.status === "skipped" && entry.reason_code === "local_conflict") return { label: "skipped: conflicts with your edits", variant: "red" };
  if (entry.status === "skipped" && entry.reason_code === "security_review") return { label: "skipped: held back by the security review", variant: "red" };
  return { label: entry.status, variant: ENTRY_STATUS_VARIANTS[entry.status] };
}

interface RefreshResultViewProps {
  result: RefreshResult;
  collectionId: string;
  canWrite: boolean;
  /** A sync started from this result's review is running. */
  syncPending: boolean;
  /** Why that sync failed, if it did. */
  syncError: unknown;
  /** Runs the sync that applies a check's updates, with the high findings accepted in its review. */
  onSync: (onConflict: OnConflict, acceptFindings: readonly string[]) => void;
}

export function RefreshResultView({ result, collectionId, canWrite, syncPending, syncError, onSync }: RefreshResultViewProps) {
  const headingId = useId();
  const toggleId = useId();
  const [showUnchanged, setShowUnchanged] = useState(false);
  const { entries } = result.result;
  const unchangedCount = result.result.unchanged_count;
  const shownEntries = showUnchanged ? entries : entries.filter((entry) => entry.status !== "unchanged");
  const reviewed = entries.filter(hasReview);
  const updateCount = entries.filter((entry) => entry.status === "refreshed").length;
  const conflictCount = entries.reduce((sum, entry) => sum + (entry.conflicts?.length ?? 0), 0);

  // High findings accepted in a check's review, sent with its sync; a new result starts with none (the view is keyed by it).
  const [accepted, setAccepted] = useState<ReadonlySet<string>>(() => new Set());
  const canAccept = result.mode === "check" && updateCount > 0;
  const acceptance: FindingAcceptance | undefined = canAccept
    ? {
        accepted,
        disabled: !canWrite || syncPending,
        onToggle: (key, accept) =>
          setAccepted((current) => {
            const next = new Set(current);
            if (accept) next.add(key);
            else next.delete(key);
            return next;
          }),
      }
    : undefined;
  // Only keys of findings this result shows: nothing else is sent to the sync.
  const acceptedKeys = useMemo(() => {
    const offered = new Set(entries.flatMap((entry) => highFindingsAdded(entry).map(findingKey)));
    return [...accepted].filter((key) => offered.has(key)).sort();
  }, [accepted, entries]);
  const heldBackCount = entries.filter((entry) => entry.status === "refreshed" && isHeldBack(entry, accepted)).length;

  const stats = [
    { label: result.mode === "check" ? "Changed upstream" : "Refreshed", value: result.result.refreshed_count },
    { label: "Unchanged", value: unchangedCount },
    { label: "Skipped", value: result.result.skipped_count },
    { label: "Errors", value: result.result.error_count },
    { label: "Updates available", value: result.result.update_available_count },
  ];

  return (
    <div className="grid grid-cols-1 gap-5 border-t bg-muted/20 px-4 py-6 sm:px-6" role="region" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h3 id={headingId} className="font-semibold">
          {MODE_LABELS[result.mode]} result
        </h3>
        <Badge variant={RESULT_STATUS_VARIANTS[result.status]}>{result.status}</Badge>
        {result.dry_run ? <Badge variant="outline">dry run: nothing applied</Badge> : null}
        <p className="text-sm text-muted-foreground">
          <RelativeTime value={result.timestamp} /> · took {formatDuration(result.took_ms)}
        </p>
      </div>

      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5">
        {stats.map((stat) => (
          <div key={stat.label} className="rounded-lg border bg-background px-3 py-2.5">
            <dt className="text-xs text-muted-foreground">{stat.label}</dt>
            <dd className="text-xl font-semibold tabular-nums">{stat.value}</dd>
          </div>
        ))}
      </dl>

      {result.snapshot_id ? (
        <p className="text-sm text-muted-foreground">
          Snapshot taken before applying: <code className="font-mono text-xs break-all text-foreground">{result.snapshot_id}</code>. Roll back to
          it below to undo this refresh.
        </p>
      ) : null}

      {entries.length === 0 ? (
        <p className="text-sm text-muted-foreground">No artifacts matched: there was nothing to refresh.</p>
      ) : (
        <div className="grid grid-cols-1 gap-3">
          <div className="flex items-center gap-2">
            <input
              id={toggleId}
              type="checkbox"
              className="size-4 accent-primary"
              checked={showUnchanged}
              onChange={(event) => setShowUnchanged(event.target.checked)}
            />
            <label htmlFor={toggleId} className="text-sm">
              Show unchanged ({unchangedCount})
            </label>
          </div>
          {shownEntries.length === 0 ? (
            <p className="flex items-center gap-2 rounded-lg border bg-background px-4 py-3 text-sm text-muted-foreground">
              <CheckCircle2Icon className="size-4 shrink-0 text-emerald-600" aria-hidden="true" />
              {unchangedCount === entries.length ? `All ${pluralize(entries.length, "artifact")} are unchanged.` : "Nothing to show."}
            </p>
          ) : (
            <div className="overflow-hidden rounded-lg border bg-background">
              <Table aria-label="Refresh results">
                <TableHeader className="bg-muted/40">
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Name</TableHead>
                    <TableHead>Type</TableHead>
                    <TableHead>Status</TableHead>
                    <TableHead>Changes</TableHead>
                    <TableHead>Details</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {shownEntries.map((entry) => (
                    <RefreshEntryRow key={entry.artifact_id} entry={entry} mode={result.mode} />
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </div>
      )}

      {reviewed.length > 0 ? (
        <UpdateReview entries={reviewed} collectionId={collectionId} applied={result.mode !== "check" && !result.dry_run} acceptance={acceptance} />
      ) : null}
      {canAccept ? (
        <SyncReviewed
          updateCount={updateCount}
          conflictCount={conflictCount}
          heldBackCount={heldBackCount}
          acceptedKeys={acceptedKeys}
          canWrite={canWrite}
          pending={syncPending}
          error={syncError}
          onSync={onSync}
        />
      ) : null}
    </div>
  );
}

function RefreshEntryRow({ entry, mode }: { entry: RefreshEntry; mode: RefreshMode }) {
  const lines = changeLines(entry);
  const status = entryStatusBadge(entry, mode);
  return (
    <TableRow>
      <TableCell className="font-medium">{entry.name}</TableCell>
      <TableCell>
        <ArtifactTypeBadge type={entry.type} />
      </TableCell>
      <TableCell>
        <div className="flex flex-wrap gap-1">
          <Badge variant={status.variant}>
            {entry.reason_code === "local_conflict" ? <AlertTriangleIcon aria-hidden="true" /> : null}
            {entry.reason_code === "security_review" ? <ShieldAlertIcon aria-hidden="true" /> : null}
            {status.label}
          </Badge>
          {entry.merge && mode === "check" ? (
            <Badge variant={MERGE_DETAILS[entry.merge].variant} title={MERGE_DETAILS[entry.merge].description}>
              {entry.merge === "conflict" ? <AlertTriangleIcon aria-hidden="true" /> : null}
              {MERGE_DETAILS[entry.merge].label}
            </Badge>
          ) : null}
        </div>
      </TableCell>
      <TableCell>
        {lines.length > 0 ? (
          <ul className="grid gap-0.5 font-mono text-xs">
            {lines.map((line) => (
              <li key={line.field}>
                <span className="text-muted-foreground">{line.field}:</span> {line.from} → {line.to}
              </li>
            ))}
          </ul>
        ) : (
          <span className="text-muted-foreground">—</span>
        )}
      </TableCell>
      <TableCell className="max-w-80 min-w-48 whitespace-normal">
        {entry.error ? (
          <span className="text-destructive">{entry.error}</span>
        ) : entry.reason_code === "security_review" ? (
          // The API's reason names its accept_findings field; here the way out is the review's checkboxes.
          <span className="text-muted-foreground">
            Not changed: the update adds {pluralize(highFindingsAdded(entry).length, "high finding")} of the security review. Check for updates again,
            read the findings and accept them to apply it.
          </span>
        ) : entry.reason ? (
          <span className="text-muted-foreground">{entry.reason}</span>
        ) : (
          <span className="text-muted-foreground">—</span>
        )}
      </TableCell>
    </TableRow>
  );
}
