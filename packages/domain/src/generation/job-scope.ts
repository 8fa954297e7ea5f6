import type { RewriteJobSpec, RunReason, StageStatus } from "@scriptorium/contract";
import type { GenerationJobRow, StageRunRow } from "@scriptorium/db";
import { ConflictError, NotFoundError } from "../errors";
import type { Outline } from "./outputs";
import type { ScenesOfChapter } from "./stage-runs";
import { STAGE, STAGES, stageByNumber, type Stage } from "./stages";
import { sceneKey } from "./versions";
import type { SceneRef } from "./writers/writer";

/**
 * What a job is asked to do: every stage not yet finished (all of them with
 * `force`), one stage alone, or a rewrite of some scenes of one chapter
 * (stages 6–11 over those scenes, then stage 12). A job's worker, the start
 * that queues it and the plan of that start all decide from this what runs
 * and what becomes stale, through the functions below, so a plan and the
 * run it describes cannot disagree.
 */
export type JobScope = { kind: "full"; force: boolean } | { kind: "stage"; stage: Stage } | { kind: "rewrite"; rewrite: RewriteJobSpec; force: boolean };

/** The part of the book a rewrite names and how it rewrites it, before its scenes are settled against the outline and the pins. */
export type RewritePart = Omit<RewriteJobSpec, "scenes">;

/** What a start asks for: a job scope, except that a rewrite names its part (see scopeOfStart). */
export type StartRequest = Exclude<JobScope, { kind: "rewrite" }> | { kind: "rewrite"; part: RewritePart; force: boolean };

/** The state of one stage that decides what a job runs. */
export interface StageState extends Pick<StageRunRow, "status" | "jobId"> {
  /** Scene stages: some scenes (of a rewrite's part, for a rewrite) are stale, to be redone though the stage may be completed. */
  staleScenes: boolean;
}

/** A project's stages by number; absent for a stage that never ran. */
export type StageStates = ReadonlyMap<number, StageState>;

/** One stage a job runs, and why. */
export interface StageWork {
  stage: Stage;
  reason: RunReason;
}

/** The scene stages a rewrite runs over the scenes it rewrites, before stage 12 over the book. */
export const REWRITTEN_STAGES: readonly number[] = STAGES.filter((stage) => stage.scope === "scene").map((stage) => stage.number);

/** What queuing a job changes before it runs: what its worker then redoes, and the pins it no longer keeps. */
export interface StartEffects {
  /** Stage runs marked stale. */
  staleStages: number[];
  /** Scenes whose texts after stages 6–11 are marked stale: a rewrite's part. */
  staleScenes: ScenesOfChapter | null;
  /** Pins dropped: every one (a forced start), those of a rewrite's part (a forced rewrite), or none. */
  droppedPins: "all" | ScenesOfChapter | null;
}

/** The scope a stored job was started with; its kind is the job's `kind` column. */
export function scopeOfJob(job: Pick<GenerationJobRow, "id" | "kind" | "onlyStage" | "force" | "rewrite">): JobScope {
  switch (job.kind) {
    case "full":
      return { kind: "full", force: job.force };
    case "stage": {
      const stage = job.onlyStage === null ? undefined : stageByNumber(job.onlyStage);
      if (!stage) throw new Error(`job ${job.id} names stage ${String(job.onlyStage)}, which does not exist`);
      return { kind: "stage", stage };
    }
    case "rewrite":
      if (!job.rewrite) throw new Error(`rewrite job ${job.id} does not say what it rewrites`);
      return { kind: "rewrite", rewrite: job.rewrite, force: job.force };
  }
}

/** The scenes a scope is limited to: a rewrite's; null for a job over the whole book. */
export function partOf(scope: JobScope): ScenesOfChapter | null {
  return scope.kind === "rewrite" ? { chapter: scope.rewrite.chapter, scenes: scope.rewrite.scenes } : null;
}

/**
 * Running one stage alone needs every stage before it finished, and a
 * rewrite the book written through stage 11; a start of such a job (and
 * its plan) is refused otherwise, naming what is missing.
 */
export function checkPrerequisites(request: StartRequest | JobScope, states: StageStates): void {
  const unfinished = (before: number) => STAGES.filter((earlier) => earlier.number < before && states.get(earlier.number)?.status !== "completed");
  const names = (stages: Stage[]) => stages.map((stage) => `${stage.number} (${stage.key})`).join(", ");
  if (request.kind === "stage") {
    const missing = unfinished(request.stage.number);
    if (missing.length > 0) throw new ConflictError(`Stage ${request.stage.number} (${request.stage.key}) needs the earlier stages finished first; not finished: ${names(missing)}.`);
  } else if (request.kind === "rewrite") {
    const missing = unfinished(STAGE.output_validation);
    if (missing.length > 0) throw new ConflictError(`Rewriting needs the book written through stage ${STAGE.motif_infusion}; start the job to finish it first. Not finished: ${names(missing)}.`);
  }
}

function describePart(part: Pick<RewritePart, "chapter" | "scene">): string {
  return part.scene === null ? `chapter ${part.chapter}` : `chapter ${part.chapter}, scene ${part.scene}`;
}

/**
 * The scope of a start. A rewrite takes the scenes of its part the outline
 * has, less the pinned ones (written by hand) unless `force`: 404 for a
 * chapter or scene the outline does not have, 409 when every scene of the
 * part is pinned.
 */
export function scopeOfStart(request: StartRequest, outline: Outline | null, pinned: ReadonlySet<string>, projectId: string): JobScope {
  if (request.kind !== "rewrite") return request;
  const { part, force } = request;
  const chapter = outline?.chapters.find((candidate) => candidate.number === part.chapter);
  if (!chapter) throw new NotFoundError(`Chapter ${part.chapter} of project`, projectId);
  const inPart = chapter.scenes.filter((scene) => part.scene === null || scene.number === part.scene).map((scene) => scene.number);
  if (inPart.length === 0) throw new NotFoundError(`Scene ${part.scene} of chapter ${part.chapter} of project`, projectId);
  const scenes = force ? inPart : inPart.filter((scene) => !pinned.has(sceneKey(part.chapter, scene)));
  if (scenes.length === 0) {
    const one = inPart.length === 1;
    throw new ConflictError(`Nothing to rewrite: ${describePart(part)} ${one ? "is" : "are all"} pinned (written by hand). Unpin ${one ? "it" : "them"}, or rewrite with force.`);
  }
  return { kind: "rewrite", rewrite: { ...part, scenes }, force };
}

/**
 * What a start of `scope` changes as it queues the job: the finished (or
 * partly finished) work it redoes on purpose becomes stale. `force` redoes
 * every stage that has run and drops every pin; one stage alone redoes
 * itself and makes every later stage that has run stale; a rewrite makes
 * its scenes stale in stages 6–11, and stage 12, and with `force` drops
 * their pins.
 */
export function effectsOfStart(scope: JobScope, states: StageStates): StartEffects {
  const ran = [...states.keys()].sort((a, b) => a - b);
  switch (scope.kind) {
    case "full":
      return { staleStages: scope.force ? ran : [], staleScenes: null, droppedPins: scope.force ? "all" : null };
    case "stage":
      return { staleStages: ran.filter((number) => number >= scope.stage.number && states.get(number)?.status !== "pending"), staleScenes: null, droppedPins: null };
    case "rewrite": {
      const part = partOf(scope);
      return { staleStages: ran.filter((number) => number === STAGE.output_validation), staleScenes: part, droppedPins: scope.force ? part : null };
    }
  }
}

/**
 * A stage started again keeps the scenes it had finished, unless it is
 * stale: then its output is out of date and it starts from nothing.
 */
export function keepsFinishedScenes(status: StageStatus): boolean {
  return status !== "stale";
}

function needsRun(state: StageState | undefined): boolean {
  return state?.status !== "completed" || state.staleScenes;
}

function reasonOf(state: StageState | undefined): RunReason {
  switch (state?.status) {
    case "stale":
      return "stale";
    case "failed":
      return "failed";
    case "completed":
      return state.staleScenes ? "stale" : "forced";
    default:
      return "pending";
  }
}

/**
 * The stages a job of `scope` runs, in order, given the project's stage
 * states: what a worker runs when it takes the job up (`jobId` being that
 * job, whose own finished stages count as done), and what a plan shows.
 * Every stage not completed runs, and every scene stage with stale scenes;
 * a rewrite runs no planning stage.
 */
export function stagesToRun(scope: JobScope, states: StageStates, jobId: string | null): StageWork[] {
  if (scope.kind === "stage") {
    const state = states.get(scope.stage.number);
    if (state?.status === "completed" && state.jobId === jobId) return [];
    return [{ stage: scope.stage, reason: reasonOf(state) }];
  }
  const stages = scope.kind === "rewrite" ? STAGES.filter((stage) => stage.number >= STAGE.scene_drafting) : STAGES;
  return stages.filter((stage) => needsRun(states.get(stage.number))).map((stage) => ({ stage, reason: reasonOf(states.get(stage.number)) }));
}

/**
 * What a start of `scope` would run now, and why: the states it would
 * leave once queued (effectsOfStart), then stagesToRun. A stage the start
 * itself makes stale is `forced`.
 */
export function stagesOfStart(scope: JobScope, states: StageStates): { work: StageWork[]; statesAfterStart: StageStates; effects: StartEffects } {
  const effects = effectsOfStart(scope, states);
  const redone = new Set(effects.staleStages);
  const scenesRedone = new Set(effects.staleScenes ? REWRITTEN_STAGES : []);
  const statesAfterStart = new Map(
    [...states].map(([number, state]) => [number, { ...state, status: redone.has(number) ? ("stale" as const) : state.status, staleScenes: state.staleScenes || scenesRedone.has(number) }]),
  );
  const work = stagesToRun(scope, statesAfterStart, null).map(({ stage }) => {
    const before = states.get(stage.number);
    const madeStale = (redone.has(stage.number) && before?.status !== "stale") || scenesRedone.has(stage.number);
    return { stage, reason: madeStale ? ("forced" as const) : reasonOf(before) };
  });
  return { work, statesAfterStart, effects };
}

/**
 * The scenes one scene stage of a job writes, in book order: every scene
 * of the outline (of a rewrite's part, for a rewrite) when the stage starts
 * from nothing, else those with no text after the stage yet or a stale one.
 * Pinned scenes are among them: the stage carries their text through.
 */
export function scenesToRun(scope: JobScope, keepsFinished: boolean, stored: ReadonlyMap<string, { stale: boolean }>, refs: readonly SceneRef[]): SceneRef[] {
  const part = partOf(scope);
  return refs.filter((ref) => {
    if (part && (ref.chapter !== part.chapter || !part.scenes.includes(ref.scene.number))) return false;
    return !keepsFinished || (stored.get(sceneKey(ref.chapter, ref.scene.number))?.stale ?? true);
  });
}
