"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef, useState } from "react";
import { isSceneStage, STAGE, type GenerationEvent } from "@scriptorium/contract";
import type { JobStatus } from "@/lib/projects";
import { useTRPC } from "@/lib/trpc";

/** One line of the live log, kept structured so it can name stages with their current names. */
export type LogEntry = { id: number; at: string } & (
  | { kind: "message"; level: "info" | "warn" | "error"; message: string }
  | { kind: "status"; status: string; reason: string | null }
  | { kind: "stage"; stage: number; phase: "started" | "resumed" | "finished"; durationMs: number | null }
);

export type LiveConnection = "connecting" | "live" | "stopped";

/** Events arrive many times a second while scenes are written: they are applied in batches this far apart. */
const BATCH_MS = 200;
/** The job's status and stages are fetched again at most this often while events keep arriving, to catch what events do not carry (words, tokens). */
const REFETCH_MS = 1_000;
/** The log keeps this many entries; older ones are still in the event log on the server. */
const LOG_LIMIT = 1_000;

/** The log line an event makes, if any: progress events only move the bars. */
export function toLogEntry(event: GenerationEvent): LogEntry | null {
  const base = { id: event.id, at: event.created_at };
  switch (event.type) {
    case "log":
      return { ...base, kind: "message", level: event.data.level, message: event.data.message };
    case "error":
      return { ...base, kind: "message", level: "error", message: event.data.message };
    case "status_update":
      return { ...base, kind: "status", status: event.data.status, reason: event.data.reason ?? null };
    case "stage_started":
      return { ...base, kind: "stage", stage: event.data.stage, phase: event.data.resumed ? "resumed" : "started", durationMs: null };
    case "stage_completed":
      return { ...base, kind: "stage", stage: event.data.stage, phase: "finished", durationMs: event.data.duration_ms };
    case "progress":
      return null;
  }
}

/** What a batch of events asks of the page's other queries. */
interface BatchEffects {
  refetchProject: boolean;
  refetchText: boolean;
  finishedStages: Set<number>;
}

function effectsOf(events: readonly GenerationEvent[]): BatchEffects {
  const effects: BatchEffects = { refetchProject: false, refetchText: false, finishedStages: new Set() };
  for (const event of events) {
    if (event.type === "status_update") effects.refetchProject = true;
    if (event.type === "stage_completed") {
      effects.finishedStages.add(event.data.stage);
      if (isSceneStage(event.data.stage)) effects.refetchText = true;
    }
  }
  return effects;
}

/** The job an event is about: its own, or for a control action (recorded outside any job) the one its data names. */
function jobIdOf(event: GenerationEvent): string | null {
  if (event.job_id !== null) return event.job_id;
  return "job_id" in event.data ? event.data.job_id : null;
}

function withStage(job: JobStatus, number: number, change: Partial<JobStatus["stages"][number]>): JobStatus {
  return { ...job, stages: job.stages.map((stage) => (stage.number === number ? { ...stage, ...change } : stage)) };
}

/**
 * The job status as it is after `event`, so the page moves the moment an
 * event arrives rather than at the next fetch. An event the status already
 * reflects (written in or before the transaction that last updated the
 * job) changes nothing: replaying the backlog must not wind a fetched
 * status back through its history.
 */
function applyEvent(job: JobStatus, event: GenerationEvent): JobStatus {
  if (Date.parse(event.created_at) <= Date.parse(job.updated_at)) return job;
  // Another job's events (an earlier run, or one just started elsewhere) reach this one at the next fetch.
  const eventJobId = jobIdOf(event);
  if (eventJobId !== null && eventJobId !== job.job_id) return job;
  switch (event.type) {
    case "status_update": {
      const { status, reason } = event.data;
      return {
        ...job,
        status,
        pause_requested: status === "running" || status === "queued" ? job.pause_requested : false,
        pause_reason: status === "paused" ? (reason ?? "requested") : null,
        progress: status === "completed" ? 1 : job.progress,
        current_stage: status === "completed" ? null : job.current_stage,
      };
    }
    case "stage_started": {
      const { stage, stage_key, name, resumed } = event.data;
      const started = withStage(job, stage, { status: "running", ...(resumed ? {} : { progress: 0 }) });
      return { ...started, current_stage: { number: stage, key: stage_key, name } };
    }
    case "stage_completed":
      return withStage(job, event.data.stage, { status: "completed", progress: 1, duration_ms: event.data.duration_ms });
    case "progress": {
      const { stage, stage_progress, progress, message } = event.data;
      const moved = withStage(job, stage, { progress: stage_progress });
      return { ...moved, progress: job.only_stage === null ? progress : stage_progress, message };
    }
    case "error":
      return { ...job, error: event.data.message };
    case "log":
      return job;
  }
}

/**
 * Follows a project's generation events: the backlog first, then live ones.
 * It returns the log, and keeps the page's queries current: each event is
 * applied to the cached job status at once (the bars move without waiting
 * for a request), the status and stages are fetched again at most once a
 * second, and the manuscript when a scene stage finishes. tRPC resumes after the
 * last event id when the stream reconnects; a restart after an error
 * resumes from the last id seen here, so nothing is missed or repeated.
 */
export function useGenerationEvents(projectId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [log, setLog] = useState<LogEntry[]>([]);
  const [resumeAfter, setResumeAfter] = useState<number | null>(null);
  const lastSeenId = useRef(0);
  const pending = useRef<GenerationEvent[]>([]);
  const batchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastJobRefetch = useRef(0);
  const jobRefetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const statusKey = trpc.generation.status.queryKey({ id: projectId });
  const stagesKey = trpc.generation.stages.queryKey({ id: projectId });

  function refetchJob() {
    if (jobRefetchTimer.current !== null) return;
    const wait = Math.max(0, lastJobRefetch.current + REFETCH_MS - Date.now());
    jobRefetchTimer.current = setTimeout(() => {
      jobRefetchTimer.current = null;
      lastJobRefetch.current = Date.now();
      void queryClient.invalidateQueries({ queryKey: statusKey });
      void queryClient.invalidateQueries({ queryKey: stagesKey });
      // The runs view: the active job's row, its timeline and its log.
      void queryClient.invalidateQueries({ queryKey: trpc.generation.jobs.infiniteQueryKey({ id: projectId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.generation.job.queryKey({ id: projectId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.generation.jobEvents.queryKey({ id: projectId }) });
    }, wait);
  }

  function applyBatch() {
    batchTimer.current = null;
    const events = pending.current;
    pending.current = [];
    const entries = events.map(toLogEntry).filter((entry) => entry !== null);
    if (entries.length > 0) setLog((current) => [...current, ...entries].slice(-LOG_LIMIT));

    // A status fetched before this batch's events only catches up at the next fetch; the events bring it there now.
    queryClient.setQueryData(statusKey, (job) => (job ? events.reduce(applyEvent, job) : job));
    if (events.length > 0) refetchJob();

    const effects = effectsOf(events);
    if (effects.refetchProject) {
      void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ id: projectId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
      // A job started, paused, resumed or ended: its row in the runs view says so at once.
      void queryClient.invalidateQueries({ queryKey: trpc.generation.jobs.infiniteQueryKey({ id: projectId }) });
    }
    if (effects.refetchText) {
      void queryClient.invalidateQueries({ queryKey: trpc.generation.manuscript.queryKey({ id: projectId }) });
      // Built exports turn stale when the text changes.
      void queryClient.invalidateQueries({ queryKey: trpc.exports.list.queryKey({ id: projectId }) });
    }
    for (const stage of effects.finishedStages) {
      void queryClient.invalidateQueries({ queryKey: trpc.generation.stage.queryKey({ id: projectId, stage_number: stage }) });
    }
    // The validation report depends on the text; a scene stage run alone makes it stale too.
    if (effects.refetchText && !effects.finishedStages.has(STAGE.output_validation)) {
      void queryClient.invalidateQueries({ queryKey: trpc.generation.stage.queryKey({ id: projectId, stage_number: STAGE.output_validation }) });
    }
  }

  const subscription = useSubscription(
    trpc.generation.events.subscriptionOptions(
      { project_id: projectId, lastEventId: resumeAfter },
      {
        onData: (tracked) => {
          const event = tracked.data;
          if (event.id <= lastSeenId.current) return;
          lastSeenId.current = event.id;
          pending.current.push(event);
          batchTimer.current ??= setTimeout(applyBatch, BATCH_MS);
        },
      },
    ),
  );

  // Timers left when the page goes away would write into queries nobody shows.
  useEffect(
    () => () => {
      if (batchTimer.current !== null) clearTimeout(batchTimer.current);
      if (jobRefetchTimer.current !== null) clearTimeout(jobRefetchTimer.current);
    },
    [],
  );

  const connection: LiveConnection = subscription.status === "pending" ? "live" : subscription.status === "error" ? "stopped" : "connecting";
  return {
    log,
    connection,
    error: subscription.error,
    /** Starts following again after an error, from the last event received. */
    reconnect: () => {
      // The same input would not restart the stream: reset it instead.
      if (lastSeenId.current === (resumeAfter ?? 0)) subscription.reset();
      else setResumeAfter(lastSeenId.current);
    },
  };
}
