import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { AttemptOutcome } from "@scriptorium/contract";
import { generationJobs, jobAttempts, projects, stageRuns, type Database, type GenerationJobRow } from "@scriptorium/db";
import type { EventLog, NewEvent } from "./events";
import { manuscriptWords } from "./manuscript";
import type { Usage } from "./writers/writer";

/** A job's claim was taken over by another worker (its lease ran out); this worker stops without writing. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

/** A pause or cancel recorded on a running job, which its worker acts on at the next checkpoint. */
export type StopRequest = "pause" | "cancel";

type Emit = (event: NewEvent) => void;

/** The claim of a job that no worker holds any more. */
const RELEASED = { leaseOwner: null, leaseExpiresAt: null } as const;

/**
 * The generation jobs table as the workers' queue: jobs are claimed with
 * `FOR UPDATE SKIP LOCKED`, a claim is a lease that runs out unless its
 * worker renews it, and whatever a worker writes of its job (checkpoints,
 * the state it leaves the job in) goes through here.
 *
 * Every write of a claimed job is fenced by its claim (`lease_owner` and
 * `claims`): a worker whose lease was taken over finds its checkpoint
 * refused and stops, so no stage ever runs twice at once.
 *
 * Each claim is recorded as an attempt (who, from when to when, how it
 * ended) in the same transactions that claim the job and change its state.
 */
export class JobQueue {
  /** Names the process holding a job (host, PID and a random part, as a PID can be reused) for operators reading the jobs table. */
  readonly workerId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Database,
    private readonly events: EventLog,
    /** How long a claim lasts without a heartbeat before another worker may take the job over. */
    private readonly leaseSeconds: number,
  ) {}

  /** How often a worker renews the leases it holds: a few times per lease, so one late heartbeat loses nothing. */
  get heartbeatIntervalMs(): number {
    return (this.leaseSeconds * 1000) / 3;
  }

  /**
   * Makes every running job claimable now. Only for a database no other
   * process can reach (the embedded one): the jobs left `running` there
   * belong to an earlier life of this process, and need not wait for their
   * leases to run out.
   */
  async releaseRunningJobs(): Promise<void> {
    await this.db.update(generationJobs).set({ leaseExpiresAt: sql`now()` }).where(eq(generationJobs.status, "running"));
  }

  /** Claims the oldest queued job, or a running one whose worker stopped renewing its lease; null when there is none. */
  async claimNext(): Promise<GenerationJobRow | null> {
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
          leaseExpiresAt: this.renewedLease(),
          claims: sql`${generationJobs.claims} + 1`,
          startedAt: sql`coalesce(${generationJobs.startedAt}, now())`,
          updatedAt: new Date(),
        })
        .where(eq(generationJobs.id, candidate.id))
        .returning();
      if (!job) return null;
      // A claim still open is a worker's whose lease ran out (it died, stalled, or its process restarted): this one takes over from it.
      await tx
        .update(jobAttempts)
        .set({ endedAt: sql`now()`, outcome: "taken_over" })
        .where(and(eq(jobAttempts.jobId, job.id), isNull(jobAttempts.endedAt)));
      await tx.insert(jobAttempts).values({ workspaceId: job.workspaceId, projectId: job.projectId, jobId: job.id, claim: job.claims, workerId: this.workerId });
      return job;
    });
    return claimed;
  }

  /** Extends the lease of a claimed job; false when another worker has taken the job over. */
  async renewLease(job: GenerationJobRow): Promise<boolean> {
    const renewed = await this.db
      .update(generationJobs)
      .set({ leaseExpiresAt: this.renewedLease() })
      .where(this.fence(job))
      .returning({ id: generationJobs.id });
    return renewed.length > 0;
  }

  /**
   * Writes one checkpoint in one transaction: first the fenced job update
   * (which renews the lease and adds the usage since the last checkpoint),
   * then the caller's writes and events. Returns the pause or cancel
   * recorded meanwhile, for the worker to act on right after.
   */
  async checkpoint(job: GenerationJobRow, usage: Usage, work: (emit: Emit, tx: Database) => Promise<void> | void): Promise<StopRequest | null> {
    const flags = await this.events.transaction(job.workspaceId, job.projectId, job.id, async (tx, emit) => {
      const [row] = await tx
        .update(generationJobs)
        .set({
          leaseExpiresAt: this.renewedLease(),
          tokens: sql`${generationJobs.tokens} + ${usage.input_tokens + usage.output_tokens}`,
          costUsd: sql`${generationJobs.costUsd} + ${usage.cost_usd}`,
          updatedAt: new Date(),
        })
        .where(this.fence(job))
        .returning({ pauseRequested: generationJobs.pauseRequested, cancelRequested: generationJobs.cancelRequested });
      if (!row) throw new LeaseLostError("lease lost");
      await work(emit, tx);
      return row;
    });
    return flags.cancelRequested ? "cancel" : flags.pauseRequested ? "pause" : null;
  }

  /** The claimed job runs: for the first time, or again from its last checkpoint. */
  async markRunning(job: GenerationJobRow, usage: Usage): Promise<void> {
    await this.transition(job, usage, (emit) => {
      emit({ type: "status_update", data: { job_id: job.id, status: "running" } });
      if (job.claims > 1) emit({ type: "log", data: { level: "info", message: "Continuing from the last checkpoint." } });
    }, { status: "running" });
  }

  /** Every stage is done: the job completes, even if a pause arrived with the last checkpoint. */
  async complete(job: GenerationJobRow, usage: Usage): Promise<void> {
    await this.transition(
      job,
      usage,
      (emit) => emit({ type: "status_update", data: { job_id: job.id, status: "completed" } }),
      { status: "completed", finishedAt: new Date(), currentStage: null, message: "Completed.", leaseOwner: null, leaseExpiresAt: null },
      "completed",
    );
  }

  /** The job stopped at a checkpoint because a pause was asked for; a resume queues it again. */
  async pause(job: GenerationJobRow, usage: Usage): Promise<void> {
    await this.releaseStage(job, "pending");
    await this.transition(job, usage, (emit) => emit({ type: "status_update", data: { job_id: job.id, status: "paused", reason: "requested" } }), {
      status: "paused", pauseReason: "requested", pauseRequested: false, message: "Paused.", ...RELEASED,
    }, "paused");
  }

  /** The writer refused a call the budget could not pay for: the job pauses until the budget is raised and it is resumed. */
  async pauseOverBudget(job: GenerationJobRow, usage: Usage, explanation: string): Promise<void> {
    await this.releaseStage(job, "pending");
    await this.transition(job, usage, (emit) => {
      emit({ type: "log", data: { level: "warn", message: `Paused: ${explanation}` } });
      emit({ type: "status_update", data: { job_id: job.id, status: "paused", reason: "budget_exhausted" } });
    }, { status: "paused", pauseReason: "budget_exhausted", pauseRequested: false, message: "Paused: the budget is spent.", ...RELEASED }, "budget_exhausted");
  }

  async cancel(job: GenerationJobRow, usage: Usage): Promise<void> {
    await this.releaseStage(job, "pending");
    await this.transition(job, usage, (emit) => emit({ type: "status_update", data: { job_id: job.id, status: "cancelled" } }), {
      status: "cancelled", cancelRequested: false, pauseRequested: false, finishedAt: new Date(), currentStage: null, message: "Cancelled; finished stages are kept.", ...RELEASED,
    }, "cancelled");
  }

  /**
   * This worker stops running the job (it is shutting down, or lost the
   * database mid-stage): the job stays running, with a lease that has
   * already run out, so the next worker continues it at once.
   */
  async handBack(job: GenerationJobRow, usage: Usage, why: string): Promise<void> {
    await this.transition(job, usage, (emit) => emit({ type: "log", data: { level: "info", message: `${why}; the job continues from its last checkpoint.` } }), { leaseOwner: null, leaseExpiresAt: new Date(0) }, "handed_back");
  }

  async fail(job: GenerationJobRow, usage: Usage, message: string): Promise<void> {
    await this.releaseStage(job, "failed");
    await this.transition(job, usage, (emit) => {
      emit({ type: "error", data: { job_id: job.id, stage: job.currentStage, message } });
      emit({ type: "status_update", data: { job_id: job.id, status: "failed" } });
    }, { status: "failed", error: message, finishedAt: new Date(), message: "Failed.", ...RELEASED }, "failed");
  }

  /**
   * Writes a state change of the job (and mirrors it on the project),
   * fenced by the claim: nothing is written once the claim is lost. A change
   * that ends this claim (`ended`) closes its attempt, and one that stops
   * the job records the manuscript's words as it leaves them.
   */
  private async transition(job: GenerationJobRow, usage: Usage, describe: (emit: Emit) => void, change: Partial<GenerationJobRow>, ended?: AttemptOutcome): Promise<void> {
    await this.events.transaction(job.workspaceId, job.projectId, job.id, async (tx, emit) => {
      const words = ended !== undefined && ended !== "handed_back" ? await manuscriptWords(tx, job.projectId) : undefined;
      const [row] = await tx
        .update(generationJobs)
        .set({
          ...change,
          ...(words !== undefined && { words }),
          tokens: sql`${generationJobs.tokens} + ${usage.input_tokens + usage.output_tokens}`,
          costUsd: sql`${generationJobs.costUsd} + ${usage.cost_usd}`,
          updatedAt: new Date(),
        })
        .where(this.fence(job))
        .returning({ id: generationJobs.id });
      if (!row) return;
      if (change.status) await tx.update(projects).set({ status: change.status, updatedAt: new Date() }).where(eq(projects.id, job.projectId));
      if (ended) {
        await tx
          .update(jobAttempts)
          .set({ endedAt: sql`now()`, outcome: ended })
          .where(and(eq(jobAttempts.jobId, job.id), eq(jobAttempts.claim, job.claims), isNull(jobAttempts.endedAt)));
      }
      describe(emit);
    });
  }

  /** A stage left mid-way keeps its finished scenes; its status says whether it failed or simply waits. */
  private async releaseStage(job: GenerationJobRow, to: "pending" | "failed"): Promise<void> {
    await this.db
      .update(stageRuns)
      .set({ status: to })
      .where(and(eq(stageRuns.projectId, job.projectId), eq(stageRuns.status, "running"), eq(stageRuns.jobId, job.id)));
  }

  private renewedLease() {
    return sql`now() + make_interval(secs => ${this.leaseSeconds})`;
  }

  private fence(job: GenerationJobRow) {
    return and(eq(generationJobs.id, job.id), eq(generationJobs.leaseOwner, this.workerId), eq(generationJobs.claims, job.claims));
  }
}

