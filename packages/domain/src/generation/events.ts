import { EventEmitter } from "node:events";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { EVENT_PAGE_SIZE, GenerationEventPayload, type GenerationEvent } from "@scriptorium/contract";
import { generationEvents, projects, type Database, type GenerationEventRow } from "@scriptorium/db";
import type { Cluster, ClusterMessage } from "../cluster/cluster";

export type { GenerationEvent } from "@scriptorium/contract";

/** An event as the pipeline emits it; the log gives it its id and time. */
export type NewEvent = GenerationEventPayload;

/**
 * A stored event as transports send it. The database keeps the type and the
 * data in two columns, so they are checked together against the payload
 * union here: whatever reads the log gets the shape its type promises.
 */
function toEvent(row: GenerationEventRow): GenerationEvent {
  const payload = GenerationEventPayload.parse({ type: row.type, data: row.data });
  return { id: row.id, project_id: row.projectId, job_id: row.jobId, ...payload, created_at: row.createdAt.toISOString() };
}

type Listener = (event: GenerationEvent) => void;

/**
 * Live delivery of committed events inside this process. Writers publish
 * only after their transaction commits, so a listener never sees an event
 * the database could still roll back.
 */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(events: readonly GenerationEvent[]): void {
    for (const event of events) this.emitter.emit(event.project_id, event);
  }

  hasSubscribers(projectId: string): boolean {
    return this.emitter.listenerCount(projectId) > 0;
  }

  subscribe(projectId: string, listener: Listener): () => void {
    this.emitter.on(projectId, listener);
    return () => this.emitter.off(projectId, listener);
  }
}

/** The persisted event log: numbering, appending inside a caller's transaction, reading the backlog. */
export class EventLog {
  constructor(
    private readonly db: Database,
    readonly bus: EventBus,
    private readonly cluster: Cluster,
  ) {
    cluster.on((message) => void this.relay(message));
  }

  /**
   * Appends events inside `tx`. The project's row is the counter, so two
   * writers of one project serialize on it and ids never repeat or skip.
   * The caller publishes the returned events after committing.
   */
  async append(tx: Database, workspaceId: string, projectId: string, jobId: string | null, events: readonly NewEvent[]): Promise<GenerationEvent[]> {
    if (events.length === 0) return [];
    const [counter] = await tx
      .update(projects)
      .set({ lastEventId: sql`${projects.lastEventId} + ${events.length}` })
      .where(eq(projects.id, projectId))
      .returning({ lastEventId: projects.lastEventId });
    if (!counter) throw new Error(`project ${projectId} vanished while writing events`);
    const firstId = counter.lastEventId - events.length + 1;
    const rows = await tx
      .insert(generationEvents)
      .values(events.map((event, index) => ({ workspaceId, projectId, jobId, id: firstId + index, type: event.type, data: event.data })))
      .returning();
    return rows.map(toEvent);
  }

  /** Runs `work` in a transaction with an event sink, and publishes what it appended once the transaction has committed. */
  async transaction<T>(workspaceId: string, projectId: string, jobId: string | null, work: (tx: Database, emit: (event: NewEvent) => void) => Promise<T>): Promise<T> {
    const pending: NewEvent[] = [];
    let written: GenerationEvent[] = [];
    const result = await this.db.transaction(async (tx) => {
      const value = await work(tx, (event) => pending.push(event));
      written = await this.append(tx, workspaceId, projectId, jobId, pending);
      const first = written[0];
      const last = written.at(-1);
      if (first && last) await this.cluster.send(tx, { kind: "events", workspace_id: workspaceId, project_id: projectId, first_id: first.id, last_id: last.id });
      return value;
    });
    this.bus.publish(written);
    return result;
  }

  /**
   * Another process committed events: subscribers here get them from the
   * log (read once per process, whatever the number of subscribers).
   * Delivery may come out of order; `follow` puts it back in order.
   */
  private async relay(message: ClusterMessage): Promise<void> {
    if (message.kind !== "events" || !this.bus.hasSubscribers(message.project_id)) return;
    const count = message.last_id - message.first_id + 1;
    try {
      this.bus.publish(await this.after(message.workspace_id, message.project_id, message.first_id - 1, count));
    } catch {
      // Subscribers fill any gap from the log when the next event arrives.
    }
  }

  async after(workspaceId: string, projectId: string, afterId: number, limit = EVENT_PAGE_SIZE): Promise<GenerationEvent[]> {
    const rows = await this.db
      .select()
      .from(generationEvents)
      .where(and(eq(generationEvents.workspaceId, workspaceId), eq(generationEvents.projectId, projectId), gt(generationEvents.id, afterId)))
      .orderBy(asc(generationEvents.id))
      .limit(limit);
    return rows.map(toEvent);
  }

  /**
   * Every event after `afterId`, then live ones, each exactly once and in
   * order. It subscribes before reading the backlog, so an event committed
   * in between is neither lost nor repeated.
   */
  async *follow(workspaceId: string, projectId: string, afterId: number, signal: AbortSignal): AsyncGenerator<GenerationEvent> {
    const live: GenerationEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = this.bus.subscribe(projectId, (event) => {
      live.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      let lastId = afterId;
      for (;;) {
        const page = await this.after(workspaceId, projectId, lastId);
        for (const event of page) {
          yield event;
          lastId = event.id;
        }
        if (page.length < EVENT_PAGE_SIZE) break;
      }
      while (!signal.aborted) {
        const event = live.shift();
        if (!event) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (signal.aborted) resolve();
          });
          wake = null;
          continue;
        }
        if (event.id > lastId + 1) {
          // Two transactions can publish out of order; both have committed, so the log fills the gap.
          for (const missing of await this.after(workspaceId, projectId, lastId, event.id - lastId - 1)) {
            yield missing;
            lastId = missing.id;
          }
        }
        if (event.id <= lastId) continue;
        yield event;
        lastId = event.id;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      unsubscribe();
    }
  }
}
