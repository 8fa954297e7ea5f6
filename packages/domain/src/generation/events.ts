import { EventEmitter } from "node:events";
import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
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

/** The bus's own channel for "read the log again", apart from every project id. */
const RESUME = Symbol("resume");

/** How long a follower waits before reading the log again when the database did not answer. */
const LOG_RETRY_MS = 500;

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

  /** Live delivery may have missed events of `projectId` (of every project when omitted): followers read the log again. */
  resume(projectId?: string): void {
    this.emitter.emit(RESUME, projectId);
  }

  onResume(projectId: string, listener: () => void): () => void {
    const filtered = (target: string | undefined) => {
      if (target === undefined || target === projectId) listener();
    };
    this.emitter.on(RESUME, filtered);
    return () => this.emitter.off(RESUME, filtered);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** The persisted event log: numbering, appending inside a caller's transaction, reading the backlog. */
export class EventLog {
  constructor(
    private readonly db: Database,
    readonly bus: EventBus,
    private readonly cluster: Cluster,
  ) {
    cluster.on((message) => void this.relay(message));
    // Messages sent while this process was not listening are lost: every follower reads the log.
    cluster.onResumed(() => bus.resume());
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

  /**
   * Runs `work` in a transaction with an event sink, and publishes what it
   * appended once the transaction has committed. The events belong to
   * `jobId`, or to the job `jobId` names from what `work` returned (for work
   * that finds its job inside the transaction).
   */
  async transaction<T>(
    workspaceId: string,
    projectId: string,
    jobId: string | null | ((result: T) => string | null),
    work: (tx: Database, emit: (event: NewEvent) => void) => Promise<T>,
  ): Promise<T> {
    const pending: NewEvent[] = [];
    let written: GenerationEvent[] = [];
    const result = await this.db.transaction(async (tx) => {
      const value = await work(tx, (event) => pending.push(event));
      written = await this.append(tx, workspaceId, projectId, typeof jobId === "function" ? jobId(value) : jobId, pending);
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
      // The database did not answer: the project's followers read the log themselves (and retry until it does).
      this.bus.resume(message.project_id);
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
   * One job's events after `afterId`. Control events written before they
   * were filed under their job carry its id in their data only.
   */
  async ofJob(workspaceId: string, projectId: string, jobId: string, afterId: number, limit = EVENT_PAGE_SIZE): Promise<GenerationEvent[]> {
    const rows = await this.db
      .select()
      .from(generationEvents)
      .where(
        and(
          eq(generationEvents.workspaceId, workspaceId),
          eq(generationEvents.projectId, projectId),
          gt(generationEvents.id, afterId),
          or(eq(generationEvents.jobId, jobId), and(isNull(generationEvents.jobId), sql`${generationEvents.data}->>'job_id' = ${jobId}`)),
        ),
      )
      .orderBy(asc(generationEvents.id))
      .limit(limit);
    return rows.map(toEvent);
  }

  /** The log after `afterId` to its end, page by page. */
  private async *everyEventAfter(workspaceId: string, projectId: string, afterId: number): AsyncGenerator<GenerationEvent> {
    for (let cursor = afterId; ; ) {
      const page = await this.after(workspaceId, projectId, cursor);
      yield* page;
      if (page.length < EVENT_PAGE_SIZE) return;
      cursor = page.at(-1)?.id ?? cursor;
    }
  }

  /**
   * Every event after `afterId`, then live ones, each exactly once and in
   * order. It subscribes before reading the backlog, so an event committed
   * in between is neither lost nor repeated. Whenever live delivery may
   * have missed something (events published out of order, a lost database
   * connection), it reads the log from its last id again, retrying while
   * the database does not answer.
   */
  async *follow(workspaceId: string, projectId: string, afterId: number, signal: AbortSignal): AsyncGenerator<GenerationEvent> {
    const live: GenerationEvent[] = [];
    let wake: (() => void) | null = null;
    let behind = false;
    const unsubscribe = this.bus.subscribe(projectId, (event) => {
      live.push(event);
      wake?.();
    });
    const stopResuming = this.bus.onResume(projectId, () => {
      behind = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    let lastId = afterId;
    try {
      for await (const event of this.everyEventAfter(workspaceId, projectId, lastId)) {
        yield event;
        lastId = event.id;
      }
      while (!signal.aborted) {
        if (behind) {
          behind = false;
          try {
            for await (const event of this.everyEventAfter(workspaceId, projectId, lastId)) {
              yield event;
              lastId = event.id;
            }
          } catch {
            behind = true;
            await sleep(LOG_RETRY_MS, signal);
          }
          continue;
        }
        const event = live.shift();
        if (!event) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (signal.aborted) resolve();
          });
          wake = null;
          continue;
        }
        if (event.id <= lastId) continue;
        if (event.id > lastId + 1) {
          // Two transactions can publish out of order; both have committed, so the log has what lies between.
          behind = true;
          continue;
        }
        yield event;
        lastId = event.id;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      stopResuming();
      unsubscribe();
    }
  }
}
