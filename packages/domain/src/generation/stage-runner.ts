import { and, eq, sql, sum } from "drizzle-orm";
import { generationJobs, projects, sceneTexts, stageRuns, type Database, type GenerationJobRow, type ProjectRow } from "@scriptorium/db";
import type { NewEvent } from "./events";
import type { JobQueue, StopRequest } from "./job-queue";
import { keepsFinishedScenes, scopeOfJob, stagesToRun } from "./job-scope";
import { readStageText } from "./manuscript";
import type { ContinuityIssue, Outline } from "./outputs";
import { briefOf } from "./project-service";
import { computeQualityReport, countWords } from "./quality";
import { readStageRuns } from "./stage-runs";
import { STAGE, STAGES, type Stage, type StageNumber } from "./stages";
import { writerOfStage } from "./writers/stage-writers";
import type { ProjectBrief, SceneInput, StageWriterSettings, StoryPlan, Usage, Writer, WriterCall } from "./writers/writer";

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

/** The stages whose outputs make up the story plan that later stages build on. */
const PLANNING_STAGES = [STAGE.high_concept, STAGE.world_building, STAGE.beat_sheet, STAGE.characters, STAGE.scene_outline] as const;

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

/**
 * Runs the stages of a claimed job: asks the project's writer for each
 * stage's output (scene by scene in stages 6–11), stores it, and writes a
 * checkpoint after each stage and each scene through the job queue, with
 * the tokens and cost spent since the one before.
 */
export class StageRunner {
  constructor(
    private readonly db: Database,
    private readonly queue: JobQueue,
    private readonly writerFor: WriterFactory,
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
    if (run.job.onlyStage === null && reused > 0 && run.job.claims === 1) {
      await this.checkpoint(run, (emit) => {
        emit({ type: "log", data: { level: "info", message: `Reusing the finished output of ${reused} stage${reused === 1 ? "" : "s"}.` } });
      });
    }
    for (const stage of todo) {
      run.throwIfInterrupted();
      const started = await this.beginStage(run, stage);
      if (stage.scope === "scene") await this.runSceneStage(run, stage, started);
      else await this.runProjectStage(run, stage, started);
    }
  }

  /** The stages this job still has to run, in order. */
  private async stagesToRun(run: JobRun): Promise<Stage[]> {
    const runs = await readStageRuns(this.db, run.project.id);
    return stagesToRun(scopeOfJob(run.job), runs, run.job.id).map((work) => work.stage);
  }

  /**
   * Marks a stage running and returns when it counts as started: now, less
   * the time earlier runs of an interrupted stage already spent, so
   * `duration_ms` adds up the time actually worked.
   */
  private async beginStage(run: JobRun, stage: Stage): Promise<number> {
    let earlierMs = 0;
    await this.checkpoint(run, async (emit, tx) => {
      const [current] = await tx
        .select({ status: stageRuns.status, durationMs: stageRuns.durationMs })
        .from(stageRuns)
        .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, stage.number)));
      // A stale stage (redone on purpose) starts from nothing; an interrupted or failed one keeps its finished scenes.
      const resuming = current !== undefined && keepsFinishedScenes(current.status);
      if (resuming) earlierMs = current.durationMs;
      else await tx.delete(sceneTexts).where(and(eq(sceneTexts.projectId, run.project.id), eq(sceneTexts.stage, stage.number)));
      await tx
        .insert(stageRuns)
        .values({ workspaceId: run.project.workspaceId, projectId: run.project.id, stage: stage.number, status: "running", jobId: run.job.id, startedAt: new Date() })
        .onConflictDoUpdate({
          target: [stageRuns.projectId, stageRuns.stage],
          set: resuming
            ? { status: "running", jobId: run.job.id }
            : { status: "running", jobId: run.job.id, progress: 0, output: null, tokens: 0, costUsd: 0, durationMs: 0, startedAt: new Date(), finishedAt: null },
        });
      await tx.update(generationJobs).set({ currentStage: stage.number, message: `${stage.name}…` }).where(eq(generationJobs.id, run.job.id));
      emit({ type: "stage_started", data: { stage: stage.number, stage_key: stage.key, name: stage.name, resumed: resuming } });
    });
    return Date.now() - earlierMs;
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

  private async runProjectStage(run: JobRun, stage: Stage, started: number): Promise<void> {
    const brief = briefOf(run.project);
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
    await this.completeStage(run, stage, started, output, logMessage);
  }

  private async validateOutput(projectId: string, brief: ProjectBrief, outline: Outline) {
    const chapters = await readStageText(this.db, projectId, STAGE.motif_infusion, outline);
    const report = computeQualityReport(
      brief,
      chapters.map((chapter) => ({ number: chapter.number, title: chapter.title, scenes: chapter.scenes.map((scene) => scene.text) })),
    );
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

  private async runSceneStage(run: JobRun, stage: Stage, started: number): Promise<void> {
    const brief = briefOf(run.project);
    const writer = this.writerFor(writerOfStage(run.project.writer, stage.number));
    const call = run.writerCall();
    const plan = await this.storyPlan(run.project.id, STAGE.scene_drafting);
    const scenes = plan.outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => ({ chapter: chapter.number, chapterTitle: chapter.title, scene })));
    const sources = stage.number === STAGE.scene_drafting ? new Map<string, string>() : await this.sceneTextMap(run.project.id, stage.number - 1);
    const done = await this.sceneTextMap(run.project.id, stage.number);
    let previousText: string | null = null;
    for (const [index, ref] of scenes.entries()) {
      const key = `${ref.chapter}:${ref.scene.number}`;
      const finished = done.get(key);
      if (finished !== undefined) {
        previousText = finished;
        continue;
      }
      run.throwIfInterrupted();
      const input: SceneInput = { brief, plan, ref, text: sources.get(key) ?? "", previousText };
      let text: string;
      let notes: ContinuityIssue[] | null = null;
      if (stage.key === "scene_drafting") text = await writer.draftScene(input, call);
      else if (stage.key === "continuity_audit") ({ text, issues: notes } = await writer.auditScene(input, call));
      else text = await writer.reviseScene(stage.key as Parameters<Writer["reviseScene"]>[0], input, call);
      const progress = (index + 1) / scenes.length;
      await this.checkpoint(run, async (emit, tx, usage) => {
        await tx.insert(sceneTexts).values({
          workspaceId: run.project.workspaceId,
          projectId: run.project.id,
          stage: stage.number,
          chapter: ref.chapter,
          scene: ref.scene.number,
          text,
          words: countWords(text),
          notes,
        });
        await this.recordStageProgress(tx, run, stage, usage, progress, Date.now() - started);
        emit(this.progressEvent(run, stage, progress, `Chapter ${ref.chapter}, scene ${ref.scene.number} of ${stage.name.toLowerCase()}`));
      });
      previousText = text;
    }
    const output = await this.sceneStageSummary(run.project.id, stage);
    await this.completeStage(run, stage, started, output.output, output.summary);
  }

  private async sceneTextMap(projectId: string, stage: number): Promise<Map<string, string>> {
    const rows = await this.db
      .select({ chapter: sceneTexts.chapter, scene: sceneTexts.scene, text: sceneTexts.text })
      .from(sceneTexts)
      .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage)));
    return new Map(rows.map((row) => [`${row.chapter}:${row.scene}`, row.text]));
  }

  /** A scene stage's stored output: its size, and for the audit every issue found and fixed (the text itself stays in scene_texts). */
  private async sceneStageSummary(projectId: string, stage: Stage): Promise<{ output: unknown; summary: string | null }> {
    const rows = await this.db
      .select({ words: sceneTexts.words, notes: sceneTexts.notes })
      .from(sceneTexts)
      .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage.number)));
    const words = rows.reduce((total, row) => total + row.words, 0);
    if (stage.key !== "continuity_audit") return { output: { scenes: rows.length, words }, summary: null };
    const issues = rows.flatMap((row) => (row.notes as ContinuityIssue[] | null) ?? []);
    issues.sort((a, b) => a.chapter - b.chapter || a.scene - b.scene);
    const summary = issues.length === 0 ? "The continuity audit found no inconsistencies." : `The continuity audit found and fixed ${issues.length} inconsistenc${issues.length === 1 ? "y" : "ies"}.`;
    return { output: { scenes: rows.length, words, issues, fixes_applied: issues.length }, summary };
  }

  private progressEvent(run: JobRun, stage: Stage, stageProgress: number, message: string): NewEvent {
    const progress = run.job.onlyStage !== null ? stageProgress : (stage.number - 1 + stageProgress) * STAGE_WEIGHT;
    return {
      type: "progress",
      data: { job_id: run.job.id, stage: stage.number, stage_key: stage.key, stage_progress: round(stageProgress), progress: round(progress), message },
    };
  }

  private async recordStageProgress(tx: Database, run: JobRun, stage: Stage, usage: Usage, progress: number, elapsedMs: number): Promise<void> {
    await tx
      .update(stageRuns)
      .set({
        progress,
        durationMs: Math.round(elapsedMs),
        tokens: sql`${stageRuns.tokens} + ${usage.input_tokens + usage.output_tokens}`,
        costUsd: sql`${stageRuns.costUsd} + ${usage.cost_usd}`,
      })
      .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, stage.number)));
  }

  private async completeStage(run: JobRun, stage: Stage, started: number, output: unknown, summary: string | null): Promise<void> {
    const elapsed = Date.now() - started;
    await this.checkpoint(run, async (emit, tx, usage) => {
      const [row] = await tx
        .update(stageRuns)
        .set({
          status: "completed",
          progress: 1,
          output,
          finishedAt: new Date(),
          durationMs: elapsed,
          tokens: sql`${stageRuns.tokens} + ${usage.input_tokens + usage.output_tokens}`,
          costUsd: sql`${stageRuns.costUsd} + ${usage.cost_usd}`,
        })
        .where(and(eq(stageRuns.projectId, run.project.id), eq(stageRuns.stage, stage.number)))
        .returning({ durationMs: stageRuns.durationMs });
      if (stage.scope === "scene") await tx.update(projects).set({ textUpdatedAt: new Date() }).where(eq(projects.id, run.project.id));
      if (summary) emit({ type: "log", data: { level: "info", message: summary } });
      emit({ type: "stage_completed", data: { stage: stage.number, stage_key: stage.key, duration_ms: row?.durationMs ?? elapsed } });
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
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
