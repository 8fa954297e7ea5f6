"use client";

import { AlertCircleIcon, CirclePauseIcon, PenLineIcon, RefreshCwIcon, WifiOffIcon } from "lucide-react";
import { useId, type ReactNode } from "react";
import { STAGE_COUNT } from "@scriptorium/contract";
import type { LiveConnection } from "@/components/projects/use-generation-events";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { formatCost, formatElapsed, formatNumber, formatPercent, formatWords, type JobStatus, type Project } from "@/lib/projects";
import { useNow } from "@/lib/use-now";
import { cn } from "@/lib/utils";

interface JobProgressSectionProps {
  project: Project;
  job: JobStatus | null;
  connection: LiveConnection;
  connectionError: string | null;
  onReconnect: () => void;
}

/** The job at a glance: the overall bar, where it is, what it has written, and whether the page is following it live. */
export function JobProgressSection({ project, job, connection, connectionError, onReconnect }: JobProgressSectionProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Card className="gap-4 px-4 sm:px-6">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id={headingId} className="font-semibold">
            Progress
          </h2>
          <ConnectionIndicator connection={connection} error={connectionError} onReconnect={onReconnect} />
        </div>
        {job ? (
          <JobFigures project={project} job={job} />
        ) : (
          <div className="flex items-start gap-3 rounded-lg border border-dashed p-4 text-sm text-muted-foreground">
            <PenLineIcon className="mt-0.5 size-5 shrink-0" aria-hidden="true" />
            <p className="text-balance">
              No job yet — Start writes all twelve stages, from the high concept and the outline through drafting and four revision
              passes to the validated manuscript. You can pause, resume or cancel at any point; finished work is never lost.
            </p>
          </div>
        )}
      </Card>
    </section>
  );
}

function JobFigures({ project, job }: { project: Project; job: JobStatus }) {
  const active = job.status === "running" || job.status === "queued";
  // Ticks only while the clock matters; a finished job's duration is fixed.
  const now = useNow(active ? 1_000 : 60_000);
  const startedAt = job.started_at ? new Date(job.started_at).getTime() : null;
  const endedAt = job.finished_at ? new Date(job.finished_at).getTime() : job.status === "paused" ? new Date(job.updated_at).getTime() : now.getTime();
  const stage = job.current_stage;
  const showsUsage = project.writer.provider !== "offline" || job.tokens > 0;

  return (
    <div className="grid gap-4">
      <div className="grid gap-2">
        <div className="flex items-baseline justify-between gap-3 text-sm">
          <span className="min-w-0 truncate text-muted-foreground">
            {job.only_stage !== null ? `Running stage ${job.only_stage} alone · ` : ""}
            {stage ? `Stage ${stage.number} of ${STAGE_COUNT} · ${stage.name}` : job.message}
          </span>
          <span className="text-lg font-semibold tabular-nums">{formatPercent(job.progress)}</span>
        </div>
        <Progress
          value={job.progress}
          label="Overall progress"
          className="h-3"
          indicatorClassName={cn(job.status === "completed" && "bg-emerald-600", job.status === "failed" && "bg-destructive", job.status === "paused" && "bg-amber-500")}
        />
        {stage ? <p className="truncate text-xs text-muted-foreground">{job.message}</p> : null}
      </div>

      {job.status === "paused" ? (
        <Notice icon={<CirclePauseIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />} tone="amber">
          {job.pause_reason === "budget_exhausted"
            ? `Paused before spending more than the budget of ${formatCost(project.budget_usd ?? 0)}. Resume continues from the last checkpoint.`
            : "Paused at a checkpoint. Resume continues exactly where it stopped; nothing finished is written again."}
        </Notice>
      ) : null}
      {job.status === "failed" && job.error ? (
        <Notice icon={<AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />} tone="red">
          {job.error} Start continues from the stage that failed.
        </Notice>
      ) : null}

      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm sm:grid-cols-4">
        <Figure label="Words written">{formatNumber(job.words)}</Figure>
        <Figure label="Target">{formatWords(project.target_words)}</Figure>
        <Figure label={job.finished_at ? "Took" : "Elapsed"}>{startedAt === null ? "—" : formatElapsed(Math.max(0, endedAt - startedAt))}</Figure>
        {showsUsage ? (
          <Figure label="Tokens · cost">
            {formatNumber(job.tokens)} · {formatCost(job.cost_usd)}
          </Figure>
        ) : (
          <Figure label="Stages done">
            {job.stages.filter((candidate) => candidate.status === "completed").length} of {STAGE_COUNT}
          </Figure>
        )}
      </dl>
    </div>
  );
}

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="font-medium tabular-nums">{children}</dd>
    </div>
  );
}

function Notice({ icon, tone, children }: { icon: ReactNode; tone: "amber" | "red"; children: ReactNode }) {
  return (
    <p
      className={cn(
        "flex items-start gap-2 rounded-md border p-3 text-sm",
        tone === "amber" && "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200",
        tone === "red" && "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200",
      )}
    >
      {icon}
      <span>{children}</span>
    </p>
  );
}

function ConnectionIndicator({ connection, error, onReconnect }: { connection: LiveConnection; error: string | null; onReconnect: () => void }) {
  if (connection === "stopped") {
    return (
      <span className="flex items-center gap-2 text-xs text-destructive">
        <WifiOffIcon className="size-3.5" aria-hidden="true" />
        <span>Live updates stopped{error ? `: ${error}` : ""}</span>
        <Button variant="outline" size="sm" className="h-7" onClick={onReconnect}>
          <RefreshCwIcon aria-hidden="true" />
          Reconnect
        </Button>
      </span>
    );
  }
  return (
    <span className="flex items-center gap-1.5 text-xs text-muted-foreground" role="status">
      <span className={cn("size-2 rounded-full", connection === "live" ? "bg-emerald-500" : "animate-pulse bg-amber-500")} aria-hidden="true" />
      {connection === "live" ? "Live" : "Connecting…"}
    </span>
  );
}
