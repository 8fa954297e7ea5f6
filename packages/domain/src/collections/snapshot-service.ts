import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import { artifacts, collections, snapshots, type ArtifactRow, type Database, type SnapshotArtifact, type SnapshotRow } from "@scriptorium/db";
import { ConflictError, NotFoundError } from "../errors";
import { Keyset, type Page, type PageRequest } from "../paging";

const SNAPSHOTS_NEWEST_FIRST = new Keyset("snapshots:created_at:desc", snapshots.createdAt, snapshots.id, "desc");

/** The state of some of a collection's artifacts just before a refresh or rollback replaced it. */
export type Snapshot = SnapshotRow;

export function toSnapshotArtifact(row: ArtifactRow): SnapshotArtifact {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    source: row.source,
    trackedRef: row.trackedRef,
    resolvedVersion: row.resolvedVersion,
    upstreamObject: row.upstreamObject,
    contentHash: row.contentHash,
    files: row.files,
    baseFiles: row.baseFiles,
    baseHash: row.baseHash,
    findings: row.findings,
    metadata: row.metadata,
    addedAt: row.addedAt.toISOString(),
    refreshedAt: row.refreshedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface RollbackOutcome {
  /** The snapshot that was restored. */
  restored: SnapshotRow;
  restoredCount: number;
  /** A snapshot of the state the rollback replaced: rolling back to it undoes the rollback. */
  undoSnapshotId: string;
}

/**
 * Snapshots hold whole artifact rows; file contents live in the immutable
 * blob store, so restoring a row restores byte-identical files.
 */
export class SnapshotService {
  constructor(private readonly db: Database) {}

  private async requireCollection(workspaceId: string, collectionId: string): Promise<void> {
    const [row] = await this.db
      .select({ id: collections.id })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, collectionId)));
    if (!row) throw new NotFoundError("Collection", collectionId);
  }

  /** A collection's snapshots, newest first, a page at a time. */
  async list(workspaceId: string, collectionId: string, request: PageRequest = {}): Promise<Page<SnapshotRow>> {
    await this.requireCollection(workspaceId, collectionId);
    const limit = Keyset.limitOf(request);
    const rows = await this.db
      .select({ snapshot: snapshots, cursorKey: SNAPSHOTS_NEWEST_FIRST.keyText() })
      .from(snapshots)
      .where(and(eq(snapshots.workspaceId, workspaceId), eq(snapshots.collectionId, collectionId), SNAPSHOTS_NEWEST_FIRST.after(request.cursor)))
      .orderBy(...SNAPSHOTS_NEWEST_FIRST.orderBy())
      .limit(limit + 1);
    return SNAPSHOTS_NEWEST_FIRST.page(rows, limit, (row) => row.snapshot.id, (row) => row.snapshot);
  }

  /** Restores a snapshot (the newest when none is named), in one transaction. */
  async rollback(workspaceId: string, collectionId: string, snapshotId: string | undefined, requestId: string): Promise<RollbackOutcome> {
    await this.requireCollection(workspaceId, collectionId);
    return this.db.transaction(async (tx) => {
      const [target] = await tx
        .select()
        .from(snapshots)
        .where(and(eq(snapshots.workspaceId, workspaceId), eq(snapshots.collectionId, collectionId), snapshotId ? eq(snapshots.id, snapshotId) : undefined))
        .orderBy(desc(snapshots.createdAt), desc(snapshots.id))
        .limit(1);
      if (!target) {
        if (snapshotId) throw new NotFoundError("Snapshot", snapshotId);
        throw new ConflictError("This collection has no snapshots to roll back to yet: a sync or a metadata refresh that changes something takes one.");
      }
      const ids = target.artifacts.map((artifact) => artifact.id);
      const current = await tx.select().from(artifacts).where(and(eq(artifacts.collectionId, collectionId), inArray(artifacts.id, ids)));
      const undoSnapshotId = randomUUID();
      await tx.insert(snapshots).values({
        id: undoSnapshotId,
        workspaceId,
        collectionId,
        mode: "rollback",
        requestId,
        artifacts: current.map(toSnapshotArtifact),
      });
      for (const saved of target.artifacts) {
        const row = {
          id: saved.id,
          workspaceId,
          collectionId,
          type: saved.type,
          name: saved.name,
          source: saved.source,
          trackedRef: saved.trackedRef,
          resolvedVersion: saved.resolvedVersion,
          upstreamObject: saved.upstreamObject,
          contentHash: saved.contentHash,
          files: saved.files,
          baseFiles: saved.baseFiles ?? saved.files,
          baseHash: saved.baseHash ?? saved.contentHash,
          findings: saved.findings ?? null,
          metadata: saved.metadata,
          addedAt: new Date(saved.addedAt),
          refreshedAt: saved.refreshedAt ? new Date(saved.refreshedAt) : null,
          updatedAt: new Date(saved.updatedAt),
        };
        const { id: _id, ...changes } = row;
        await tx.insert(artifacts).values(row).onConflictDoUpdate({ target: artifacts.id, set: changes });
      }
      await tx.update(collections).set({ updatedAt: new Date() }).where(eq(collections.id, collectionId));
      return { restored: target, restoredCount: target.artifacts.length, undoSnapshotId };
    });
  }
}
