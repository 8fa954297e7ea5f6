export const JOB_STATUSES = ["queued", "running", "paused", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** What a job does: the whole pipeline (`full`), one stage alone (`stage`), or a rewrite of one part of the book (`rewrite`). */
export const JOB_KINDS = ["full", "stage", "rewrite"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A job in one of these states holds its project: it can be paused, resumed or cancelled, and no other may start. */
export const ACTIVE_JOB_STATUSES = ["queued", "running", "paused"] as const satisfies readonly JobStatus[];

/** Why a job is paused: someone asked, or the next writer call could overspend the budget. */
export const PAUSE_REASONS = ["requested", "budget_exhausted"] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** A project mirrors its latest job's status; `new` until the first one starts. */
export const PROJECT_STATUSES = ["new", ...JOB_STATUSES] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export function isActiveJobStatus(status: ProjectStatus): boolean {
  return (ACTIVE_JOB_STATUSES as readonly ProjectStatus[]).includes(status);
}

/**
 * How one claim of a job by a worker ended: the job completed, paused (on
 * request or over budget), was cancelled or failed; the worker handed it
 * back (it shut down, or lost its database); or its lease ran out and
 * another worker took the job over.
 */
export const ATTEMPT_OUTCOMES = ["completed", "paused", "budget_exhausted", "cancelled", "failed", "handed_back", "taken_over"] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Why a start runs a stage: it never finished, it became stale, it failed, or the start redoes it (`force`, running it alone, or a rewrite). */
export const RUN_REASONS = ["pending", "stale", "failed", "forced"] as const;
export type RunReason = (typeof RUN_REASONS)[number];
