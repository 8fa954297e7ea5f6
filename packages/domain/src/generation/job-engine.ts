import { isDatabaseUnavailable, type GenerationJobRow } from "@scriptorium/db";
import type { Cluster } from "../cluster/cluster";
import type { Logger } from "../logger";
import { LeaseLostError, type JobQueue } from "./job-queue";
import type { Interruption, JobRun, StageRunner } from "./stage-runner";
import { BudgetExhaustedError } from "./writers/writer";

export interface JobEngineOptions {
  /** Jobs this process runs at once; 0 makes it an API-only node. */
  workers: number;
  /** How often idle workers look for work that another process queued or abandoned. */
  pollIntervalMs: number;
  /**
   * True when no other process can reach the database (the embedded one):
   * jobs left `running` by an earlier life of this process are taken back at
   * once instead of after their lease runs out.
   */
  exclusive: boolean;
}

/** How long a worker waits between attempts to hand a job back while the database does not answer. */
const HAND_BACK_RETRY_MS = 250;

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "JobInterrupted");
}

/**
 * This process's generation worker: claims queued (or abandoned) jobs from
 * the job queue, up to `workers` at once, has the stage runner run them,
 * heartbeats their claims, and records how each run ended.
 */
export class JobEngine {
  private readonly running = new Map<string, JobRun>();
  private loop: Promise<void> | null = null;
  private stopped = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly runner: StageRunner,
    private readonly log: Logger,
    private readonly options: JobEngineOptions,
    cluster: Cluster,
  ) {
    // Other processes queue jobs and record pauses and cancels; this one may be running the job.
    cluster.on((message) => {
      if (message.kind === "wake") this.wake();
      else if (message.kind === "control") this.signal(message.job_id, message.action);
    });
    // A job queued while this process could not hear it: look now. (Pauses and cancels are read at each checkpoint.)
    cluster.onResumed(() => this.wake());
  }

  /** Starts claiming work; jobs interrupted by a crash or restart continue from their last checkpoint. */
  async start(): Promise<void> {
    if (this.options.workers === 0 || this.loop) return;
    if (this.options.exclusive) await this.queue.releaseRunningJobs();
    this.loop = this.claimLoop();
  }

  /** Stops claiming, interrupts running jobs at once and hands their leases back, so the next process continues them. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const run of this.running.values()) run.interrupt("shutdown");
    await this.loop;
  }

  /** Something was queued: look for work now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** A pause or cancel was recorded for this job: abort its in-flight writer call if it runs here. */
  signal(jobId: string, reason: "pause" | "cancel"): void {
    this.running.get(jobId)?.interrupt(reason);
  }

  private async claimLoop(): Promise<void> {
    const active = new Set<Promise<void>>();
    while (!this.stopped) {
      let job: GenerationJobRow | null = null;
      if (active.size < this.options.workers) {
        try {
          job = await this.queue.claimNext();
        } catch (error) {
          if (isDatabaseUnavailable(error)) this.log.warn({ err: error }, "the database is unreachable; looking for work again shortly");
          else this.log.error({ err: error }, "claiming a generation job failed");
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

  private async run(job: GenerationJobRow): Promise<void> {
    let run: JobRun | null;
    try {
      run = await this.runner.open(job);
    } catch (error) {
      // The claim stands until its lease runs out; then this or another worker takes the job again.
      this.log.warn({ err: error, job_id: job.id }, "opening a claimed generation job failed");
      return;
    }
    if (!run) return;
    this.running.set(job.id, run);
    this.log.info({ job_id: job.id, project_id: run.project.id, claim: job.claims, worker: this.queue.workerId }, "claimed a generation job");
    const heartbeat = setInterval(() => void this.heartbeat(run), this.queue.heartbeatIntervalMs);
    try {
      await run.writeUsage((usage) => this.queue.markRunning(job, usage));
      await this.runner.run(run);
      await run.writeUsage((usage) => this.queue.complete(job, usage));
    } catch (error) {
      await this.settle(run, error);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }

  private async heartbeat(run: JobRun): Promise<void> {
    try {
      if (!(await this.queue.renewLease(run.job))) run.controller.abort(new LeaseLostError("lease lost"));
    } catch (error) {
      this.log.warn({ err: error, job_id: run.job.id }, "renewing a job lease failed");
    }
  }

  /** Ends a run that did not complete: paused, cancelled, handed back, failed, or silently given up after a lost lease. */
  private async settle(run: JobRun, error: unknown): Promise<void> {
    const job = run.job;
    if (error instanceof LeaseLostError || run.controller.signal.reason instanceof LeaseLostError) {
      this.log.warn({ job_id: job.id }, "another worker took over this job; stopping without writing");
      return;
    }
    if (isDatabaseUnavailable(error)) {
      await this.handBackWhenReachable(run);
      return;
    }
    try {
      if (error instanceof BudgetExhaustedError) {
        await run.writeUsage((usage) => this.queue.pauseOverBudget(job, usage, error.message));
        return;
      }
      if (isAbort(error) || run.interruption) {
        const reason: Interruption = run.interruption ?? "pause";
        if (reason === "shutdown") await run.writeUsage((usage) => this.queue.handBack(job, usage, "The worker is shutting down"));
        else if (reason === "cancel") await run.writeUsage((usage) => this.queue.cancel(job, usage));
        else await run.writeUsage((usage) => this.queue.pause(job, usage));
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, job_id: job.id }, "generation job failed");
      await run.writeUsage((usage) => this.queue.fail(job, usage, message));
    } catch (settleError) {
      this.log.error({ err: settleError, job_id: job.id }, "recording the end of a generation job failed");
    }
  }

  /**
   * The database went away mid-run. Whatever the last checkpoint committed
   * stands (each is one transaction), so the job is handed back to continue
   * from there, by this worker or another, as soon as the database answers
   * again. Writing the checkpoint again instead could repeat its events when
   * only its acknowledgement was lost. If the database stays away until the
   * lease runs out, the lease hands the job on by itself.
   */
  private async handBackWhenReachable(run: JobRun): Promise<void> {
    this.log.warn({ job_id: run.job.id }, "lost the database mid-job; it continues from its last checkpoint once the database is back");
    const giveUpAt = Date.now() + this.queue.heartbeatIntervalMs * 3;
    while (!this.stopped && Date.now() < giveUpAt) {
      try {
        await run.writeUsage((usage) => this.queue.handBack(run.job, usage, "The worker lost its database connection"));
        this.wake();
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error)) {
          this.log.error({ err: error, job_id: run.job.id }, "handing back a generation job failed");
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, HAND_BACK_RETRY_MS));
      }
    }
  }
}
