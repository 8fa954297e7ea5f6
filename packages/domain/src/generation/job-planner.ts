import { and, desc, eq, inArray, sum } from "drizzle-orm";
import { isActiveJobStatus, type JobKind, type JobStatus, type RewriteFrom, type RunReason } from "@scriptorium/contract";
import { generationJobs, sceneTexts, type Database, type GenerationJobRow, type StageRunRow } from "@scriptorium/db";
import { ConflictError, InvalidError } from "../errors";
import {
  checkPrerequisites,
  keepsFinishedScenes,
  partOf,
  scenesToRun,
  scopeOfJob,
  scopeOfStart,
  stagesOfStart,
  stagesToRun,
  type JobScope,
  type StageStates,
  type StageWork,
  type StartRequest,
} from "./job-scope";
import type { Outline } from "./outputs";
import { briefOf, type ProjectService } from "./project-service";
import { readStageStates, type ScenesOfChapter } from "./stage-runs";
import { STAGE, STAGES, stageByNumber, type Stage } from "./stages";
import { pinnedScenes, sceneKey } from "./versions";
import { estimateLlmStage, type LlmEstimate } from "./writers/llm/estimate";
import { costUsd, PRICE_TABLE_DATE } from "./writers/llm/prices";
import { modelIdOf, offlineLanguageNote, unpricedWriters, writerOfStage, writerPrice, type WriterPrice } from "./writers/stage-writers";
import type { ProjectBrief, SceneRef, StageWriterSettings, StoryPlan, Writer, WriterCall } from "./writers/writer";

/** What to plan: a start as `POST …/generate` (with `force`), `POST …/generate/stages/{n}` or `POST …/rewrite` (with `force`) would make it. */
export interface PlanRequest {
  stage?: number | undefined;
  force?: boolean | undefined;
  /** A rewrite of a chapter, or one scene of it (its instruction does not change what runs). */
  rewrite?: { chapter: number; scene?: number | undefined; from?: RewriteFrom | undefined } | undefined;
}

/** One stage a start would run, why, with what, and what it is expected to take. */
export interface StagePlan {
  stage: Stage;
  reason: RunReason;
  /** The writer that runs the stage; null for stage 12, which computes its report without one. */
  writer: StageWriterSettings | null;
  /** The model it calls; null for the offline writer and stage 12. */
  model: string | null;
  /** What the model costs and where that comes from; null when no price is known. */
  price: WriterPrice | null;
  /** Scene stages: the scenes the stage writes, by chapter; null for the other stages. */
  scenes: { chapter: number; scenes: number[] }[] | null;
  /** Scene stages: how many of those scenes are pinned (written by hand): the stage carries their text through without a request. */
  pinnedScenes: number;
  /** Scene stages: the scenes (of a rewrite's part, for a rewrite) it keeps as an earlier run left them, finished and not stale. */
  keptScenes: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Null when the stage's model has no known price. */
  costUsd: number | null;
  seconds: number;
}

export type PlanWarningCode = "offline_writes_english" | "price_unknown" | "over_budget";

export interface PlanWarning {
  code: PlanWarningCode;
  message: string;
}

/** What a start would run now, and what it is expected to cost. */
export interface JobPlan {
  projectId: string;
  /** The project's queued, running or paused job, whose remaining work this plan shows; null when a start would queue a new one. */
  activeJob: { id: string; status: JobStatus } | null;
  kind: JobKind;
  force: boolean;
  onlyStage: number | null;
  /** A rewrite's part: its chapter, the scene asked for (null: the whole chapter), how, and the scenes it rewrites. */
  rewrite: { chapter: number; scene: number | null; from: RewriteFrom; scenes: number[] } | null;
  stages: StagePlan[];
  totals: { requests: number; inputTokens: number; outputTokens: number; costUsd: number | null; seconds: number };
  budgetUsd: number | null;
  /** What the project's jobs have spent so far: the budget covers them all. */
  spentUsd: number;
  /** The date of the price table the estimates use. */
  pricesAsOf: string;
  warnings: PlanWarning[];
}

/*
 * Time estimates. The offline writer's are measured (`npm run bench`: a
 * 90 000-word book in about 4 s, most of it the ~540 checkpoints, each one
 * transaction with its events); LLM requests are dominated by how fast the
 * model writes, and every request waits a moment before its first token.
 */
const SECONDS_PER_CHECKPOINT = 0.006;
const OFFLINE_SECONDS_PER_WORD = 0.000_001;
const LLM_SECONDS_PER_REQUEST = 1.5;
const LLM_OUTPUT_TOKENS_PER_SECOND = 50;

const STAND_IN_CALL: WriterCall = { signal: new AbortController().signal, onUsage: () => undefined, remainingBudgetUsd: () => null };

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The story plan the estimates build prompts on: each planning stage's
 * stored output where it stays, and the offline writer's version where the
 * stage is still to be written (about the size a model writes, and for an
 * offline project exactly what will be written).
 */
async function planForEstimates(standIn: Writer, brief: ProjectBrief, runs: ReadonlyMap<number, StageRunRow>, rerun: ReadonlySet<number>): Promise<StoryPlan> {
  const kept = <T>(stage: number): T | null => (rerun.has(stage) ? null : ((runs.get(stage)?.output as T | null | undefined) ?? null));
  const highConcept = kept<StoryPlan["highConcept"]>(STAGE.high_concept) ?? (await standIn.highConcept(brief, STAND_IN_CALL));
  const world = kept<StoryPlan["world"]>(STAGE.world_building) ?? (await standIn.worldBuilding(brief, { highConcept }, STAND_IN_CALL));
  const beats = kept<StoryPlan["beats"]>(STAGE.beat_sheet) ?? (await standIn.beatSheet(brief, { highConcept, world }, STAND_IN_CALL));
  const cast = kept<StoryPlan["cast"]>(STAGE.characters) ?? (await standIn.characters(brief, { highConcept, world, beats }, STAND_IN_CALL));
  const outline = kept<StoryPlan["outline"]>(STAGE.scene_outline) ?? (await standIn.sceneOutline(brief, { highConcept, world, beats, cast }, STAND_IN_CALL));
  return { highConcept, world, beats, cast, outline };
}

/**
 * Plans a start before anyone pays for it: which stages and scenes it would
 * run and why, with which writer, and the tokens, cost and time each is
 * expected to take. What runs comes from the same functions a job's worker
 * follows (job-scope.ts), so the plan is what the next run does.
 */
export class JobPlanner {
  constructor(
    private readonly db: Database,
    private readonly projects: ProjectService,
    /** The offline writer (in the server, in its worker threads): its planning stages cost nothing and stand in for the stages a plan has still to write. */
    private readonly standIn: Writer,
  ) {}

  async plan(workspaceId: string, projectId: string, request: PlanRequest = {}): Promise<JobPlan> {
    const project = await this.projects.get(workspaceId, projectId);
    const [latest] = await this.db.select().from(generationJobs).where(eq(generationJobs.projectId, projectId)).orderBy(desc(generationJobs.createdAt)).limit(1);
    const active = latest && isActiveJobStatus(latest.status) ? latest : null;
    const pins = await pinnedScenes(this.db, projectId);
    const { scope, work, states, runs, pinned, markedStale } = active
      ? await this.remainingWork(projectId, active, request, pins)
      : await this.workOfStart(projectId, request, pins);

    const brief = briefOf(project, (runs.get(STAGE.scene_outline)?.output as Outline | null | undefined) ?? null);
    const rerun = new Set(work.map((item) => item.stage.number));
    const plan = await planForEstimates(this.standIn, brief, runs, rerun);
    const sceneRefs: SceneRef[] = plan.outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => ({ chapter: chapter.number, chapterTitle: chapter.title, scene })));
    const part = partOf(scope);
    const inScope = sceneRefs.filter((ref) => !part || (ref.chapter === part.chapter && part.scenes.includes(ref.scene.number)));
    const stored = await this.storedScenes(projectId, work, markedStale);

    const stages = work.map(({ stage, reason }): StagePlan => {
      if (stage.number === STAGE.output_validation) return this.validationPlan(stage, reason, brief);
      const writer = writerOfStage(project.writer, stage.number);
      const price = writerPrice(writer);
      const keeps = keepsFinishedScenes(states.get(stage.number)?.status ?? "pending");
      const scenes = stage.scope === "scene" ? scenesToRun(scope, keeps, stored.get(stage.number) ?? new Map(), sceneRefs) : [];
      const written = scenes.filter((ref) => !pinned.has(sceneKey(ref.chapter, ref.scene.number)));
      const tokens: LlmEstimate =
        writer.provider === "offline"
          ? { requests: 0, inputTokens: 0, outputTokens: 0 }
          : estimateLlmStage(stage, {
              brief,
              plan,
              scenes: written,
              describeSchemaInPrompt: writer.provider === "openai-compatible",
              rewriteFrom: scope.kind === "rewrite" ? scope.rewrite.from : null,
            });
      const words = written.reduce((total, ref) => total + ref.scene.target_words, 0);
      const checkpoints = stage.scope === "scene" ? scenes.length + 1 : 1;
      const writing = writer.provider === "offline" ? words * OFFLINE_SECONDS_PER_WORD : tokens.requests * LLM_SECONDS_PER_REQUEST + tokens.outputTokens / LLM_OUTPUT_TOKENS_PER_SECOND;
      return {
        stage,
        reason,
        writer,
        model: modelIdOf(writer),
        price,
        scenes: stage.scope === "scene" ? byChapter(scenes) : null,
        pinnedScenes: scenes.length - written.length,
        keptScenes: stage.scope === "scene" ? inScope.length - scenes.length : 0,
        ...tokens,
        costUsd: price ? round(costUsd(price.price, tokens.inputTokens, tokens.outputTokens), 6) : null,
        seconds: round(checkpoints * SECONDS_PER_CHECKPOINT + writing, 1),
      };
    });

    const [spent] = await this.db.select({ cost: sum(generationJobs.costUsd).mapWith(Number) }).from(generationJobs).where(eq(generationJobs.projectId, projectId));
    const spentUsd = round(spent?.cost ?? 0, 6);
    const totalCost = stages.every((stage) => stage.costUsd !== null) ? round(stages.reduce((total, stage) => total + (stage.costUsd ?? 0), 0), 6) : null;
    const warnings: PlanWarning[] = [];
    const english = offlineLanguageNote(project.writer, project.language, work.map((item) => item.stage.number));
    if (english) warnings.push({ code: "offline_writes_english", message: english });
    if (project.budgetUsd !== null) {
      for (const unpriced of unpricedWriters(project.writer)) {
        warnings.push({
          code: "price_unknown",
          message: `The price of "${unpriced.model}" (${unpriced.path.join(".")}) is unknown and the project has a budget: starting answers 409 until ${unpriced.path.join(".")}.price is set.`,
        });
      }
      const remaining = Math.max(0, project.budgetUsd - spentUsd);
      if (totalCost !== null && totalCost > remaining) {
        warnings.push({
          code: "over_budget",
          message: `The estimate ($${totalCost.toFixed(4)}) is more than what is left of the budget ($${remaining.toFixed(4)}): the job will pause with budget_exhausted before it finishes unless the budget is raised.`,
        });
      }
    }
    return {
      projectId,
      activeJob: active ? { id: active.id, status: active.status } : null,
      kind: scope.kind,
      force: scope.kind !== "stage" && scope.force,
      onlyStage: scope.kind === "stage" ? scope.stage.number : null,
      rewrite: scope.kind === "rewrite" ? { chapter: scope.rewrite.chapter, scene: scope.rewrite.scene, from: scope.rewrite.from, scenes: scope.rewrite.scenes } : null,
      stages,
      totals: {
        requests: stages.reduce((total, stage) => total + stage.requests, 0),
        inputTokens: stages.reduce((total, stage) => total + stage.inputTokens, 0),
        outputTokens: stages.reduce((total, stage) => total + stage.outputTokens, 0),
        costUsd: totalCost,
        seconds: round(stages.reduce((total, stage) => total + stage.seconds, 0), 1),
      },
      budgetUsd: project.budgetUsd,
      spentUsd,
      pricesAsOf: PRICE_TABLE_DATE,
      warnings,
    };
  }

  /**
   * What a new start would run, the project being idle: the states it
   * would leave once queued, the pins it would keep, and the scenes it
   * would mark stale.
   */
  private async workOfStart(projectId: string, request: PlanRequest, pins: ReadonlySet<string>): Promise<PlannedWork> {
    const runs = await readStageStates(this.db, projectId, null);
    const start = startRequestOf(request);
    checkPrerequisites(start, runs);
    const scope = scopeOfStart(start, (runs.get(STAGE.scene_outline)?.output as Outline | null | undefined) ?? null, pins, projectId);
    const { work, statesAfterStart, effects } = stagesOfStart(scope, runs);
    const dropped = effects.droppedPins;
    const pinned = new Set([...pins].filter((key) => dropped !== "all" && !(dropped && inPart(dropped, key))));
    return { scope, work, states: statesAfterStart, runs, pinned, markedStale: effects.staleScenes };
  }

  /** What the project's active job still has to do; a different start would be refused while it lasts. */
  private async remainingWork(projectId: string, active: GenerationJobRow, request: PlanRequest, pins: ReadonlySet<string>): Promise<PlannedWork> {
    if (request.stage !== undefined || request.force || request.rewrite !== undefined) {
      throw new ConflictError(`The project has a ${active.status} job (${active.kind}): a start would answer 409 until it ends. Plan without stage, force or rewrite to see what that job still has to do.`);
    }
    const scope = scopeOfJob(active);
    const runs = await readStageStates(this.db, projectId, partOf(scope));
    return { scope, work: stagesToRun(scope, runs, active.id), states: runs, runs, pinned: pins, markedStale: null };
  }

  /**
   * Per scene stage to run, its stored scenes and whether each is stale
   * (the scenes a start marks stale counted as such).
   */
  private async storedScenes(projectId: string, work: readonly StageWork[], markedStale: ScenesOfChapter | null): Promise<Map<number, Map<string, { stale: boolean }>>> {
    const sceneStages = work.filter(({ stage }) => stage.scope === "scene").map(({ stage }) => stage.number);
    const stored = new Map<number, Map<string, { stale: boolean }>>();
    if (sceneStages.length === 0) return stored;
    const rows = await this.db
      .select({ stage: sceneTexts.stage, chapter: sceneTexts.chapter, scene: sceneTexts.scene, stale: sceneTexts.stale })
      .from(sceneTexts)
      .where(and(eq(sceneTexts.projectId, projectId), inArray(sceneTexts.stage, sceneStages)));
    for (const row of rows) {
      const key = sceneKey(row.chapter, row.scene);
      const scenes = stored.get(row.stage) ?? new Map<string, { stale: boolean }>();
      scenes.set(key, { stale: row.stale || (markedStale !== null && inPart(markedStale, key)) });
      stored.set(row.stage, scenes);
    }
    return stored;
  }

  /** Stage 12 reads the manuscript and computes its report: no writer, no tokens. */
  private validationPlan(stage: Stage, reason: RunReason, brief: ProjectBrief): StagePlan {
    return {
      stage,
      reason,
      writer: null,
      model: null,
      price: null,
      scenes: null,
      pinnedScenes: 0,
      keptScenes: 0,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      seconds: round(SECONDS_PER_CHECKPOINT + brief.target_words * OFFLINE_SECONDS_PER_WORD, 1),
    };
  }
}

/** What a plan is made from: the job's scope, the stages it runs, the stage states it decides from (as a start would leave them) with the stored outputs, and the pins that stay. */
interface PlannedWork {
  scope: JobScope;
  work: StageWork[];
  states: StageStates;
  runs: ReadonlyMap<number, StageRunRow>;
  pinned: ReadonlySet<string>;
  /** The scenes a new start marks stale (a rewrite's part). */
  markedStale: ScenesOfChapter | null;
}

/** The start a plan request describes; 422 for a stage that does not exist. */
function startRequestOf(request: PlanRequest): StartRequest {
  const force = request.force ?? false;
  if (request.rewrite !== undefined) {
    if (request.stage !== undefined) throw new InvalidError("A plan is of one start: a stage run alone or a rewrite, not both.", [{ path: ["stage"], message: "Leave out stage to plan a rewrite." }]);
    const { chapter, scene, from } = request.rewrite;
    return { kind: "rewrite", part: { chapter, scene: scene ?? null, from: from ?? "draft", instruction: "" }, force };
  }
  if (request.stage === undefined) return { kind: "full", force };
  const stage = stageByNumber(request.stage);
  if (!stage) throw new InvalidError(`Stage ${request.stage} does not exist; stages are numbered 1 to ${STAGES.length}.`, [{ path: ["stage"], message: `Must be between 1 and ${STAGES.length}.` }]);
  return { kind: "stage", stage };
}

function inPart(part: ScenesOfChapter, key: string): boolean {
  return part.scenes.some((scene) => sceneKey(part.chapter, scene) === key);
}

/** Scenes grouped by chapter, in book order. */
function byChapter(scenes: readonly SceneRef[]): { chapter: number; scenes: number[] }[] {
  const chapters: { chapter: number; scenes: number[] }[] = [];
  for (const ref of scenes) {
    const last = chapters.at(-1);
    if (last?.chapter === ref.chapter) last.scenes.push(ref.scene.number);
    else chapters.push({ chapter: ref.chapter, scenes: [ref.scene.number] });
  }
  return chapters;
}
