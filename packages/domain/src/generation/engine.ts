import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, asc, eq, lt, or, sql, sum } from "drizzle-orm";
import { generationJobs, projects, sceneTexts, stageRuns, type Database, type GenerationJobRow, type ProjectRow, type StageRunRow } from "@scriptorium/db";
import type { Logger } from "../logger";
import type { EventLog, NewEvent } from "./events";
import { readStageText } from "./manuscript";
import type { ContinuityIssue, Outline } from "./outputs";
import { briefOf } from "./projects";
import { computeQualityReport, countWords } from "./quality";
import { STAGES, stageByNumber, type Stage } from "./stages";
import { BudgetExhaustedError, type ProjectBrief, type SceneInput, type StoryPlan, type Usage, type Writer, type WriterCall, type WriterConfig } from "./writers/writer";
import type { Cluster } from "../cluster/cluster";

export interface JobEngineOptions {
  /** Jobs this process runs at once; 0 makes it an API-only node. */
  workers: number;
  /** How long a claim lasts without a heartbeat before another worker may take the job over. */
  leaseSeconds: number;
  /** How often idle workers look for work that another process queued or abandoned. */
  pollIntervalMs: number;
  /**
   * True when no other process can reach the database (the embedded one):
   * jobs left `running` by an earlier life of this process are taken back at
   * once instead of after their lease runs out.
   */
  exclusive: boolean;
}

type WriterFactory = (config: WriterConfig) => Writer;

/** A job's claim was taken over by another worker (its lease ran out); this worker stops without writing. */
class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

/** Why a running job stops before its last stage. */
type Interruption = "pause" | "cancel" | "shutdown";

class JobInterrupted extends Error {
  override name = "JobInterrupted";
  constructor(readonly reason: Interruption) {
    super(reason);
  }
}

interface Claim {
  job: GenerationJobRow;
  project: ProjectRow;
  controller: AbortController;
  interruption: Interruption | null;
  /** Usage reported since the last checkpoint, written with the next one. */
  pendingUsage: Usage;
  spentUsd: number;
}

const STAGE_WEIGHT = 1 / STAGES.length;

function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cost_usd: 0 };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "JobInterrupted");
}

/**
 * Runs generation jobs: claims queued (or abandoned) jobs from the
 * database, runs their stages with checkpoints, and heartbeats its claims.
 *
 * Every write of a running job is fenced by its claim (`lease_owner` and
 * `claims`): a worker whose lease was taken over finds its checkpoint
 * refused and stops, so no stage ever runs twice at once.
 */
export class JobEngine {
  /** Names the process holding a job (host, PID and a random part, as a PID can be reused) for operators reading the jobs table. */
  readonly workerId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, Claim>();
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    private readonly writerFor: WriterFactory,
    private readonly log: Logger,
    private readonly options: JobEngineOptions,
    cluster: Cluster,
  ) {
    // Other processes queue jobs and record pauses and cancels; this one may be running the job.
    cluster.on((message) => {
      if (message.kind === "wake") this.wake();
      else if (message.kind === "control") this.signal(message.job_id, message.action);
    });
  }

  /** Starts claiming work; jobs interrupted by a crash or restart continue from their last checkpoint. */
  async start(): Promise<void> {
    if (this.options.workers === 0 || this.loop) return;
    if (this.options.exclusive) {
      await this.db.update(generationJobs).set({ leaseExpiresAt: sql`now()` }).where(eq(generationJobs.status, "running"));
    }
    this.loop = this.claimLoop();
  }

  /** Stops claiming, interrupts running jobs at once and hands their leases back, so the next process continues them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const claim of this.running.values()) this.interrupt(claim, "shutdown");
    await this.loop;
  }

  /** Something was queued: look for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** A pause or cancel was recorded for this job: abort its in-flight writer call if it runs here. */
  signal(jobId: string, reason: "pause" | "cancel"): void {
    const claim = this.running.get(jobId);
    if (claim) this.interrupt(claim, reason);
  }

  private interrupt(claim: Claim, reason: Interruption): void {
    claim.interruption ??= reason;
    claim.controller.abort(new JobInterrupted(reason));
  }

  private async claimLoop(): Promise<void> {
    const active = new Set<Promise<void>>();
    while (!this.stopped) {
      let job: GenerationJobRow | null = null;
      if (active.size < this.options.workers) {
        try {
          job = await this.claimNext();
        } catch (error) {
          this.log.error({ err: error }, "claiming a generation job failed");
        }
      }
      if (job) {
        const run = this.run(job).finally(() => active.delete(run));
        active.add(run);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollIntervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
        // A finished job frees a slot: look again.
        for (const run of active) void run.then(this.wakeUp);
      });
      this.wakeUp = null;
    }
    await Promise.all(active);
  }

  private async claimNext(): Promise<GenerationJobRow | null> {
    const claimed = await this.db.transaction(async (tx) => {
      const [candidate] = await tx
        .select({ id: generationJobs.id })
        .from(generationJobs)
        .where(
          or(
            eq(generationJobs.status, "queued"),
            and(eq(generationJobs.status, "running"), lt(generationJobs.leaseExpiresAt, sql`now()`)),
          ),
        )
        .orderBy(asc(generationJobs.createdAt))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!candidate) return null;
      const [job] = await tx
        .update(generationJobs)
        .set({
          status: "running",
          leaseOwner: this.workerId,
          leaseExpiresAt: sql`now() + make_interval(secs => ${this.options.leaseSeconds})`,
          claims: sql`${generationJobs.claims} + 1`,
          startedAt: sql`coalesce(${generationJobs.startedAt}, now())`,
          updatedAt: new Date(),
        })
        .where(eq(generationJobs.id, candidate.id))
        .returning();
      return job ?? null;
    });
    return claimed;
  }

  private async run(job: GenerationJobRow): Promise<void> {
    const [project] = await this.db.select().from(projects).where(eq(projects.id, job.projectId));
    if (!project) return;
    const [spent] = await this.db
      .select({ cost: sum(generationJobs.costUsd).mapWith(Number) })
      .from(generationJobs)
      .where(eq(generationJobs.projectId, project.id));
    const claim: Claim = {
      job,
      project,
      controller: new AbortController(),
      interruption: null,
      pendingUsage: emptyUsage(),
      spentUsd: spent?.cost ?? 0,
    };
    this.running.set(job.id, claim);
    this.log.info({ job_id: job.id, project_id: project.id, claim: job.claims, worker: this.workerId }, "claimed a generation job");
    const heartbeat = setInterval(() => void this.heartbeat(claim), (this.options.leaseSeconds * 1000) / 3);
    try {
      await this.transition(claim, (emit) => {
        emit({ type: "status_update", data: { job_id: job.id, status: "running" } });
        if (job.claims > 1) emit({ type: "log", data: { level: "info", message: "Continuing from the last checkpoint." } });
      }, { status: "running" });
      await this.runStages(claim);
      await this.finish(claim);
    } catch (error) {
      await this.settle(claim, error);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }

  private async heartbeat(claim: Claim): Promise<void> {
    try {
      const renewed = await this.db
        .update(generationJobs)
        .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${this.options.leaseSeconds})` })
        .where(this.fence(claim))
        .returning({ id: generationJobs.id });
      if (renewed.length === 0) claim.controller.abort(new LeaseLostError("lease lost"));
    } catch (error) {
      this.log.warn({ err: error, job_id: claim.job.id }, "renewing a job lease failed");
    }
  }

  private fence(claim: Claim) {
    return and(
      eq(generationJobs.id, claim.job.id),
      eq(generationJobs.leaseOwner, this.workerId),
      eq(generationJobs.claims, claim.job.claims),
    );
  }

  /** The stages this job still has to run, in order. */
  private async stagesToRun(claim: Claim): Promise<Stage[]> {
    const runs = await this.stageRows(claim.project.id);
    if (claim.job.onlyStage !== null) {
      const only = stageByNumber(claim.job.onlyStage);
      if (!only) throw new Error(`job ${claim.job.id} names stage ${claim.job.onlyStage}, which does not exist`);
      return runs.get(only.number)?.status === "completed" && runs.get(only.number)?.jobId === claim.job.id ? [] : [only];
    }
    return STAGES.filter((stage) => runs.get(stage.number)?.status !== "completed");
  }

  private async stageRows(projectId: string): Promise<Map<number, StageRunRow>> {
    const rows = await this.db.select().from(stageRuns).where(eq(stageRuns.projectId, projectId));
    return new Map(rows.map((row) => [row.stage, row]));
  }

  private async runStages(claim: Claim): Promise<void> {
    const todo = await this.stagesToRun(claim);
    const reused = STAGES.length - todo.length;
    if (claim.job.onlyStage === null && reused > 0 && claim.job.claims === 1) {
      await this.checkpoint(claim, (emit) => {
        emit({ type: "log", data: { level: "info", message: `Reusing the finished output of ${reused} stage${reused === 1 ? "" : "s"}.` } });
      });
    }
    for (const stage of todo) {
      this.throwIfInterrupted(claim);
      const started = await this.beginStage(claim, stage);
      if (stage.scope === "scene") await this.runSceneStage(claim, stage, started);
      else await this.runProjectStage(claim, stage, started);
    }
  }

  private throwIfInterrupted(claim: Claim): void {
    if (claim.interruption) throw new JobInterrupted(claim.interruption);
    if (claim.controller.signal.aborted) throw claim.controller.signal.reason;
  }

  private writerCall(claim: Claim): WriterCall {
    const budget = claim.project.budgetUsd;
    return {
      signal: claim.controller.signal,
      onUsage: (usage) => {
        claim.pendingUsage.input_tokens += usage.input_tokens;
        claim.pendingUsage.output_tokens += usage.output_tokens;
        claim.pendingUsage.cost_usd += usage.cost_usd;
        claim.spentUsd += usage.cost_usd;
      },
      remainingBudgetUsd: () => (budget === null ? null : Math.max(0, budget - claim.spentUsd)),
    };
  }

  /**
   * Marks a stage running and returns when it counts as started: now, less
   * the time earlier runs of an interrupted stage already spent, so
   * `duration_ms` adds up the time actually worked.
   */
  private async beginStage(claim: Claim, stage: Stage): Promise<number> {
    let earlierMs = 0;
    await this.checkpoint(claim, async (emit, tx) => {
      const [current] = await tx
        .select({ status: stageRuns.status, durationMs: stageRuns.durationMs })
        .from(stageRuns)
        .where(and(eq(stageRuns.projectId, claim.project.id), eq(stageRuns.stage, stage.number)));
      // A stale stage (redone on purpose) starts from nothing; an interrupted or failed one keeps its finished scenes.
      const resuming = current !== undefined && current.status !== "stale";
      if (resuming) earlierMs = current.durationMs;
      else await tx.delete(sceneTexts).where(and(eq(sceneTexts.projectId, claim.project.id), eq(sceneTexts.stage, stage.number)));
      await tx
        .insert(stageRuns)
        .values({ workspaceId: claim.project.workspaceId, projectId: claim.project.id, stage: stage.number, status: "running", jobId: claim.job.id, startedAt: new Date() })
        .onConflictDoUpdate({
          target: [stageRuns.projectId, stageRuns.stage],
          set: resuming
            ? { status: "running", jobId: claim.job.id }
            : { status: "running", jobId: claim.job.id, progress: 0, output: null, tokens: 0, costUsd: 0, durationMs: 0, startedAt: new Date(), finishedAt: null },
        });
      await tx.update(generationJobs).set({ currentStage: stage.number, message: `${stage.name}…` }).where(eq(generationJobs.id, claim.job.id));
      emit({ type: "stage_started", data: { stage: stage.number, stage_key: stage.key, name: stage.name, resumed: resuming } });
    });
    return Date.now() - earlierMs;
  }

  /**
   * The outputs of stages 1–5 a stage builds on. Every stage before
   * `stage` must have one; later ones are not read by that stage's writer.
   */
  private async storyPlan(projectId: string, stage: number): Promise<StoryPlan> {
    const runs = await this.stageRows(projectId);
    const outputs = [1, 2, 3, 4, 5].map((number) => runs.get(number)?.output ?? null);
    const missing = outputs.slice(0, stage - 1).findIndex((output) => output === null);
    if (missing >= 0) throw new Error(`stage ${missing + 1} has no output to build on`);
    const [highConcept, world, beats, cast, outline] = outputs;
    return { highConcept, world, beats, cast, outline } as StoryPlan;
  }

  private async runProjectStage(claim: Claim, stage: Stage, started: number): Promise<void> {
    const brief = briefOf(claim.project);
    const writer = this.writerFor(claim.project.writer);
    const call = this.writerCall(claim);
    const plan = await this.storyPlan(claim.project.id, stage.number);
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
        const { output: validation, summary } = await this.validateOutput(claim.project.id, brief, plan.outline);
        output = validation;
        logMessage = summary;
        break;
      }
    }
    await this.completeStage(claim, stage, started, output, logMessage);
  }

  private async validateOutput(projectId: string, brief: ProjectBrief, outline: Outline) {
    const chapters = await readStageText(this.db, projectId, 11, outline);
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

  private async runSceneStage(claim: Claim, stage: Stage, started: number): Promise<void> {
    const brief = briefOf(claim.project);
    const writer = this.writerFor(claim.project.writer);
    const call = this.writerCall(claim);
    const plan = await this.storyPlan(claim.project.id, 6);
    const scenes = plan.outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => ({ chapter: chapter.number, chapterTitle: chapter.title, scene })));
    const sources = stage.number === 6 ? new Map<string, string>() : await this.sceneTextMap(claim.project.id, stage.number - 1);
    const done = await this.sceneTextMap(claim.project.id, stage.number);
    let previousText: string | null = null;
    for (const [index, ref] of scenes.entries()) {
      const key = `${ref.chapter}:${ref.scene.number}`;
      const finished = done.get(key);
      if (finished !== undefined) {
        previousText = finished;
        continue;
      }
      this.throwIfInterrupted(claim);
      const input: SceneInput = { brief, plan, ref, text: sources.get(key) ?? "", previousText };
      let text: string;
      let notes: ContinuityIssue[] | null = null;
      if (stage.key === "scene_drafting") text = await writer.draftScene(input, call);
      else if (stage.key === "continuity_audit") ({ text, issues: notes } = await writer.auditScene(input, call));
      else text = await writer.reviseScene(stage.key as Parameters<Writer["reviseScene"]>[0], input, call);
      const progress = (index + 1) / scenes.length;
      await this.checkpoint(claim, async (emit, tx) => {
        await tx.insert(sceneTexts).values({
          workspaceId: claim.project.workspaceId,
          projectId: claim.project.id,
          stage: stage.number,
          chapter: ref.chapter,
          scene: ref.scene.number,
          text,
          words: countWords(text),
          notes,
        });
        await this.recordStageProgress(tx, claim, stage, progress, Date.now() - started);
        emit(this.progressEvent(claim, stage, progress, `Chapter ${ref.chapter}, scene ${ref.scene.number} of ${stage.name.toLowerCase()}`));
      });
      previousText = text;
    }
    const output = await this.sceneStageSummary(claim.project.id, stage);
    await this.completeStage(claim, stage, started, output.output, output.summary);
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

  private progressEvent(claim: Claim, stage: Stage, stageProgress: number, message: string): NewEvent {
    const progress = claim.job.onlyStage !== null ? stageProgress : (stage.number - 1 + stageProgress) * STAGE_WEIGHT;
    return {
      type: "progress",
      data: { job_id: claim.job.id, stage: stage.number, stage_key: stage.key, stage_progress: round(stageProgress), progress: round(progress), message },
    };
  }

  private async recordStageProgress(tx: Database, claim: Claim, stage: Stage, progress: number, elapsedMs: number): Promise<void> {
    const usage = claim.pendingUsage;
    await tx
      .update(stageRuns)
      .set({
        progress,
        durationMs: Math.round(elapsedMs),
        tokens: sql`${stageRuns.tokens} + ${usage.input_tokens + usage.output_tokens}`,
        costUsd: sql`${stageRuns.costUsd} + ${usage.cost_usd}`,
      })
      .where(and(eq(stageRuns.projectId, claim.project.id), eq(stageRuns.stage, stage.number)));
  }

  private async completeStage(claim: Claim, stage: Stage, started: number, output: unknown, summary: string | null): Promise<void> {
    const elapsed = Date.now() - started;
    await this.checkpoint(claim, async (emit, tx) => {
      const usage = claim.pendingUsage;
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
        .where(and(eq(stageRuns.projectId, claim.project.id), eq(stageRuns.stage, stage.number)))
        .returning({ durationMs: stageRuns.durationMs });
      if (stage.scope === "scene") await tx.update(projects).set({ textUpdatedAt: new Date() }).where(eq(projects.id, claim.project.id));
      if (summary) emit({ type: "log", data: { level: "info", message: summary } });
      emit({ type: "stage_completed", data: { stage: stage.number, stage_key: stage.key, duration_ms: row?.durationMs ?? elapsed } });
      emit(this.progressEvent(claim, stage, 1, `${stage.name} finished`));
    });
  }

  /**
   * Writes one checkpoint in one transaction: first the fenced job update
   * (which renews the lease and adds the usage since the last checkpoint),
   * then the caller's writes and events. A pause or cancel recorded
   * meanwhile is acted on right after.
   */
  private async checkpoint(claim: Claim, work: (emit: (event: NewEvent) => void, tx: Database) => Promise<void> | void): Promise<void> {
    const usage = claim.pendingUsage;
    const flags = await this.events.transaction(claim.project.workspaceId, claim.project.id, claim.job.id, async (tx, emit) => {
      const [row] = await tx
        .update(generationJobs)
        .set({
          leaseExpiresAt: sql`now() + make_interval(secs => ${this.options.leaseSeconds})`,
          tokens: sql`${generationJobs.tokens} + ${usage.input_tokens + usage.output_tokens}`,
          costUsd: sql`${generationJobs.costUsd} + ${usage.cost_usd}`,
          updatedAt: new Date(),
        })
        .where(this.fence(claim))
        .returning({ pauseRequested: generationJobs.pauseRequested, cancelRequested: generationJobs.cancelRequested });
      if (!row) throw new LeaseLostError("lease lost");
      await work(emit, tx);
      return row;
    });
    claim.pendingUsage = emptyUsage();
    if (flags.cancelRequested) claim.interruption ??= "cancel";
    else if (flags.pauseRequested) claim.interruption ??= "pause";
    // The embedded database and the offline writer both finish without
    // waiting on I/O, so a run could go on in one unbroken chain of promises
    // and starve every request (a pause included): let them in here.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Writes a state change of the job (and mirrors it on the project), fenced by the claim. */
  private async transition(claim: Claim, describe: (emit: (event: NewEvent) => void) => void, change: Partial<GenerationJobRow>): Promise<boolean> {
    const usage = claim.pendingUsage;
    const changed = await this.events.transaction(claim.project.workspaceId, claim.project.id, claim.job.id, async (tx, emit) => {
      const [row] = await tx
        .update(generationJobs)
        .set({
          ...change,
          tokens: sql`${generationJobs.tokens} + ${usage.input_tokens + usage.output_tokens}`,
          costUsd: sql`${generationJobs.costUsd} + ${usage.cost_usd}`,
          updatedAt: new Date(),
        })
        .where(this.fence(claim))
        .returning({ id: generationJobs.id });
      if (!row) return false;
      if (change.status) await tx.update(projects).set({ status: change.status, updatedAt: new Date() }).where(eq(projects.id, claim.project.id));
      describe(emit);
      return true;
    });
    claim.pendingUsage = emptyUsage();
    return changed;
  }

  /** Every stage is done: the job completes, even if a pause arrived with the last checkpoint. */
  private async finish(claim: Claim): Promise<void> {
    await this.transition(
      claim,
      (emit) => emit({ type: "status_update", data: { job_id: claim.job.id, status: "completed" } }),
      { status: "completed", finishedAt: new Date(), currentStage: null, message: "Completed.", leaseOwner: null, leaseExpiresAt: null },
    );
  }

  /** Ends a run that did not complete: paused, cancelled, handed back, failed, or silently given up after a lost lease. */
  private async settle(claim: Claim, error: unknown): Promise<void> {
    const jobId = claim.job.id;
    if (error instanceof LeaseLostError || claim.controller.signal.reason instanceof LeaseLostError) {
      this.log.warn({ job_id: jobId }, "another worker took over this job; stopping without writing");
      return;
    }
    const release = { leaseOwner: null, leaseExpiresAt: null } as const;
    try {
      if (error instanceof BudgetExhaustedError) {
        await this.markStage(claim, "running", "pending");
        await this.transition(claim, (emit) => {
          emit({ type: "log", data: { level: "warn", message: `Paused: ${error.message}` } });
          emit({ type: "status_update", data: { job_id: jobId, status: "paused", reason: "budget_exhausted" } });
        }, { status: "paused", pauseReason: "budget_exhausted", pauseRequested: false, message: "Paused: the budget is spent.", ...release });
        return;
      }
      if (isAbort(error) || claim.interruption) {
        const reason = claim.interruption ?? "pause";
        if (reason === "shutdown") {
          await this.transition(claim, (emit) => emit({ type: "log", data: { level: "info", message: "The worker is shutting down; the job continues from its last checkpoint." } }), { leaseOwner: null, leaseExpiresAt: new Date(0) });
          return;
        }
        if (reason === "cancel") {
          await this.markStage(claim, "running", "pending");
          await this.transition(claim, (emit) => emit({ type: "status_update", data: { job_id: jobId, status: "cancelled" } }), {
            status: "cancelled", cancelRequested: false, pauseRequested: false, finishedAt: new Date(), currentStage: null, message: "Cancelled; finished stages are kept.", ...release,
          });
          return;
        }
        await this.markStage(claim, "running", "pending");
        await this.transition(claim, (emit) => emit({ type: "status_update", data: { job_id: jobId, status: "paused", reason: "requested" } }), {
          status: "paused", pauseReason: "requested", pauseRequested: false, message: "Paused.", ...release,
        });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, job_id: jobId }, "generation job failed");
      await this.markStage(claim, "running", "failed");
      await this.transition(claim, (emit) => {
        emit({ type: "error", data: { job_id: jobId, stage: claim.job.currentStage, message } });
        emit({ type: "status_update", data: { job_id: jobId, status: "failed" } });
      }, { status: "failed", error: message, finishedAt: new Date(), message: "Failed.", ...release });
    } catch (settleError) {
      this.log.error({ err: settleError, job_id: jobId }, "recording the end of a generation job failed");
    }
  }

  /** A stage left mid-way keeps its finished scenes; its status says whether it failed or simply waits. */
  private async markStage(claim: Claim, from: "running", to: "pending" | "failed"): Promise<void> {
    await this.db
      .update(stageRuns)
      .set({ status: to })
      .where(and(eq(stageRuns.projectId, claim.project.id), eq(stageRuns.status, from), eq(stageRuns.jobId, claim.job.id)));
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
