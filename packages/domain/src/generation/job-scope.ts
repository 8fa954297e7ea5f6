import type { JobKind, RunReason, StageStatus } from "@scriptorium/contract";
import type { GenerationJobRow, StageRunRow } from "@scriptorium/db";
import { ConflictError } from "../errors";
import { STAGES, stageByNumber, type Stage } from "./stages";

/**
 * What a job is asked to do: every stage not yet finished (all of them with
 * `force`), or one stage alone. Both a job's worker and the plan of a start
 * decide from this what runs, through the functions below, so a plan and
 * the run it describes cannot disagree. A rewrite of a chapter or a scene
 * is one more kind of scope.
 */
export type JobScope = { kind: "full"; force: boolean } | { kind: "stage"; stage: Stage };

/** The state of a project's stages that decides what a job runs: by stage number, absent for a stage that never ran. */
export type StageStates = ReadonlyMap<number, Pick<StageRunRow, "status" | "jobId">>;

/** One stage a job runs, and why. */
export interface StageWork {
  stage: Stage;
  reason: RunReason;
}

/** What a stored job does. The one place a job's kind is read from its row. */
export function jobKind(job: Pick<GenerationJobRow, "onlyStage">): JobKind {
  return job.onlyStage === null ? "full" : "stage";
}

/** The scope a stored job was started with. */
export function scopeOfJob(job: Pick<GenerationJobRow, "id" | "onlyStage" | "force">): JobScope {
  const kind = jobKind(job);
  switch (kind) {
    case "full":
      return { kind: "full", force: job.force };
    case "stage": {
      const stage = job.onlyStage === null ? undefined : stageByNumber(job.onlyStage);
      if (!stage) throw new Error(`job ${job.id} names stage ${String(job.onlyStage)}, which does not exist`);
      return { kind: "stage", stage };
    }
    case "rewrite":
      throw new Error(`job ${job.id} is a ${kind} job, which has no scope here`);
  }
}

/**
 * Running one stage alone needs every stage before it finished; a start of
 * such a job (and its plan) is refused otherwise, naming what is missing.
 */
export function checkPrerequisites(scope: JobScope, states: StageStates): void {
  if (scope.kind !== "stage") return;
  const { stage } = scope;
  const missing = STAGES.filter((earlier) => earlier.number < stage.number && states.get(earlier.number)?.status !== "completed");
  if (missing.length > 0) {
    const names = missing.map((earlier) => `${earlier.number} (${earlier.key})`).join(", ");
    throw new ConflictError(`Stage ${stage.number} (${stage.key}) needs the earlier stages finished first; not finished: ${names}.`);
  }
}

/**
 * The stages a start of `scope` marks stale as it queues the job: the
 * finished (or partly finished) work it redoes on purpose. `force` redoes
 * every stage that has run; one stage alone redoes itself and makes every
 * later stage that has run stale.
 */
export function stagesRedoneOnStart(scope: JobScope, states: StageStates): number[] {
  const ran = [...states.keys()].sort((a, b) => a - b);
  if (scope.kind === "full") return scope.force ? ran : [];
  return ran.filter((number) => number >= scope.stage.number && states.get(number)?.status !== "pending");
}

/**
 * A stage started again keeps the scenes it had finished, unless it is
 * stale: then its output is out of date and it starts from nothing.
 */
export function keepsFinishedScenes(status: StageStatus): boolean {
  return status !== "stale";
}

function reasonOf(status: StageStatus | undefined): RunReason {
  switch (status) {
    case "stale":
      return "stale";
    case "failed":
      return "failed";
    case "completed":
      return "forced";
    default:
      return "pending";
  }
}

/**
 * The stages a job of `scope` runs, in order, given the project's stage
 * states: what a worker runs when it takes the job up (`jobId` being that
 * job, whose own finished stages count as done), and what a plan shows.
 */
export function stagesToRun(scope: JobScope, states: StageStates, jobId: string | null): StageWork[] {
  if (scope.kind === "stage") {
    const state = states.get(scope.stage.number);
    if (state?.status === "completed" && state.jobId === jobId) return [];
    return [{ stage: scope.stage, reason: reasonOf(state?.status) }];
  }
  return STAGES.filter((stage) => states.get(stage.number)?.status !== "completed").map((stage) => ({ stage, reason: reasonOf(states.get(stage.number)?.status) }));
}

/**
 * What a start of `scope` would run now, and why: the states it would
 * leave once queued (stagesRedoneOnStart), then stagesToRun. A stage the
 * start itself makes stale is `forced`.
 */
export function stagesOfStart(scope: JobScope, states: StageStates): { work: StageWork[]; statesAfterStart: StageStates } {
  const redone = new Set(stagesRedoneOnStart(scope, states));
  const statesAfterStart = new Map([...states].map(([number, state]) => [number, redone.has(number) ? { ...state, status: "stale" as const } : state]));
  const work = stagesToRun(scope, statesAfterStart, null).map(({ stage }) => {
    const before = states.get(stage.number)?.status;
    return { stage, reason: redone.has(stage.number) && before !== "stale" ? ("forced" as const) : reasonOf(before) };
  });
  return { work, statesAfterStart };
}
