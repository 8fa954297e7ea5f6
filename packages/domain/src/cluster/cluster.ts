import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { RefreshProgress } from "@scriptorium/contract";
import type { Database, DatabaseHandle } from "@scriptorium/db";

/** The NOTIFY channel every Scriptorium process on one database listens to. */
const CLUSTER_CHANNEL = "scriptorium";

/** What one process tells the others. Small: receivers read the details from the database. */
export type ClusterMessage =
  /** Events `first_id..last_id` of a project were committed. */
  | { kind: "events"; workspace_id: string; project_id: string; first_id: number; last_id: number }
  /** A pause or cancel of a running job was recorded: the worker running it aborts its in-flight call. */
  | { kind: "control"; job_id: string; action: "pause" | "cancel" }
  /** A job was queued: workers look for work now rather than at their next poll. */
  | { kind: "wake" }
  | { kind: "refresh_progress"; key: string; progress: RefreshProgress };

type Envelope = ClusterMessage & { origin: string };
type Handler = (message: ClusterMessage) => void;

/**
 * Messages between the processes that share one PostgreSQL database (API
 * nodes and workers), over LISTEN/NOTIFY. A message is sent inside the
 * transaction that made it true, so it is delivered if and only if that
 * transaction commits. With the embedded database there is one process and
 * nothing to tell: sending does nothing.
 */
export class Cluster {
  /** Tells this process's own messages apart: it has acted on them already. */
  private readonly origin = randomUUID();
  private readonly handlers: Handler[] = [];
  private readonly resumeHandlers: (() => void)[] = [];
  private stopListening: (() => Promise<void>) | null = null;

  constructor(private readonly listen: DatabaseHandle["listen"] | null) {}

  get distributed(): boolean {
    return this.listen !== null;
  }

  /** Queues `message` in `tx`; other processes receive it when `tx` commits. */
  async send(tx: Database, message: ClusterMessage): Promise<void> {
    if (!this.listen) return;
    const envelope: Envelope = { ...message, origin: this.origin };
    await tx.execute(sql`select pg_notify(${CLUSTER_CHANNEL}, ${JSON.stringify(envelope)})`);
  }

  /** Registers what to do with other processes' messages (before `start`). */
  on(handler: Handler): void {
    this.handlers.push(handler);
  }

  /**
   * Registers what to do after the connection that receives messages was
   * lost and is back: messages sent meanwhile never arrive, so receivers
   * read from the database what they may have missed.
   */
  onResumed(handler: () => void): void {
    this.resumeHandlers.push(handler);
  }

  async start(): Promise<void> {
    if (!this.listen || this.stopListening) return;
    this.stopListening = await this.listen(
      CLUSTER_CHANNEL,
      (payload) => {
        const envelope = JSON.parse(payload) as Envelope;
        if (envelope.origin === this.origin) return;
        for (const handler of this.handlers) handler(envelope);
      },
      () => {
        for (const handler of this.resumeHandlers) handler();
      },
    );
  }

  async stop(): Promise<void> {
    const stop = this.stopListening;
    this.stopListening = null;
    await stop?.();
  }
}
