import { and, eq, inArray, sql, sum } from "drizzle-orm";
import type { SceneTextSource } from "@scriptorium/contract";
import { generationJobs, projects, sceneTexts, stageRuns, type Database, type GenerationJobRow, type ProjectRow } from "@scriptorium/db";
import type { NewEvent } from "./events";
import type { JobQueue, StopRequest } from "./job-queue";
import { keepsFinishedScenes, partOf, scenesToRun, scopeOfJob, stagesToRun } from "./job-scope";
import { latestTextStage, readStageText, summarizeSceneStage } from "./manuscript";
import type { ContinuityIssue, Outline, QualityReport } from "./outputs";
import { briefOf } from "./project-service";
import { INLINE_OFFLOAD, type Offload } from "../offload";
import { readStageRuns, readStageStates } from "./stage-runs";
import { isPlanningStage, PLANNING_STAGES, STAGE, STAGES, type Stage, type StageNumber } from "./stages";
import { pinnedTexts, sceneKey, storeStageVersion, writeSceneText } from "./versions";
import { writerOfStage } from "./writers/stage-writers";
import type { ProjectBrief, SceneInput, SceneRef, StageWriterSettings, StoryPlan, Usage, Writer, WriterCall } from "./writers/writer";
import { yieldToEventLoop } from "../event-loop";

type WriterFactory = (config: StageWriterSettings) => Writer;

/** Why a running job stops before its last stage. */
export type Interruption = StopRequest | "shutdown";

/** A job stops at a checkpoint, or its in-flight writer call is aborted, for this reason. */
export class JobInterrupted extends Error {
  override name = "JobInterrupted";
  constructor(readonly reason: Interruption) {
    super(reason);
  }
}

type Emit = (event: NewEvent) => void;

const STAGE_WEIGHT = 1 / STAGES.length;

/** A rewrite job runs the scene stages over the scenes it rewrites, then output validation over the book. */
const REWRITE_STAGE_COUNT = STAGE.output_validation - STAGE.scene_drafting + 1;

function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cost_usd: 0 };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** One claimed job while this process runs it: what stops it, and the writers' usage not yet written. */
export class JobRun {
  readonly controller = new AbortController();
  interruption: Interruption | null = null;
  /** Usage reported since the last write of the job, added to its totals with the next one. */
  private pendingUsage = emptyUsage();

  constructor(
    readonly job: GenerationJobRow,
    readonly project: ProjectRow,
    /** What every job of the project has spent, this one included: the budget covers them all. */
    private spentUsd: number,
  ) {}

  /** Stops the job at its next checkpoint, and aborts its in-flight writer call now. */
  interrupt(reason: Interruption): void {
    this.interruption ??= reason;
    this.controller.abort(new JobInterrupted(reason));
  }

  throwIfInterrupted(): void {
    if (this.interruption) throw new JobInterrupted(this.interruption);
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
  }

  /** Hands the usage since the last write of the job to `write`; once it is written, a new tally starts. */
  async writeUsage<T>(write: (usage: Usage) => Promise<T>): Promise<T> {
    const written = await write(this.pendingUsage);
    this.pendingUsage = emptyUsage();
    return written;
  }

  writerCall(): WriterCall {
    const budget = this.project.budgetUsd;
    return {
      signal: this.controller.signal,
      onUsage: (usage) => {
        this.pendingUsage.input_tokens += usage.input_tokens;
        this.pendingUsage.output_tokens += usage.output_tokens;
        this.pendingUsage.cost_usd += usage.cost_usd;
        this.spentUsd += usage.cost_usd;
      },
      remainingBudgetUsd: () => (budget === null ? null : Math.max(0, budget - this.spentUsd)),
    };
  }
}

/** A scene stage's text as stored: whether a later run must redo it. */
interface StoredSceneText {
  text: string;
  stale: boolean;
}

/** One run of a stage: when it counts as started, and how it treats what an earlier run left. */
interface StagePass {
  started: number;
  /** A completed scene stage redoing its stale scenes: it stays completed meanwhile. */
  partial: boolean;
  /** It keeps the scenes an earlier run finished (see keepsFinishedScenes). */
  resuming: boolean;
}

/** What one scene stage produced for one scene. */
interface ProducedText {
  text: string;
  notes: ContinuityIssue[] | null;
  source: SceneTextSource | null;
}

/**
 * Runs the stages of a claimed job: asks the project's writer for each
 * stage's output (scene by scene in stages 6–11), stores it, and writes a
 * checkpoint after each stage and each scene through the job queue, with
 * the tokens and cost spent since the one before.
 *
 * Scene stages redo only what is missing or stale: every scene after a
 * stage that must be redone as a whole, the scenes a rewrite or an edit
 * made stale otherwise. A pinned scene (written by hand) is carried
 * through unchanged.
 */
export class StageRunner {
  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly writerFor: WriterFactory,
    /** Where the last stage reads the whole manuscript: a worker thread in the server, so that requests are answered meanwhile. */
    private readonly offload: Offload = INLINE_OFFLOAD,
  ) {}

  /** A run of a claimed job; null when its project is gone. */
  async open(job: GenerationJobRow): Promise<JobRun | null> {
    const [project] = await this.db.select().from(projects).where(eq(projects.id, job.projectId));
    if (!project) return null;
    const [spent] = await this.db
      .select({ cost: sum(generationJobs.costUsd).mapWith(Number) })
      .from(generationJobs)
      .where(eq(generationJobs.projectId, project.id));
    return new JobRun(job, project, spent?.cost ?? 0);
  }

  /** Runs every stage the job has still to run, in order; throws when the job must stop before the last. */
  async run(run: JobRun): Promise<void> {
    const todo = await this.stagesToRun(run);
    const reused = STAGES.length - todo.length;
    if (run.job.kind === "full" && reused > 0 && run.job.claims === 1) {
      await this.checkpoint(run, (emit) => {
        emit({ type: "log", data: { level: "info", message: `Reusing the finished output of ${reused} stage${reused === 1 ? "" : "s"}.` } });
      });
    }
    for (const stage of todo) {
      run.throwIfInterrupted();
      if (stage.scope === "scene") await this.runSceneStage(run, stage);
      else await this.runProjectStage(run, stage);
    }
  }

  /** The stages this job still has to run, in order (see job-scope.ts); a rewrite looks for stale scenes in its own part only. */
  private async stagesToRun(run: JobRun): Promise<Stage[]> {
    const scope = scopeOfJob(run.job);
    const states = await readStageStates(this.db, run.project.id, partOf(scope));
    return stagesToRun(scope, states, run.job.id).map((work) => work.stage);
  }

  /**
   * Marks a stage running and returns when it counts as started: now, less
   * the time earlier runs of an interrupted stage already spent, so
   * `duration_ms` adds up the time actually worked. A completed scene stage
   * with stale scenes is a partial pass: it stays completed (the manuscript
   * keeps reading it) while those scenes are redone.
   */
  private async beginStage(run: JobRun, stage: Stage): Promise<StagePass> {
    let earlierMs = 0;
    let partial = false;
    let resuming = false;
    await this.checkpoint(run, async (emit, tx) => {
      const [current] = await tx
        .select({ status: stageRuns.status, durationMs: stageRuns.durationMs })
        .from(stageRuns)
        .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, stage.number)));
      partial = stage.scope === "scene" && current?.status === "completed";
      // A stale stage (redone on purpose) starts from nothing; an interrupted or failed one keeps its finished scenes.
      const keeps = current !== undefined && keepsFinishedScenes(current.status);
      resuming = keeps;
      if (keeps) earlierMs = current.durationMs;
      else if (stage.scope === "scene") await tx.update(sceneTexts).set({ stale: true }).where(and(eq(sceneTexts.projectId, run.project.id), eq(sceneTexts.stage, stage.number)));
      if (!partial) {
        await tx
          .insert(stageRuns)
          .values({ workspaceId: run.project.workspaceId, projectId: run.project.id, stage: stage.number, status: "running", jobId: run.job.id, startedAt: new Date() })
          .onConflictDoUpdate({
            target: [stageRuns.projectId, stageRuns.stage],
            set: keeps
              ? { status: "running", jobId: run.job.id }
              : { status: "running", jobId: run.job.id, progress: 0, output: null, version: null, editedAt: null, tokens: 0, costUsd: 0, durationMs: 0, startedAt: new Date(), finishedAt: null },
          });
      }
      await tx.update(generationJobs).set({ currentStage: stage.number, message: `${stage.name}…` }).where(eq(generationJobs.id, run.job.id));
      emit({ type: "stage_started", data: { stage: stage.number, stage_key: stage.key, name: stage.name, resumed: keeps && !partial } });
    });
    return { started: Date.now() - (partial ? 0 : earlierMs), partial, resuming };
  }

  /**
   * The outputs of the planning stages (1–5) a stage builds on. Every stage
   * before `stage` must have one; later ones are not read by that stage's writer.
   */
  private async storyPlan(projectId: string, stage: number): Promise<StoryPlan> {
    const runs = await readStageRuns(this.db, projectId);
    const output = (number: StageNumber) => runs.get(number)?.output ?? null;
    const missing = PLANNING_STAGES.find((number) => number < stage && output(number) === null);
    if (missing !== undefined) throw new Error(`stage ${missing} has no output to build on`);
    return {
      highConcept: output(STAGE.high_concept),
      world: output(STAGE.world_building),
      beats: output(STAGE.beat_sheet),
      cast: output(STAGE.characters),
      outline: output(STAGE.scene_outline),
    } as StoryPlan;
  }

  /** What the writer is told about the project: as it is now (an outline may have reshaped it since the job started). */
  private async brief(run: JobRun): Promise<ProjectBrief> {
    const [project] = await this.db.select().from(projects).where(eq(projects.id, run.project.id));
    const [outline] = await this.db
      .select({ output: stageRuns.output })
      .from(stageRuns)
      .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, STAGE.scene_outline)));
    return briefOf(project ?? run.project, (outline?.output as Outline | null | undefined) ?? null);
  }

  private async runProjectStage(run: JobRun, stage: Stage): Promise<void> {
    const pass = await this.beginStage(run, stage);
    const brief = await this.brief(run);
    const writer = this.writerFor(writerOfStage(run.project.writer, stage.number));
    const call = run.writerCall();
    const plan = await this.storyPlan(run.project.id, stage.number);
    let output: unknown;
    let logMessage: string | null = null;
    switch (stage.key) {
      case "high_concept":
        output = await writer.highConcept(brief, call);
        break;
      case "world_building":
        output = await writer.worldBuilding(brief, plan, call);
        break;
      case "beat_sheet":
        output = await writer.beatSheet(brief, plan, call);
        break;
      case "characters":
        output = await writer.characters(brief, plan, call);
        break;
      case "scene_outline":
        output = await writer.sceneOutline(brief, plan, call);
        break;
      case "output_validation": {
        const { output: validation, summary } = await this.validateOutput(run.project.id, brief, plan.outline);
        output = validation;
        logMessage = summary;
        break;
      }
    }
    await this.completeStage(run, stage, pass, output, logMessage);
  }

  private async validateOutput(projectId: string, brief: ProjectBrief, outline: Outline) {
    const chapters = await readStageText(this.db, projectId, STAGE.motif_infusion, outline);
    const report = (await this.offload.run({
      kind: "quality-report",
      brief,
      chapters: chapters.map((chapter) => ({ number: chapter.number, title: chapter.title, scenes: chapter.scenes.map((scene) => scene.text) })),
    })) as QualityReport;
    const output = {
      manuscript: {
        title: brief.title,
        author: brief.author,
        words: report.total_words,
        chapters: chapters.map((chapter) => ({ number: chapter.number, title: chapter.title, words: chapter.words, scenes: chapter.scenes.length })),
      },
      report,
    };
    const summary = `The manuscript has ${report.total_words.toLocaleString("en-US")} words (target ${brief.target_words.toLocaleString("en-US")})${report.warnings.length ? `; ${report.warnings.map((warning) => warning.replace(/\.$/, "")).join("; ")}` : ""}.`;
    return { output, summary };
  }

  private async runSceneStage(run: JobRun, stage: Stage): Promise<void> {
    const projectId = run.project.id;
    const pass = await this.beginStage(run, stage);
    const brief = await this.brief(run);
    const writer = this.writerFor(writerOfStage(run.project.writer, stage.number));
    const call = run.writerCall();
    const plan = await this.storyPlan(projectId, STAGE.scene_drafting);
    const refs: SceneRef[] = plan.outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => ({ chapter: chapter.number, chapterTitle: chapter.title, scene })));
    const stored = await this.storedTexts(projectId, stage.number, refs);
    const rewrite = run.job.rewrite;
    const todo = new Set(scenesToRun(scopeOfJob(run.job), pass.resuming, stored, refs).map((ref) => sceneKey(ref.chapter, ref.scene.number)));
    // A rewrite's new drafts and revisions replace stage 6's text; a revision starts from the scene's current text.
    const rewriting = rewrite !== null && stage.key === "scene_drafting";
    const current = rewriting ? await this.sceneTextMap(projectId, (await latestTextStage(this.db, projectId)) ?? STAGE.scene_drafting) : new Map<string, string>();
    const sources = stage.key !== "scene_drafting" ? await this.sceneTextMap(projectId, stage.number - 1) : rewrite?.from === "revise" ? current : new Map<string, string>();
    const pins = await pinnedTexts(this.db, projectId);
    let previousText: string | null = null;
    let done = 0;
    for (const [index, ref] of refs.entries()) {
      const key = sceneKey(ref.chapter, ref.scene.number);
      if (!todo.has(key)) {
        previousText = stored.get(key)?.text ?? null;
        continue;
      }
      run.throwIfInterrupted();
      const input: SceneInput = { brief, plan, ref, text: sources.get(key) ?? "", previousText };
      let produced: ProducedText;
      const pinned = pins.get(key);
      if (pinned !== undefined) produced = { text: pinned, notes: null, source: null };
      else if (rewriting && rewrite) {
        const next = refs[index + 1];
        const nextKey = next ? sceneKey(next.chapter, next.scene.number) : null;
        const nextText = nextKey !== null && !todo.has(nextKey) ? (current.get(nextKey) ?? null) : null;
        produced = { text: await writer.rewriteScene({ instruction: rewrite.instruction, from: rewrite.from, nextText }, input, call), notes: null, source: "rewrite" };
      } else produced = await this.writeScene(writer, stage, input, call);
      done += 1;
      const stageProgress = pass.partial ? done / todo.size : (index + 1) / refs.length;
      await this.checkpoint(run, async (emit, tx, usage) => {
        await writeSceneText(tx, { workspaceId: run.project.workspaceId, projectId }, { stage: stage.number, chapter: ref.chapter, scene: ref.scene.number, ...produced, jobId: run.job.id });
        await this.recordStageUsage(tx, run, stage, usage, pass.partial ? null : { progress: stageProgress, elapsedMs: Date.now() - pass.started });
        emit(this.progressEvent(run, stage, stageProgress, `Chapter ${ref.chapter}, scene ${ref.scene.number} of ${stage.name.toLowerCase()}`));
      });
      previousText = produced.text;
    }
    const output = await summarizeSceneStage(this.db, projectId, stage);
    await this.completeStage(run, stage, pass, output.output, output.summary);
  }

  private async writeScene(writer: Writer, stage: Stage, input: SceneInput, call: WriterCall): Promise<ProducedText> {
    switch (stage.key) {
      case "scene_drafting":
        return { text: await writer.draftScene(input, call), notes: null, source: "stage" };
      case "continuity_audit": {
        const { text, issues } = await writer.auditScene(input, call);
        return { text, notes: issues, source: "stage" };
      }
      default:
        return { text: await writer.reviseScene(stage.key as Parameters<Writer["reviseScene"]>[0], input, call), notes: null, source: "stage" };
    }
  }

  /** A scene stage's stored texts by scene; the texts of scenes the outline no longer has are removed first (they stay in the versions). */
  private async storedTexts(projectId: string, stage: number, refs: readonly SceneRef[]): Promise<Map<string, StoredSceneText>> {
    const rows = await this.db
      .select({ chapter: sceneTexts.chapter, scene: sceneTexts.scene, text: sceneTexts.text, stale: sceneTexts.stale })
      .from(sceneTexts)
      .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage)));
    const inOutline = new Set(refs.map((ref) => sceneKey(ref.chapter, ref.scene.number)));
    const outside = rows.filter((row) => !inOutline.has(sceneKey(row.chapter, row.scene)));
    for (const chapter of new Set(outside.map((row) => row.chapter))) {
      const scenes = outside.filter((row) => row.chapter === chapter).map((row) => row.scene);
      await this.db
        .delete(sceneTexts)
        .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage), eq(sceneTexts.chapter, chapter), inArray(sceneTexts.scene, scenes)));
    }
    return new Map(rows.filter((row) => inOutline.has(sceneKey(row.chapter, row.scene))).map((row) => [sceneKey(row.chapter, row.scene), { text: row.text, stale: row.stale }]));
  }

  private async sceneTextMap(projectId: string, stage: number): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ chapter: sceneTexts.chapter, scene: sceneTexts.scene, text: sceneTexts.text })
      .from(sceneTexts)
      .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage)));
    return new Map(rows.map((row) => [sceneKey(row.chapter, row.scene), row.text]));
  }

  private progressEvent(run: JobRun, stage: Stage, stageProgress: number, message: string): NewEvent {
    let progress: number;
    switch (run.job.kind) {
      case "stage":
        progress = stageProgress;
        break;
      case "rewrite":
        progress = (stage.number - STAGE.scene_drafting + stageProgress) / REWRITE_STAGE_COUNT;
        break;
      case "full":
        progress = (stage.number - 1 + stageProgress) * STAGE_WEIGHT;
        break;
    }
    return {
      type: "progress",
      data: { job_id: run.job.id, stage: stage.number, stage_key: stage.key, stage_progress: round(stageProgress), progress: round(progress), message },
    };
  }

  /** Adds what a checkpoint spent to the stage's totals, and for a stage run as a whole its progress and time worked. */
  private async recordStageUsage(tx: Database, run: JobRun, stage: Stage, usage: Usage, progress: { progress: number; elapsedMs: number } | null): Promise<void> {
    await tx
      .update(stageRuns)
      .set({
        ...(progress && { progress: progress.progress, durationMs: Math.round(progress.elapsedMs) }),
        tokens: sql`${stageRuns.tokens} + ${usage.input_tokens + usage.output_tokens}`,
        costUsd: sql`${stageRuns.costUsd} + ${usage.cost_usd}`,
      })
      .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, stage.number)));
  }

  /**
   * Stores a stage's output. A planning stage's output becomes its next
   * version; a partial pass of a scene stage leaves the stage's status and
   * times as they were, and only refreshes its summary and usage.
   */
  private async completeStage(run: JobRun, stage: Stage, pass: StagePass, output: unknown, summary: string | null): Promise<void> {
    const elapsed = Date.now() - pass.started;
    const key = { workspaceId: run.project.workspaceId, projectId: run.project.id };
    await this.checkpoint(run, async (emit, tx, usage) => {
      const version = isPlanningStage(stage.number) ? await storeStageVersion(tx, key, stage.number, output, { edited: false, restoredFrom: null, jobId: run.job.id }) : null;
      const spent = { tokens: sql`${stageRuns.tokens} + ${usage.input_tokens + usage.output_tokens}`, costUsd: sql`${stageRuns.costUsd} + ${usage.cost_usd}` };
      const [row] = await tx
        .update(stageRuns)
        .set(pass.partial ? { output, ...spent } : { status: "completed", progress: 1, output, version, editedAt: null, finishedAt: new Date(), durationMs: elapsed, ...spent })
        .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, stage.number)))
        .returning({ durationMs: stageRuns.durationMs });
      if (stage.scope === "scene") await tx.update(projects).set({ textUpdatedAt: new Date() }).where(eq(projects.id, run.project.id));
      if (summary) emit({ type: "log", data: { level: "info", message: summary } });
      emit({ type: "stage_completed", data: { stage: stage.number, stage_key: stage.key, duration_ms: pass.partial ? elapsed : (row?.durationMs ?? elapsed) } });
      emit(this.progressEvent(run, stage, 1, `${stage.name} finished`));
    });
  }

  /**
   * Writes one checkpoint through the queue, with the usage since the last
   * one (which `work` adds to the stage's own totals). A pause or cancel
   * recorded meanwhile stops the job before its next stage or scene.
   */
  private async checkpoint(run: JobRun, work: (emit: Emit, tx: Database, usage: Usage) => Promise<void> | void): Promise<void> {
    const stop = await run.writeUsage((usage) => this.queue.checkpoint(run.job, usage, (emit, tx) => work(emit, tx, usage)));
    if (stop) run.interruption ??= stop;
    // The embedded database and the offline writer both finish without
    // waiting on I/O, so a run could go on in one unbroken chain of promises
    // and starve every request (a pause included): let them in here.
    await yieldToEventLoop();
  }
}
