"use client";

import { useInfiniteQuery, useQueries, useQuery } from "@tanstack/react-query";
import { AlertCircleIcon, ChevronDownIcon, HistoryIcon, LoaderCircleIcon, RefreshCwIcon } from "lucide-react";
import { useId, useState, type ReactNode } from "react";
import { GenerationEventPayload, isActiveJobStatus, stageByNumber, type GenerationEvent } from "@scriptorium/contract";
import { LoadMore } from "@/components/load-more";
import { Figure } from "@/components/projects/figure";
import { LogLines } from "@/components/projects/live-log";
import { JobStateBadge } from "@/components/projects/status-badges";
import { toLogEntry } from "@/components/projects/use-generation-events";
import { RelativeTime } from "@/components/relative-time";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCost, formatElapsed, formatNumber, type JobAttempt, type JobEvent, type JobStatus, type JobSummary } from "@/lib/projects";
import { loadedItems, nextPageOptions } from "@/lib/paging";
import { errorMessage, useTRPC } from "@/lib/trpc";
import { useNow } from "@/lib/use-now";
import { cn } from "@/lib/utils";

/** Runs listed per page: a project has a handful of jobs a day, rarely more. */
const RUNS_PAGE_SIZE = 20;
/** Events per page of a run's log; progress events (most of them) make no line. */
const LOG_PAGE_SIZE = 500;

const momentFormat = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
const clockFormat = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** "full", "full, forced", "stage 6 alone", "rewrite": what a job was asked to do. */
function describeKind(run: Pick<JobSummary, "kind" | "force" | "only_stage" | "rewrite">): string {
  switch (run.kind) {
    case "full":
      return run.force ? "Full, forced" : "Full";
    case "stage":
      return `Stage ${run.only_stage ?? "?"} alone`;
    case "rewrite": {
      if (!run.rewrite) return "Rewrite";
      const part = run.rewrite.scene === null ? `chapter ${run.rewrite.chapter}` : `chapter ${run.rewrite.chapter}, scene ${run.rewrite.scene}`;
      return run.rewrite.from === "revise" ? `Revision of ${part}` : `Rewrite of ${part}`;
    }
  }
}

const OUTCOME_LABELS: Record<NonNullable<JobAttempt["outcome"]>, string> = {
  completed: "completed",
  paused: "paused",
  budget_exhausted: "paused: budget spent",
  cancelled: "cancelled",
  failed: "failed",
  handed_back: "handed back",
  taken_over: "taken over after its lease ran out",
};

/** Every job of the project, newest first, each opening to its timeline, cost and log. */
export function RunsSection({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const headingId = useId();
  const runs = useInfiniteQuery(trpc.generation.jobs.infiniteQueryOptions({ id: projectId, limit: RUNS_PAGE_SIZE }, nextPageOptions));
  const [openJobId, setOpenJobId] = useState<string | null>(null);
  const items = loadedItems(runs.data);

  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-0 overflow-hidden py-0">
        <CardHeader className="border-b px-4 py-4 sm:px-6">
          <CardTitle id={headingId}>Runs</CardTitle>
          <CardDescription>Every job of this project, newest first. Open one for its stages over time, its cost and its log.</CardDescription>
        </CardHeader>
        {runs.isPending ? (
          <div className="grid gap-3 px-4 py-4 sm:px-6" aria-busy="true">
            <p className="sr-only" role="status">
              Loading the runs…
            </p>
            {Array.from({ length: 3 }, (_, row) => (
              <Skeleton key={row} className="h-10 w-full" aria-hidden="true" />
            ))}
          </div>
        ) : runs.isError ? (
          <div className="flex flex-col items-center gap-3 px-6 py-10 text-center">
            <AlertCircleIcon className="size-6 text-destructive" aria-hidden="true" />
            <p className="max-w-md text-sm text-muted-foreground">{errorMessage(runs.error)}</p>
            <Button variant="outline" size="sm" onClick={() => void runs.refetch()}>
              <RefreshCwIcon aria-hidden="true" />
              Try again
            </Button>
          </div>
        ) : items.length === 0 ? (
          <div className="flex items-start gap-3 px-4 py-6 text-sm text-muted-foreground sm:px-6">
            <HistoryIcon className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
            <p>No runs yet. Every start, run of one stage and rewrite is listed here, with what it did and what it cost.</p>
          </div>
        ) : (
          <>
            <Table aria-label="Runs">
              <TableHeader>
                <TableRow>
                  <TableHead>Run</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>When</TableHead>
                  <TableHead className="text-right">Worked</TableHead>
                  <TableHead className="text-right">Words</TableHead>
                  <TableHead className="text-right">Tokens · cost</TableHead>
                  <TableHead className="text-right">Attempts</TableHead>
                  <TableHead>
                    <span className="sr-only">Details</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((run) => (
                  <RunRow
                    key={run.job_id}
                    projectId={projectId}
                    run={run}
                    open={openJobId === run.job_id}
                    onToggle={() => setOpenJobId((current) => (current === run.job_id ? null : run.job_id))}
                  />
                ))}
              </TableBody>
            </Table>
            <LoadMore list={runs} noun="run" />
          </>
        )}
      </Card>
    </section>
  );
}

function RunRow({ projectId, run, open, onToggle }: { projectId: string; run: JobSummary; open: boolean; onToggle: () => void }) {
  const detailsId = useId();
  const label = `${describeKind(run)} run, ${momentFormat.format(new Date(run.created_at))}`;
  return (
    <>
      <TableRow aria-label={label} className={cn(open && "bg-muted/40")}>
        <TableCell>
          <div className="font-medium">{describeKind(run)}</div>
          {run.rewrite ? (
            <div className="max-w-64 truncate text-xs text-muted-foreground italic" title={run.rewrite.instruction}>
              “{run.rewrite.instruction}”
            </div>
          ) : null}
          <div className="text-xs text-muted-foreground">
            Queued <RelativeTime value={run.created_at} />
          </div>
        </TableCell>
        <TableCell>
          <JobStateBadge state={run.status} />
        </TableCell>
        <TableCell className="text-xs text-muted-foreground tabular-nums">
          <div>Started {run.started_at ? momentFormat.format(new Date(run.started_at)) : "—"}</div>
          <div>Finished {run.finished_at ? momentFormat.format(new Date(run.finished_at)) : "—"}</div>
        </TableCell>
        <TableCell className="text-right tabular-nums">{run.duration_ms === null ? "—" : formatElapsed(run.duration_ms)}</TableCell>
        <TableCell className="text-right tabular-nums">{run.words === null ? "—" : formatNumber(run.words)}</TableCell>
        <TableCell className="text-right tabular-nums">
          {formatNumber(run.tokens)} · {formatCost(run.cost_usd)}
        </TableCell>
        <TableCell className="text-right tabular-nums" title={run.attempts.map((attempt) => `${attempt.claim}: ${attempt.outcome ? OUTCOME_LABELS[attempt.outcome] : "working"}`).join(" · ")}>
          {run.attempts.length}
        </TableCell>
        <TableCell>
          <Button variant="ghost" size="sm" aria-expanded={open} aria-controls={detailsId} aria-label={`Details of the ${label}`} onClick={onToggle}>
            <ChevronDownIcon className={cn("transition-transform", open && "rotate-180")} aria-hidden="true" />
            Details
          </Button>
        </TableCell>
      </TableRow>
      {open ? (
        <TableRow className="hover:bg-transparent">
          <TableCell colSpan={8} className="bg-muted/20 p-0 whitespace-normal">
            <div id={detailsId} className="px-4 py-5 sm:px-6">
              <RunDetails projectId={projectId} run={run} />
            </div>
          </TableCell>
        </TableRow>
      ) : null}
    </>
  );
}

/** One run opened: its figures, its stages over time with pauses and workers, and its log. */
function RunDetails({ projectId, run }: { projectId: string; run: JobSummary }) {
  const trpc = useTRPC();
  const job = useQuery(trpc.generation.job.queryOptions({ id: projectId, job_id: run.job_id }));
  const active = isActiveJobStatus(run.status);
  // A job that is working moves its timeline's end with the clock; a finished one holds still.
  const now = useNow(active ? 1_000 : 60_000).getTime();
  const pauses = pausesOf(run, now);
  const pausedMs = pauses.reduce((total, pause) => total + (pause.to - pause.from), 0);

  return (
    <div className="grid min-w-0 gap-5">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm sm:grid-cols-5">
        <Figure label="Worked">{run.duration_ms === null ? "—" : formatElapsed(run.duration_ms)}</Figure>
        <Figure label="Paused">{pausedMs > 0 ? formatElapsed(pausedMs) : "—"}</Figure>
        <Figure label="Tokens">{formatNumber(run.tokens)}</Figure>
        <Figure label="Cost">{formatCost(run.cost_usd)}</Figure>
        <Figure label="Words">{run.words === null ? "—" : formatNumber(run.words)}</Figure>
      </dl>
      {run.error ? (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <span>{run.error}</span>
        </p>
      ) : null}
      {job.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : job.isError ? (
        <p role="alert" className="text-sm text-destructive">
          The run’s stages could not be loaded: {errorMessage(job.error)}
        </p>
      ) : (
        <RunTimeline run={run} job={job.data} pauses={pauses} now={now} />
      )}
      <Attempts run={run} />
      <RunLog projectId={projectId} jobId={run.job_id} />
    </div>
  );
}

/** A stretch of the job's time, in epoch milliseconds. */
interface Span {
  from: number;
  to: number;
}

interface Pause extends Span {
  label: string;
}

/**
 * The gaps between a job's attempts: after a pause (on request or over
 * budget) until it was resumed and claimed again, or after a worker handed
 * it back until another took it. A job paused now is paused until now.
 */
function pausesOf(run: JobSummary, now: number): Pause[] {
  return run.attempts.flatMap((attempt, index): Pause[] => {
    if (attempt.ended_at === null) return [];
    const next = run.attempts[index + 1];
    const from = Date.parse(attempt.ended_at);
    const to = next ? Date.parse(next.started_at) : isActiveJobStatus(run.status) ? now : null;
    if (to === null || to <= from) return [];
    const label =
      attempt.outcome === "paused" ? "Paused" : attempt.outcome === "budget_exhausted" ? "Paused: budget spent" : attempt.outcome === "handed_back" ? "Waiting for a worker" : "Waiting";
    return [{ from, to, label }];
  });
}

/** Where the timeline begins and ends: the first claim (or start) to the end, or to now while the job is not over. */
function extentOf(run: JobSummary, job: JobStatus, now: number): Span | null {
  const starts = [run.started_at, ...run.attempts.map((attempt) => attempt.started_at)].flatMap((value) => (value === null ? [] : [Date.parse(value)]));
  if (starts.length === 0) return null;
  const from = Math.min(...starts);
  const lastAttemptEnd = run.attempts.at(-1)?.ended_at;
  const to = run.finished_at ? Date.parse(run.finished_at) : isActiveJobStatus(run.status) ? now : Date.parse(lastAttemptEnd ?? job.updated_at);
  return { from, to: Math.max(to, from + 1) };
}

interface StageBar extends Span {
  stage: JobStatus["stages"][number];
  /** Begun by an earlier job and continued by this one. */
  continued: boolean;
}

/** The stages this job worked on, each from its start to its finish (or to the job's end, where it stopped mid-way). */
function stageBarsOf(job: JobStatus, extent: Span, now: number): StageBar[] {
  return job.stages.flatMap((stage): StageBar[] => {
    if (stage.status === "skipped" || stage.started_at === null) return [];
    const start = Date.parse(stage.started_at);
    const end = stage.finished_at ? Date.parse(stage.finished_at) : stage.status === "running" ? now : extent.to;
    // Finished before this job began: an earlier run's work, kept.
    if (end < extent.from) return [];
    return [{ stage, from: Math.max(start, extent.from), to: Math.min(Math.max(end, start), extent.to), continued: start < extent.from }];
  });
}

const BAR_COLOURS: Partial<Record<JobStatus["stages"][number]["status"], string>> = {
  completed: "bg-emerald-600",
  running: "bg-blue-600",
  failed: "bg-destructive",
  stale: "bg-amber-500",
};

const ATTEMPT_COLOURS: Record<NonNullable<JobAttempt["outcome"]> | "working", string> = {
  working: "border-blue-300 bg-blue-50 text-blue-800 dark:border-blue-900 dark:bg-blue-950 dark:text-blue-200",
  completed: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  paused: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200",
  budget_exhausted: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200",
  cancelled: "border-border bg-muted text-muted-foreground",
  failed: "border-red-300 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200",
  handed_back: "border-violet-300 bg-violet-50 text-violet-800 dark:border-violet-900 dark:bg-violet-950 dark:text-violet-200",
  taken_over: "border-violet-300 bg-violet-50 text-violet-800 dark:border-violet-900 dark:bg-violet-950 dark:text-violet-200",
};

/** The stages of one run as horizontal bars on one time axis, with the workers that held it above and its pauses as bands. */
function RunTimeline({ run, job, pauses, now }: { run: JobSummary; job: JobStatus; pauses: readonly Pause[]; now: number }) {
  const extent = extentOf(run, job, now);
  if (!extent) return <p className="text-sm text-muted-foreground">Not started yet: the timeline begins when a worker takes the job.</p>;
  const span = extent.to - extent.from;
  const position = ({ from, to }: Span) => ({
    left: `${((from - extent.from) / span) * 100}%`,
    width: `${Math.max(0.4, ((to - from) / span) * 100)}%`,
  });
  const bars = stageBarsOf(job, extent, now);
  const workerChanges = run.attempts.filter((attempt, index) => index > 0 && attempt.worker_id !== run.attempts[index - 1]?.worker_id);
  const pauseBands = pauses.map((pause) => (
    <div
      key={pause.from}
      className="absolute inset-y-0 bg-[repeating-linear-gradient(135deg,transparent_0,transparent_4px,var(--color-amber-200)_4px,var(--color-amber-200)_6px)] opacity-70 dark:opacity-40"
      style={position(pause)}
      title={`${pause.label}: ${formatElapsed(pause.to - pause.from)}`}
      aria-hidden="true"
    />
  ));
  const changeMarks = workerChanges.map((attempt) => (
    <div key={attempt.claim} className="absolute inset-y-0 border-l-2 border-dashed border-violet-500" style={{ left: position({ from: Date.parse(attempt.started_at), to: extent.to }).left }} aria-hidden="true" />
  ));

  return (
    <div className="grid gap-2">
      <h4 className="text-sm font-medium">Timeline</h4>
      <ol className="grid gap-1.5" aria-label="Timeline">
        <TimelineRow label="Workers" description={`${run.attempts.length} attempt${run.attempts.length === 1 ? "" : "s"}`}>
          {pauseBands}
          {run.attempts.map((attempt) => {
            const to = attempt.ended_at ? Date.parse(attempt.ended_at) : isActiveJobStatus(run.status) ? now : extent.to;
            return (
              <div
                key={attempt.claim}
                className={cn("absolute inset-y-0 flex items-center overflow-hidden rounded-sm border px-1 text-[10px] leading-none whitespace-nowrap", ATTEMPT_COLOURS[attempt.outcome ?? "working"])}
                style={position({ from: Date.parse(attempt.started_at), to })}
                title={`Attempt ${attempt.claim} on ${attempt.worker_id}: ${attempt.outcome ? OUTCOME_LABELS[attempt.outcome] : "working"}`}
              >
                {attempt.worker_id} · {attempt.outcome ? OUTCOME_LABELS[attempt.outcome] : "working"}
              </div>
            );
          })}
          {changeMarks}
        </TimelineRow>
        {bars.map((bar) => (
          <TimelineRow
            key={bar.stage.number}
            label={`${bar.stage.number}. ${bar.stage.name}`}
            description={`${clockFormat.format(bar.from)} to ${clockFormat.format(bar.to)}, ${bar.stage.status}${bar.continued ? ", continued from an earlier run" : ""}`}
          >
            {pauseBands}
            <div
              className={cn("absolute inset-y-1 rounded-sm", BAR_COLOURS[bar.stage.status] ?? "bg-muted-foreground/40", bar.stage.status === "running" && "animate-pulse")}
              style={position(bar)}
              title={`${bar.stage.name}: ${formatElapsed(bar.to - bar.from)}`}
            />
            {changeMarks}
          </TimelineRow>
        ))}
      </ol>
      <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-3 text-xs text-muted-foreground tabular-nums sm:grid-cols-[12rem_minmax(0,1fr)]">
        <span />
        <div className="flex justify-between gap-2">
          <span>{clockFormat.format(extent.from)}</span>
          <span>{formatElapsed(span)}</span>
          <span>{run.finished_at || !isActiveJobStatus(run.status) ? clockFormat.format(extent.to) : "now"}</span>
        </div>
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground">
        {bars.length === 0 ? <span>No stage ran in this job.</span> : null}
        {pauses.length > 0 ? (
          <span className="flex items-center gap-1.5">
            <span className="inline-block size-3 rounded-sm bg-[repeating-linear-gradient(135deg,transparent_0,transparent_2px,var(--color-amber-300)_2px,var(--color-amber-300)_4px)]" aria-hidden="true" />
            Paused or waiting: {pauses.map((pause) => `${pause.label.toLowerCase()} ${formatElapsed(pause.to - pause.from)}`).join(", ")}
          </span>
        ) : null}
        {workerChanges.length > 0 ? (
          <span className="flex items-center gap-1.5">
            <span className="inline-block h-3 border-l-2 border-dashed border-violet-500" aria-hidden="true" />
            Worker changed {workerChanges.length === 1 ? "once" : `${workerChanges.length} times`}
          </span>
        ) : null}
      </p>
    </div>
  );
}

function TimelineRow({ label, description, children }: { label: string; description: string; children: ReactNode }) {
  return (
    <li className="grid grid-cols-[9rem_minmax(0,1fr)] items-center gap-3 sm:grid-cols-[12rem_minmax(0,1fr)]" aria-label={`${label}: ${description}`}>
      <span className="truncate text-xs text-muted-foreground" title={label}>
        {label}
      </span>
      <div className="relative h-6 overflow-hidden rounded-sm bg-muted/60">{children}</div>
    </li>
  );
}

/** Every claim of the job by a worker, in words. */
function Attempts({ run }: { run: JobSummary }) {
  if (run.attempts.length === 0) return null;
  return (
    <div className="grid gap-2">
      <h4 className="text-sm font-medium">Attempts</h4>
      <ol className="grid gap-1 text-sm" aria-label="Attempts">
        {run.attempts.map((attempt, index) => {
          const previous = run.attempts[index - 1];
          return (
            <li key={attempt.claim} className="flex flex-wrap gap-x-2 text-muted-foreground">
              <span className="font-medium text-foreground">{attempt.claim}.</span>
              <span className="font-mono text-xs leading-5 break-all">{attempt.worker_id}</span>
              <span className="tabular-nums">
                {momentFormat.format(new Date(attempt.started_at))} – {attempt.ended_at ? clockFormat.format(new Date(attempt.ended_at)) : "now"}
              </span>
              <span>{attempt.outcome ? OUTCOME_LABELS[attempt.outcome] : "working"}</span>
              {previous && previous.worker_id !== attempt.worker_id ? <span className="text-violet-700 dark:text-violet-300">another worker</span> : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** An event as the API lists it, typed by the contract's schema; null for a shape this dashboard does not know. */
function typedEvent(event: JobEvent): GenerationEvent | null {
  const payload = GenerationEventPayload.safeParse({ type: event.type, data: event.data });
  return payload.success ? { ...payload.data, id: event.id, project_id: event.project_id, job_id: event.job_id, created_at: event.created_at } : null;
}

/** The job's own log, a page of events at a time. */
function RunLog({ projectId, jobId }: { projectId: string; jobId: string }) {
  const trpc = useTRPC();
  // Each page starts after the last event of the one before.
  const [pageStarts, setPageStarts] = useState<number[]>([0]);
  const pages = useQueries({
    queries: pageStarts.map((after) => trpc.generation.jobEvents.queryOptions({ id: projectId, job_id: jobId, after, limit: LOG_PAGE_SIZE })),
  });
  const entries = pages
    .flatMap((page) => page.data?.items ?? [])
    .map(typedEvent)
    .flatMap((event) => {
      const entry = event ? toLogEntry(event) : null;
      return entry ? [entry] : [];
    });
  const last = pages.at(-1);
  const hasMore = last?.data?.items.length === LOG_PAGE_SIZE;
  const failed = pages.find((page) => page.isError);

  return (
    <div className="grid gap-2">
      <h4 className="text-sm font-medium">Log</h4>
      <div className="max-h-72 overflow-y-auto rounded-md border bg-muted/30 px-3 py-2 font-mono text-xs" role="log" aria-label="Run log" tabIndex={0}>
        {pages.some((page) => page.isPending) && entries.length === 0 ? (
          <p className="py-4 text-center font-sans text-sm text-muted-foreground">Loading the log…</p>
        ) : entries.length === 0 ? (
          <p className="py-4 text-center font-sans text-sm text-muted-foreground">Nothing logged.</p>
        ) : (
          <LogLines entries={entries} stageName={(number) => stageByNumber(number)?.name.toLowerCase() ?? "unnamed"} />
        )}
      </div>
      {failed?.error ? (
        <p role="alert" className="text-sm text-destructive">
          The log could not be loaded: {errorMessage(failed.error)}
        </p>
      ) : null}
      {hasMore && last.data ? (
        <Button
          variant="outline"
          size="sm"
          className="justify-self-center"
          disabled={last.isFetching}
          onClick={() => {
            const after = last.data?.last_event_id;
            if (after !== undefined) setPageStarts((starts) => [...starts, after]);
          }}
        >
          {last.isFetching ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
          Load more of the log
        </Button>
      ) : null}
    </div>
  );
}
