import { EventEmitter, on } from "node:events";
import type { RefreshProgress } from "@scriptorium/contract";
import type { Database } from "@scriptorium/db";
import type { Cluster } from "../cluster/cluster";


/** Reports a running refresh's progress; called often, it publishes at most every PUBLISH_INTERVAL_MS. */
export type RefreshProgressReporter = (progress: RefreshProgress) => void;

/** Between two published updates of one refresh (phase changes are always published). */
const PUBLISH_INTERVAL_MS = 200;
/** How long the last update of a refresh is kept for a watcher that comes late. */
const KEEP_MS = 120_000;

/**
 * Live progress of refreshes, by a token the caller chose and passed with
 * the refresh (`progress_token`): a watcher subscribes with the same token
 * and receives each update, starting with the latest one. Across API
 * processes the updates travel over the cluster channel, so a watcher may
 * reach another process than the refresh did.
 */
export class RefreshProgressHub {
  private readonly latest = new Map<string, { progress: RefreshProgress; expiresAt: number }>();
  private readonly updates = new EventEmitter();

  constructor(
    private readonly db: Database,
    private readonly cluster: Cluster,
  ) {
    this.updates.setMaxListeners(0);
    cluster.on((message) => {
      if (message.kind === "refresh_progress") this.accept(message.key, message.progress);
    });
  }

  /** A reporter for one refresh; null without a token (nobody watches). */
  reporter(workspaceId: string, collectionId: string, token: string | undefined): RefreshProgressReporter | undefined {
    if (!token) return undefined;
    const key = keyOf(workspaceId, collectionId, token);
    let lastPublished = 0;
    let lastPhase: RefreshProgress["phase"] | null = null;
    return (progress) => {
      const now = Date.now();
      if (progress.phase === lastPhase && now - lastPublished < PUBLISH_INTERVAL_MS) return;
      lastPublished = now;
      lastPhase = progress.phase;
      this.accept(key, progress);
      // Best effort: a lost update only makes a progress bar jump.
      if (this.cluster.distributed) void this.cluster.send(this.db, { kind: "refresh_progress", key, progress }).catch(() => undefined);
    };
  }

  /** The updates of one refresh, the latest first, until it is done or `signal` aborts. */
  async *follow(workspaceId: string, collectionId: string, token: string, signal: AbortSignal): AsyncGenerator<RefreshProgress> {
    const key = keyOf(workspaceId, collectionId, token);
    // Listening starts before the latest is read, so nothing falls between the two.
    const live = on(this.updates, key, { signal });
    const known = this.latest.get(key)?.progress;
    if (known) {
      yield known;
      if (known.phase === "done") return;
    }
    try {
      for await (const [progress] of live as AsyncIterable<[RefreshProgress]>) {
        yield progress;
        if (progress.phase === "done") return;
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  private accept(key: string, progress: RefreshProgress): void {
    const now = Date.now();
    for (const [known, entry] of this.latest) if (entry.expiresAt < now) this.latest.delete(known);
    this.latest.set(key, { progress, expiresAt: now + KEEP_MS });
    this.updates.emit(key, progress);
  }
}

function keyOf(workspaceId: string, collectionId: string, token: string): string {
  return `${workspaceId}/${collectionId}/${token}`;
}
