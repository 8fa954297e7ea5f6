import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray } from "drizzle-orm";
import { isActiveJobStatus, type JobKind, type JobStatus, type PauseReason, type RewriteRequest, type StageStatus } from "@scriptorium/contract";
import {
  generationJobs,
  isUniqueViolation,
  jobAttempts,
  projects,
  scenePins,
  sceneTexts,
  stageRuns,
  type Database,
  type GenerationJobRow,
  type JobAttemptRow,
  type ProjectRow,
} from "@scriptorium/db";
import type { Cluster } from "../cluster/cluster";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import { Keyset, type Page, type PageRequest } from "../paging";
import type { JobEngine } from "./job-engine";
import type { EventLog, GenerationEvent, NewEvent } from "./events";
import { checkPrerequisites, REWRITTEN_STAGES, scopeOfStart, stagesOfStart, type JobScope, type StartEffects, type StartRequest } from "./job-scope";
import { latestTextStage, manuscriptWords, readManuscript, type ChapterRange, type Manuscript } from "./manuscript";
import type { Outline } from "./outputs";
import { lockProject } from "./project-lock";
import type { ProjectService } from "./project-service";
import { readStageOutput, readStageReports, readStageStates, roundProgress, type StageOutputReport, type StageReport } from "./stage-runs";
import { STAGE, STAGES, stageByNumber, type Stage } from "./stages";
import { pinnedScenes } from "./versions";
import { offlineLanguageNote, unpricedWriters } from "./writers/stage-writers";

/** A job as status reports show it; the API names its fields for the wire. */
export interface JobReport {
  jobId: string;
  projectId: string;
  kind: JobKind;
  status: JobStatus;
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

const JOBS_NEWEST_FIRST = new Keyset("jobs:created_at:desc", generationJobs.createdAt, generationJobs.id, "desc");

/** One job of a project as the list of its runs shows it. */
export interface JobSummary {
  job: GenerationJobRow;
  /** Every claim of the job by a worker, oldest first. */
  attempts: JobAttemptRow[];
  /** The manuscript's words as the job left it (now, for an active job); null for a job that stopped before this was recorded. */
  words: number | null;
  /** Time workers spent on the job, summed over its attempts (pauses not counted); null before it first ran. */
  durationMs: number | null;
}

/** Time worked on a job: its attempts' spans, or, for a job run before attempts were recorded, from its start to its end. */
function workedMs(job: GenerationJobRow, attempts: readonly JobAttemptRow[], now: Date): number | null {
  if (attempts.length > 0) return attempts.reduce((total, attempt) => total + ((attempt.endedAt ?? now).getTime() - attempt.startedAt.getTime()), 0);
  return job.startedAt ? (job.finishedAt ?? now).getTime() - job.startedAt.getTime() : null;
}

/**
 * The stages of a job that is no longer the project's latest, as it left
 * them, read from its events (the stage runs now show later jobs' work):
 * finished, left mid-way (`failed` where it failed, else `pending`), or not
 * run by this job at all (`skipped`).
 */
function stagesFromEvents(job: GenerationJobRow, events: readonly GenerationEvent[]): StageReport[] {
  return STAGES.map((stage) => {
    let startedAt: Date | null = null;
    let finishedAt: Date | null = null;
    let durationMs: number | null = null;
    let progress = 0;
    for (const event of events) {
      if (event.type === "stage_started" && event.data.stage === stage.number) {
        startedAt ??= new Date(event.created_at);
        finishedAt = null;
      } else if (event.type === "stage_completed" && event.data.stage === stage.number) {
        finishedAt = new Date(event.created_at);
        durationMs = event.data.duration_ms;
      } else if (event.type === "progress" && event.data.stage === stage.number) {
        progress = event.data.stage_progress;
      }
    }
    const status: StageStatus =
      finishedAt !== null ? "completed" : startedAt === null ? "skipped" : job.status === "failed" && job.currentStage === stage.number ? "failed" : "pending";
    return {
      stage,
      status,
      progress: status === "completed" ? 1 : roundProgress(progress),
      startedAt,
      finishedAt,
      durationMs,
      tokens: 0,
      costUsd: 0,
    };
  });
}

/** The scene stages and stage 12: what a rewrite runs. */
const REWRITE_STAGE_NUMBERS = [...REWRITTEN_STAGES, STAGE.output_validation];

function alreadyActive(projectId: string, status: string): ConflictError {
  return new ConflictError(`Project ${projectId} already has a ${status} job; pause, resume or cancel it instead of starting another.`);
}

function queuedMessage(scope: JobScope): string {
  switch (scope.kind) {
    case "full":
      return "Queued.";
    case "stage":
      return `Queued to run stage ${scope.stage.number} alone.`;
    case "rewrite": {
      const { chapter, scene } = scope.rewrite;
      return `Queued to rewrite ${scene === null ? `chapter ${chapter}` : `chapter ${chapter}, scene ${scene}`}.`;
    }
  }
}

/** Writes what queuing a job changes (effectsOfStart): stage runs and scenes marked stale, pins dropped. */
async function applyStartEffects(tx: Database, projectId: string, effects: StartEffects): Promise<void> {
  if (effects.staleStages.length > 0) {
    await tx.update(stageRuns).set({ status: "stale" }).where(and(eq(stageRuns.projectId, projectId), inArray(stageRuns.stage, effects.staleStages)));
  }
  const scenes = effects.staleScenes;
  if (scenes) {
    await tx
      .update(sceneTexts)
      .set({ stale: true })
      .where(and(eq(sceneTexts.projectId, projectId), inArray(sceneTexts.stage, [...REWRITTEN_STAGES]), eq(sceneTexts.chapter, scenes.chapter), inArray(sceneTexts.scene, scenes.scenes)));
  }
  const pins = effects.droppedPins;
  if (pins === "all") await tx.delete(scenePins).where(eq(scenePins.projectId, projectId));
  else if (pins) await tx.delete(scenePins).where(and(eq(scenePins.projectId, projectId), eq(scenePins.chapter, pins.chapter), inArray(scenePins.scene, pins.scenes)));
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

  /** Starts a job that runs every stage not yet finished (all of them with `force`, which also drops every pin). */
  async start(workspaceId: string, projectId: string, options: { force?: boolean | undefined } = {}): Promise<JobReport> {
    const project = await this.projectService.get(workspaceId, projectId);
    return this.report(project, await this.createJob(project, { kind: "full", force: options.force ?? false }));
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
    return this.report(project, await this.createJob(project, { kind: "stage", stage }));
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
    const part = { chapter: request.chapter, scene: request.scene ?? null, instruction: request.instruction, from: request.from };
    return this.report(project, await this.createJob(project, { kind: "rewrite", part, force: request.force ?? false }));
  }

  /**
   * Queues the job a start asks for, in one transaction under the
   * project's lock (so no edit interleaves): the scope it settles, what it
   * marks stale and the pins it drops, and its status event; what the plan
   * of the same start shows (see job-scope.ts).
   */
  private async createJob(project: ProjectRow, request: StartRequest): Promise<GenerationJobRow> {
    assertPricedForBudget(project);
    const id = randomUUID();
    try {
      const job = await this.events.transaction(project.workspaceId, project.id, id, async (tx, emit) => {
        await lockProject(tx, project.id);
        const [active] = await tx
          .select({ status: generationJobs.status })
          .from(generationJobs)
          .where(and(eq(generationJobs.projectId, project.id), inArray(generationJobs.status, ACTIVE)));
        if (active) throw alreadyActive(project.id, active.status);
        const states = await readStageStates(tx, project.id, null);
        checkPrerequisites(request, states);
        const outline = (states.get(STAGE.scene_outline)?.output as Outline | null | undefined) ?? null;
        const scope = scopeOfStart(request, outline, await pinnedScenes(tx, project.id), project.id);
        const { work, effects } = stagesOfStart(scope, states);
        const [row] = await tx
          .insert(generationJobs)
          .values({
            id,
            workspaceId: project.workspaceId,
            projectId: project.id,
            status: "queued",
            kind: scope.kind,
            force: scope.kind !== "stage" && scope.force,
            onlyStage: scope.kind === "stage" ? scope.stage.number : null,
            rewrite: scope.kind === "rewrite" ? scope.rewrite : null,
            message: queuedMessage(scope),
          })
          .returning();
        await applyStartEffects(tx, project.id, effects);
        await tx.update(projects).set({ status: "queued", updatedAt: new Date() }).where(eq(projects.id, project.id));
        await this.cluster.send(tx, { kind: "wake" });
        emit({ type: "status_update", data: { job_id: id, status: "queued" } });
        const note = offlineLanguageNote(project.writer, project.language, work.map((item) => item.stage.number));
        if (note) emit({ type: "log", data: { level: "warn", message: note } });
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
    assertPricedForBudget(await this.projectService.get(workspaceId, projectId));
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
    const words = isActiveJobStatus(change.status) && change.status !== "paused" ? undefined : await manuscriptWords(tx, job.projectId);
    await tx.update(generationJobs).set({ ...change, ...(words !== undefined && { words }), updatedAt: new Date() }).where(eq(generationJobs.id, job.id));
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
    const job = await this.events.transaction<GenerationJobRow>(workspaceId, projectId, (latest) => latest.id, async (tx, emit) => {
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

  /** Every job of the project, newest first, a page at a time, with each one's attempts. */
  async list(workspaceId: string, projectId: string, request: PageRequest = {}): Promise<Page<JobSummary>> {
    await this.projectService.get(workspaceId, projectId);
    const limit = Keyset.limitOf(request);
    const rows = await this.db
      .select({ job: generationJobs, cursorKey: JOBS_NEWEST_FIRST.keyText() })
      .from(generationJobs)
      .where(and(eq(generationJobs.workspaceId, workspaceId), eq(generationJobs.projectId, projectId), JOBS_NEWEST_FIRST.after(request.cursor)))
      .orderBy(...JOBS_NEWEST_FIRST.orderBy())
      .limit(limit + 1);
    const page = JOBS_NEWEST_FIRST.page(rows, limit, (row) => row.job.id, (row) => row.job);
    const attempts = page.items.length === 0 ? [] : await this.db.select().from(jobAttempts).where(inArray(jobAttempts.jobId, page.items.map((job) => job.id))).orderBy(asc(jobAttempts.claim));
    const active = page.items.find((job) => isActiveJobStatus(job.status));
    const liveWords = active ? await manuscriptWords(this.db, projectId) : null;
    const now = new Date();
    return {
      ...page,
      items: page.items.map((job) => {
        const own = attempts.filter((attempt) => attempt.jobId === job.id);
        return { job, attempts: own, words: job === active ? liveWords : job.words, durationMs: workedMs(job, own, now) };
      }),
    };
  }

  /** One job's status: the same report as `status` for the latest job; an earlier job's stages as its events left them. */
  async job(workspaceId: string, projectId: string, jobId: string): Promise<JobReport> {
    const project = await this.projectService.get(workspaceId, projectId);
    const job = await this.jobOf(project, jobId);
    const latest = await this.latestJob(projectId);
    if (latest?.id === job.id) return this.report(project, job);
    const events: GenerationEvent[] = [];
    for (let after = 0; ; ) {
      const page = await this.events.ofJob(workspaceId, projectId, job.id, after);
      events.push(...page);
      const last = page.at(-1);
      if (!last) break;
      after = last.id;
    }
    return this.report(project, job, stagesFromEvents(job, events));
  }

  /** One job's events after an id. */
  async jobEvents(workspaceId: string, projectId: string, jobId: string, after: number, limit: number): Promise<GenerationEvent[]> {
    const project = await this.projectService.get(workspaceId, projectId);
    await this.jobOf(project, jobId);
    return this.events.ofJob(workspaceId, projectId, jobId, after, limit);
  }

  private async jobOf(project: ProjectRow, jobId: string): Promise<GenerationJobRow> {
    const [job] = await this.db
      .select()
      .from(generationJobs)
      .where(and(eq(generationJobs.projectId, project.id), eq(generationJobs.id, jobId)));
    if (!job) throw new NotFoundError("Generation job", jobId);
    return job;
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
   * How far a job has come, 0–1: the share of the pipeline's stages done,
   * the one stage's progress, or the share of a rewrite's work done. While
   * a rewrite is the latest job, that is its scenes redone through stages
   * 6–11 and stage 12 after them (its stages stay completed as it redoes
   * those scenes); for an earlier one, its stages as it left them.
   */
  private async progressOf(job: GenerationJobRow, stages: StageReport[], latest: boolean): Promise<number> {
    const done = (stage: StageReport) => (stage.status === "completed" ? 1 : stage.status === "stale" ? 0 : stage.progress);
    switch (job.kind) {
      case "stage":
        return stages[(job.onlyStage ?? 1) - 1]?.progress ?? 0;
      case "full":
        return stages.reduce((total, stage) => total + done(stage), 0) / STAGES.length;
      case "rewrite": {
        const rewrite = job.rewrite;
        if (!latest || !rewrite) {
          const own = stages.filter((stage) => REWRITE_STAGE_NUMBERS.includes(stage.stage.number));
          return own.reduce((total, stage) => total + done(stage), 0) / REWRITE_STAGE_NUMBERS.length;
        }
        const [redone] = await this.db
          .select({ scenes: count() })
          .from(sceneTexts)
          .where(
            and(
              eq(sceneTexts.projectId, job.projectId),
              inArray(sceneTexts.stage, [...REWRITTEN_STAGES]),
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

  /** A job's report; `stages` as the job left them, or by default the project's stages now. */
  private async report(project: ProjectRow, job: GenerationJobRow, stagesOfJob?: StageReport[]): Promise<JobReport> {
    // Read first: everything below is at least as new as this event.
    const [counter] = await this.db.select({ lastEventId: projects.lastEventId }).from(projects).where(eq(projects.id, project.id));
    const stages = stagesOfJob ?? (await readStageReports(this.db, project.id, job.status === "running" ? job.currentStage : null));
    const textStage = await latestTextStage(this.db, project.id);
    const words = stagesOfJob && job.words !== null ? job.words : await manuscriptWords(this.db, project.id);
    const current = job.currentStage === null ? null : stageByNumber(job.currentStage) ?? null;
    return {
      jobId: job.id,
      projectId: project.id,
      kind: job.kind,
      status: job.status,
      pauseRequested: job.pauseRequested,
      cancelRequested: job.cancelRequested,
      pauseReason: job.status === "paused" ? job.pauseReason : null,
      onlyStage: job.onlyStage,
      currentStage: job.status !== "completed" ? current : null,
      stages,
      progress: roundProgress(job.status === "completed" ? 1 : await this.progressOf(job, stages, stagesOfJob === undefined)),
      message: job.message,
      error: job.error,
      words,
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

/**
 * A project with a budget whose writers include a model without a known
 * price (set before prices were required) keeps its data, but runs nothing
 * until it has a price: its budget could not count that model's spending.
 */
function assertPricedForBudget(project: ProjectRow): void {
  if (project.budgetUsd === null) return;
  const unpriced = unpricedWriters(project.writer);
  if (unpriced.length === 0) return;
  const names = unpriced.map((entry) => `"${entry.model}" (${entry.path.join(".")})`).join(", ");
  const fields = unpriced.map((entry) => `${entry.path.join(".")}.price`).join(" and ");
  throw new ConflictError(`Project ${project.id} has a budget, but no price is known for ${names}: set ${fields} (US dollars per million input and output tokens), or remove the budget, before starting it.`);
}
