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
