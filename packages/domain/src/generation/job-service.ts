import { randomUUID } from "node:crypto";
import { and, count, desc, eq, gt, inArray, ne, sql } from "drizzle-orm";
import type { JobKind, JobStatus, PauseReason, RewriteJobSpec, RewriteRequest } from "@scriptorium/contract";
import { generationJobs, isUniqueViolation, projects, scenePins, sceneTexts, stageRuns, type Database, type GenerationJobRow, type ProjectRow } from "@scriptorium/db";
import type { Cluster } from "../cluster/cluster";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import type { JobEngine } from "./job-engine";
import type { EventLog, GenerationEvent, NewEvent } from "./events";
import { latestTextStage, readManuscript, type ChapterRange, type Manuscript } from "./manuscript";
import type { Outline } from "./outputs";
import { lockProject } from "./project-lock";
import type { ProjectService } from "./project-service";
import { readStageOutput, readStageReports, readStageRuns, roundProgress, type StageOutputReport, type StageReport } from "./stage-runs";
import { STAGE, STAGES, stageByNumber, type Stage } from "./stages";

/** A job as status reports show it; the API names its fields for the wire. */
export interface JobReport {
  jobId: string;
  projectId: string;
  status: JobStatus;
  kind: JobKind;
  pauseRequested: boolean;
  cancelRequested: boolean;
  /** Why the job is paused; null unless it is. */
  pauseReason: PauseReason | null;
  /** Set for a job that runs one stage alone. */
  onlyStage: number | null;
  /** The stage the job is at; null once it has completed, or before it reached one. */
  currentStage: Stage | null;
  stages: StageReport[];
  /** 0–1, to four decimals. */
  progress: number;
  message: string;
  error: string | null;
  /** The words of the latest text; until drafting has finished, the words drafted so far. */
  words: number;
  tokens: number;
  /** To the millionth of a dollar. */
  costUsd: number;
  /** True once scene drafting has finished: the manuscript can be read from then on. */
  hasManuscript: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  /** The project's newest event when this report was read: a live stream resumed from it misses nothing after this report. */
  lastEventId: number;
}

const ACTIVE: JobStatus[] = ["queued", "running", "paused"];

/** What a new job is: its kind and what it is asked to do. */
interface JobShape {
  kind: JobKind;
  force: boolean;
  onlyStage: number | null;
  rewrite: RewriteJobSpec | null;
}

/** The scene stages a rewrite runs over the scenes it rewrites, before output validation over the book. */
const REWRITTEN_STAGES = STAGES.filter((stage) => stage.scope === "scene").map((stage) => stage.number);

function alreadyActive(projectId: string, status: string): ConflictError {
  return new ConflictError(`Project ${projectId} already has a ${status} job; pause, resume or cancel it instead of starting another.`);
}

function describeRewrite(rewrite: { chapter: number; scene: number | null }): string {
  return rewrite.scene === null ? `chapter ${rewrite.chapter}` : `chapter ${rewrite.chapter}, scene ${rewrite.scene}`;
}

/**
 * Starts and steers generation jobs and reports on them. The engine does
 * the work; this service records intentions (start, pause, resume, cancel)
 * in the database and nudges the engine.
 */
export class JobService {
  constructor(
    private readonly db: Database,
    private readonly projectService: ProjectService,
    private readonly events: EventLog,
    private readonly engine: JobEngine,
    private readonly cluster: Cluster,
  ) {}

  /** Starts a job that runs every stage not yet finished (all of them with `force`). */
  async start(workspaceId: string, projectId: string, options: { force?: boolean | undefined } = {}): Promise<JobReport> {
    const project = await this.projectService.get(workspaceId, projectId);
    const force = options.force ?? false;
    const job = await this.createJob(project, { kind: "full", force, onlyStage: null, rewrite: null }, async (tx) => {
      if (!force) return;
      // Everything is redone, pinned scenes too: the pins would otherwise keep texts the writer no longer wrote.
      await tx.update(stageRuns).set({ status: "stale" }).where(eq(stageRuns.projectId, projectId));
      await tx.delete(scenePins).where(eq(scenePins.projectId, projectId));
    });
    return this.report(project, job);
  }

  /** Runs one stage alone: stages before it must be finished; stages after it become stale. */
  async runStage(workspaceId: string, projectId: string, stageNumber: number): Promise<JobReport> {
    const stage = stageByNumber(stageNumber);
    if (!stage) {
      throw new InvalidError(`Stage ${stageNumber} does not exist; stages are numbered 1 to ${STAGES.length}.`, [
        { path: ["stage_number"], message: `Must be between 1 and ${STAGES.length}.` },
      ]);
    }
    const project = await this.projectService.get(workspaceId, projectId);
    const runs = await readStageRuns(this.db, projectId);
    const missing = STAGES.filter((earlier) => earlier.number < stage.number && runs.get(earlier.number)?.status !== "completed");
    if (missing.length > 0) {
      const names = missing.map((earlier) => `${earlier.number} (${earlier.key})`).join(", ");
      throw new ConflictError(`Stage ${stage.number} (${stage.key}) needs the earlier stages finished first; not finished: ${names}.`);
    }
    const job = await this.createJob(project, { kind: "stage", force: false, onlyStage: stage.number, rewrite: null }, async (tx) => {
      await tx
        .update(stageRuns)
        .set({ status: "stale" })
        .where(and(eq(stageRuns.projectId, projectId), gt(stageRuns.stage, stage.number - 1), ne(stageRuns.status, "pending")));
    });
    return this.report(project, job);
  }

  /**
   * Rewrites one chapter, or one scene of it, following the writer's
   * instruction: a job that redrafts (or revises) those scenes, runs
   * stages 7–11 over them alone, then stage 12 over the book. The book must
   * be written through stage 11. Pinned scenes are left as they are unless
   * `force`, which drops their pins.
   */
  async rewrite(workspaceId: string, projectId: string, request: RewriteRequest): Promise<JobReport> {
    const project = await this.projectService.get(workspaceId, projectId);
    const force = request.force ?? false;
    const where = describeRewrite({ chapter: request.chapter, scene: request.scene ?? null });
    // The scenes are settled inside the job's transaction, under the project's lock: what the job rewrites is what it marked stale.
    const spec: RewriteJobSpec = { chapter: request.chapter, scene: request.scene ?? null, instruction: request.instruction, from: request.from, scenes: [] };
    const job = await this.createJob(project, { kind: "rewrite", force, onlyStage: null, rewrite: spec }, async (tx) => {
      const runs = await readStageRuns(tx, projectId);
      const unfinished = STAGES.filter((stage) => stage.number < STAGE.output_validation && runs.get(stage.number)?.status !== "completed");
      if (unfinished.length > 0) {
        const names = unfinished.map((stage) => `${stage.number} (${stage.key})`).join(", ");
        throw new ConflictError(`Rewriting needs the book written through stage ${STAGE.motif_infusion}; start the job to finish it first. Not finished: ${names}.`);
      }
      const outline = runs.get(STAGE.scene_outline)?.output as Outline;
      const chapter = outline.chapters.find((candidate) => candidate.number === request.chapter);
      if (!chapter) throw new NotFoundError(`Chapter ${request.chapter} of project`, projectId);
      const scenes = request.scene === undefined ? chapter.scenes.map((scene) => scene.number) : chapter.scenes.filter((scene) => scene.number === request.scene).map((scene) => scene.number);
      if (scenes.length === 0) throw new NotFoundError(`Scene ${request.scene} of chapter ${request.chapter} of project`, projectId);
      const pins = await tx
        .select({ scene: scenePins.scene })
        .from(scenePins)
        .where(and(eq(scenePins.projectId, projectId), eq(scenePins.chapter, request.chapter), inArray(scenePins.scene, scenes)));
      const pinned = new Set(pins.map((pin) => pin.scene));
      if (force && pinned.size > 0) await tx.delete(scenePins).where(and(eq(scenePins.projectId, projectId), eq(scenePins.chapter, request.chapter), inArray(scenePins.scene, [...pinned])));
      spec.scenes = force ? scenes : scenes.filter((scene) => !pinned.has(scene));
      if (spec.scenes.length === 0) {
        throw new ConflictError(`Nothing to rewrite: ${where} ${scenes.length === 1 ? "is" : "are all"} pinned (written by hand). Unpin ${scenes.length === 1 ? "it" : "them"}, or rewrite with force.`);
      }
      await tx
        .update(sceneTexts)
        .set({ stale: true })
        .where(
          and(
            eq(sceneTexts.projectId, projectId),
            inArray(sceneTexts.stage, REWRITTEN_STAGES),
            eq(sceneTexts.chapter, request.chapter),
            inArray(sceneTexts.scene, spec.scenes),
          ),
        );
      await tx.update(stageRuns).set({ status: "stale" }).where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, STAGE.output_validation)));
    });
    return this.report(project, job);
  }

  private async createJob(project: ProjectRow, shape: JobShape, prepare: (tx: Database) => Promise<void>): Promise<GenerationJobRow> {
    const id = randomUUID();
    const message = {
      full: "Queued.",
      stage: `Queued to run stage ${shape.onlyStage} alone.`,
      rewrite: `Queued to rewrite ${shape.rewrite ? describeRewrite(shape.rewrite) : "part of the book"}.`,
    }[shape.kind];
    try {
      const job = await this.events.transaction(project.workspaceId, project.id, id, async (tx, emit) => {
        await lockProject(tx, project.id);
        const [active] = await tx
          .select({ status: generationJobs.status })
          .from(generationJobs)
          .where(and(eq(generationJobs.projectId, project.id), inArray(generationJobs.status, ACTIVE)));
        if (active) throw alreadyActive(project.id, active.status);
        await prepare(tx);
        const [row] = await tx
          .insert(generationJobs)
          .values({ id, workspaceId: project.workspaceId, projectId: project.id, status: "queued", kind: shape.kind, force: shape.force, onlyStage: shape.onlyStage, rewrite: shape.rewrite, message })
          .returning();
        await tx.update(projects).set({ status: "queued", updatedAt: new Date() }).where(eq(projects.id, project.id));
        await this.cluster.send(tx, { kind: "wake" });
        emit({ type: "status_update", data: { job_id: id, status: "queued" } });
        if (!row) throw new Error("inserting a job returned no row");
        return row;
      });
      this.engine.wake();
      return job;
    } catch (error) {
      // Another process queued a job between our check and our insert; the database's one-active-job index refused ours.
      if (!isUniqueViolation(error)) throw error;
      throw alreadyActive(project.id, (await this.latestJob(project.id))?.status ?? "active");
    }
  }

  /** Asks a job to pause at its next checkpoint; a queued job pauses at once. */
  async pause(workspaceId: string, projectId: string): Promise<JobReport> {
    return this.control(workspaceId, projectId, "pause", ["queued", "running"], async (tx, job, emit) => {
      if (job.status === "queued") {
        await this.setStatus(tx, job, { status: "paused", pauseReason: "requested", message: "Paused." });
        emit({ type: "status_update", data: { job_id: job.id, status: "paused", reason: "requested" } });
      } else {
        await tx.update(generationJobs).set({ pauseRequested: true, updatedAt: new Date() }).where(eq(generationJobs.id, job.id));
        emit({ type: "log", data: { level: "info", message: "Pause requested; the job stops at its next checkpoint." } });
      }
    });
  }

  /** Puts a paused job back in the queue; it continues from its last checkpoint. */
  async resume(workspaceId: string, projectId: string): Promise<JobReport> {
    const view = await this.control(workspaceId, projectId, "resume", ["paused"], async (tx, job, emit) => {
      await this.setStatus(tx, job, { status: "queued", pauseReason: null, pauseRequested: false, message: "Queued to resume." });
      emit({ type: "status_update", data: { job_id: job.id, status: "queued" } });
    });
    this.engine.wake();
    return view;
  }

  /** Cancels a job; a running one stops at its next checkpoint. Finished stage outputs stay. */
  async cancel(workspaceId: string, projectId: string): Promise<JobReport> {
    return this.control(workspaceId, projectId, "cancel", ["queued", "running", "paused"], async (tx, job, emit) => {
      if (job.status === "running") {
        await tx.update(generationJobs).set({ cancelRequested: true, updatedAt: new Date() }).where(eq(generationJobs.id, job.id));
        emit({ type: "log", data: { level: "info", message: "Cancel requested; the job stops at its next checkpoint." } });
      } else {
        await this.setStatus(tx, job, { status: "cancelled", finishedAt: new Date(), message: "Cancelled; finished stages are kept." });
        await tx.update(stageRuns).set({ status: "pending" }).where(and(eq(stageRuns.projectId, job.projectId), eq(stageRuns.status, "running")));
        emit({ type: "status_update", data: { job_id: job.id, status: "cancelled" } });
      }
    });
  }

  private async setStatus(tx: Database, job: GenerationJobRow, change: Partial<GenerationJobRow> & { status: JobStatus }): Promise<void> {
    await tx.update(generationJobs).set({ ...change, updatedAt: new Date() }).where(eq(generationJobs.id, job.id));
    await tx.update(projects).set({ status: change.status, updatedAt: new Date() }).where(eq(projects.id, job.projectId));
  }

  /**
   * Applies one control action to the project's latest job under a row
   * lock, so two requests cannot both see the same state; an action the
   * job's state does not allow answers 409 naming that state.
   */
  private async control(
    workspaceId: string,
    projectId: string,
    action: "pause" | "resume" | "cancel",
    allowed: JobStatus[],
    apply: (tx: Database, job: GenerationJobRow, emit: (event: NewEvent) => void) => Promise<void>,
  ): Promise<JobReport> {
    const project = await this.projectService.get(workspaceId, projectId);
    const job = await this.events.transaction(workspaceId, projectId, null, async (tx, emit) => {
      const [latest] = await tx
        .select()
        .from(generationJobs)
        .where(eq(generationJobs.projectId, projectId))
        .orderBy(desc(generationJobs.createdAt))
        .limit(1)
        .for("update");
      if (!latest) throw new NotFoundError("Generation job of project", projectId);
      if (!allowed.includes(latest.status) || (action === "pause" && latest.pauseRequested) || latest.cancelRequested) {
        const state = latest.cancelRequested ? "cancelling" : latest.pauseRequested ? "pausing" : latest.status;
        throw new ConflictError(`Cannot ${action} the job: it is ${state}.`);
      }
      await apply(tx, latest, emit);
      // Workers elsewhere: pick up a resumed job now; abort the in-flight call of a job that must stop.
      if (action === "resume") await this.cluster.send(tx, { kind: "wake" });
      else if (latest.status === "running") await this.cluster.send(tx, { kind: "control", job_id: latest.id, action });
      return latest;
    });
    if (action !== "resume" && job.status === "running") this.engine.signal(job.id, action);
    return this.report(project, (await this.latestJob(projectId)) ?? job);
  }

  async status(workspaceId: string, projectId: string): Promise<JobReport> {
    const project = await this.projectService.get(workspaceId, projectId);
    const job = await this.latestJob(projectId);
    if (!job) throw new NotFoundError("Generation job of project", projectId);
    return this.report(project, job);
  }

  /** The latest job's status, or null before the first start (for live streams that report state as it changes). */
  async statusOrNull(workspaceId: string, projectId: string): Promise<JobReport | null> {
    const project = await this.projectService.get(workspaceId, projectId);
    const job = await this.latestJob(projectId);
    return job ? this.report(project, job) : null;
  }

  async stages(workspaceId: string, projectId: string): Promise<StageReport[]> {
    await this.projectService.get(workspaceId, projectId);
    return readStageReports(this.db, projectId, await this.runningStage(projectId));
  }

  async stageOutput(workspaceId: string, projectId: string, stageNumber: number): Promise<StageOutputReport> {
    const stage = stageByNumber(stageNumber);
    if (!stage) throw new InvalidError(`Stage ${stageNumber} does not exist; stages are numbered 1 to ${STAGES.length}.`, [{ path: ["stage_number"], message: `Must be between 1 and ${STAGES.length}.` }]);
    await this.projectService.get(workspaceId, projectId);
    return readStageOutput(this.db, projectId, stage, await this.runningStage(projectId));
  }

  /** The stage the project's running job is at; null when no job runs. */
  private async runningStage(projectId: string): Promise<number | null> {
    const job = await this.latestJob(projectId);
    return job?.status === "running" ? job.currentStage : null;
  }

  async eventLog(workspaceId: string, projectId: string, after: number, limit: number): Promise<GenerationEvent[]> {
    await this.projectService.get(workspaceId, projectId);
    return this.events.after(workspaceId, projectId, after, limit);
  }

  /** Every event after `afterId`, then live ones; ends when `signal` aborts. */
  async *follow(workspaceId: string, projectId: string, afterId: number, signal: AbortSignal): AsyncGenerator<GenerationEvent> {
    await this.projectService.get(workspaceId, projectId);
    yield* this.events.follow(workspaceId, projectId, afterId, signal);
  }

  /** The latest text of a project, with the project it belongs to. */
  async manuscript(workspaceId: string, projectId: string, chapters: ChapterRange = {}): Promise<{ project: ProjectRow; manuscript: Manuscript }> {
    const project = await this.projectService.get(workspaceId, projectId);
    return { project, manuscript: await readManuscript(this.db, projectId, chapters) };
  }

  /** A project with a queued, running or paused job cannot be deleted: cancel it first. */
  async assertIdle(workspaceId: string, projectId: string): Promise<void> {
    const [active] = await this.db
      .select({ status: generationJobs.status })
      .from(generationJobs)
      .where(and(eq(generationJobs.workspaceId, workspaceId), eq(generationJobs.projectId, projectId), inArray(generationJobs.status, ACTIVE)));
    if (active) throw new ConflictError(`Project ${projectId} has a ${active.status} job; cancel it before deleting the project.`);
  }

  private async latestJob(projectId: string): Promise<GenerationJobRow | undefined> {
    const [job] = await this.db
      .select()
      .from(generationJobs)
      .where(eq(generationJobs.projectId, projectId))
      .orderBy(desc(generationJobs.createdAt))
      .limit(1);
    return job;
  }

  /**
   * How far a job has come, 0–1: the share of the pipeline's stages done, the
   * one stage's progress, or for a rewrite the share of its scenes redone
   * through stages 6–11 and stage 12 after them.
   */
  private async progressOf(job: GenerationJobRow, stages: StageReport[]): Promise<number> {
    switch (job.kind) {
      case "stage":
        return stages[(job.onlyStage ?? 1) - 1]?.progress ?? 0;
      case "full":
        return stages.reduce((total, stage) => total + (stage.status === "completed" ? 1 : stage.status === "stale" ? 0 : stage.progress), 0) / STAGES.length;
      case "rewrite": {
        const rewrite = job.rewrite;
        if (!rewrite) return 0;
        const [redone] = await this.db
          .select({ scenes: count() })
          .from(sceneTexts)
          .where(
            and(
              eq(sceneTexts.projectId, job.projectId),
              inArray(sceneTexts.stage, REWRITTEN_STAGES),
              eq(sceneTexts.chapter, rewrite.chapter),
              inArray(sceneTexts.scene, rewrite.scenes),
              eq(sceneTexts.stale, false),
            ),
          );
        const validated = stages[STAGE.output_validation - 1]?.status === "completed" ? 1 : 0;
        return ((redone?.scenes ?? 0) + validated) / (rewrite.scenes.length * REWRITTEN_STAGES.length + 1);
      }
    }
  }

  private async report(project: ProjectRow, job: GenerationJobRow): Promise<JobReport> {
    // Read first: everything below is at least as new as this event.
    const [counter] = await this.db.select({ lastEventId: projects.lastEventId }).from(projects).where(eq(projects.id, project.id));
    const stages = await readStageReports(this.db, project.id, job.status === "running" ? job.currentStage : null);
    const textStage = await latestTextStage(this.db, project.id);
    // Until drafting has finished, the words drafted so far (not those of a draft being redone).
    const [words] = await this.db
      .select({ words: sql<number>`coalesce(sum(${sceneTexts.words}), 0)`.mapWith(Number) })
      .from(sceneTexts)
      .where(
        and(
          eq(sceneTexts.projectId, project.id),
          eq(sceneTexts.stage, textStage ?? STAGE.scene_drafting),
          textStage === null ? eq(sceneTexts.stale, false) : undefined,
        ),
      );
    const current = job.currentStage === null ? null : stageByNumber(job.currentStage) ?? null;
    return {
      jobId: job.id,
      projectId: project.id,
      status: job.status,
      kind: job.kind,
      pauseRequested: job.pauseRequested,
      cancelRequested: job.cancelRequested,
      pauseReason: job.status === "paused" ? job.pauseReason : null,
      onlyStage: job.onlyStage,
      currentStage: job.status !== "completed" ? current : null,
      stages,
      progress: roundProgress(job.status === "completed" ? 1 : await this.progressOf(job, stages)),
      message: job.message,
      error: job.error,
      words: words?.words ?? 0,
      tokens: job.tokens,
      costUsd: Math.round(job.costUsd * 1_000_000) / 1_000_000,
      hasManuscript: textStage !== null,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      updatedAt: job.updatedAt,
      lastEventId: counter?.lastEventId ?? 0,
    };
  }
}
