import { performance } from "node:perf_hooks";
import { CreateCollectionInput, PageInput, UpdateCollectionInput } from "@scriptorium/contract";
import {
  Collection,
  CollectionIdInput,
  CollectionList,
  Deleted,
  ListSnapshotsInput,
  RefreshInput,
  RefreshProgressInput,
  RefreshResponse,
  RollbackInput,
  RollbackResponse,
  SnapshotList,
} from "../schemas";
import { toCollection, toPage, toRefreshResponse, toSnapshot } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["collections"];

export const collectionsRouter = router({
  list: readProcedure
    .meta({ openapi: { method: "GET", path: "/v1/collections", tags: TAGS, summary: "List collections by name, a page at a time" } })
    .input(PageInput.optional())
    .output(CollectionList)
    .query(async ({ ctx, input }) => toPage(await ctx.services.collections.list(ctx.principal.workspaceId, input), toCollection)),

  get: readProcedure
    .meta({ openapi: { method: "GET", path: "/v1/collections/{collection_id}", tags: TAGS, summary: "Get a collection" } })
    .input(CollectionIdInput)
    .output(Collection)
    .query(async ({ ctx, input }) => toCollection(await ctx.services.collections.get(ctx.principal.workspaceId, input.collection_id))),

  create: writeProcedure
    .meta({ openapi: { method: "POST", path: "/v1/collections", tags: TAGS, summary: "Create a collection" } })
    .input(CreateCollectionInput)
    .output(Collection)
    .mutation(async ({ ctx, input }) => toCollection(await ctx.services.collections.create(ctx.principal.workspaceId, input))),

  update: writeProcedure
    .meta({ openapi: { method: "PATCH", path: "/v1/collections/{collection_id}", tags: TAGS, summary: "Rename or describe a collection" } })
    .input(UpdateCollectionInput)
    .output(Collection)
    .mutation(async ({ ctx, input }) =>
      toCollection(await ctx.services.collections.update(ctx.principal.workspaceId, input.collection_id, input)),
    ),

  delete: writeProcedure
    .meta({ openapi: { method: "DELETE", path: "/v1/collections/{collection_id}", tags: TAGS, summary: "Delete a collection and its artifacts" } })
    .input(CollectionIdInput)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.collections.delete(ctx.principal.workspaceId, input.collection_id);
      return { id: input.collection_id, deleted: true as const };
    }),

  refresh: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/collections/{collection_id}/refresh",
        tags: TAGS,
        summary: "Refresh a collection from upstream",
        description:
          "`metadata` re-reads upstream metadata; `check` reports which artifacts changed upstream, changing nothing; " +
          "`sync` applies upstream content after a snapshot, merging it with local edits (three-way; `on_conflict` settles what cannot be merged). " +
          "Entries whose content changes list `files_changed` (with `include_diff`, unified diffs). `?mode=` overrides the body's mode. " +
          "One artifact's failure is an `error` entry; it never fails the request.",
      },
      restQuery: ["mode", "entries"],
    })
    .input(RefreshInput)
    .output(RefreshResponse)
    .mutation(async ({ ctx, input }) => {
      const startedAt = performance.now();
      const outcome = await ctx.services.refresher.refresh(ctx.principal.workspaceId, input.collection_id, {
        mode: input.mode ?? "metadata",
        filter: { type: input.artifact_filter?.type, namePattern: input.artifact_filter?.name_pattern },
        dryRun: input.dry_run ?? false,
        fields: input.fields,
        onConflict: input.on_conflict,
        includeDiff: input.include_diff,
        acceptFindings: input.accept_findings,
        onProgress: ctx.services.refreshProgress.reporter(ctx.principal.workspaceId, input.collection_id, input.progress_token),
        requestId: ctx.requestId,
      });
      return toRefreshResponse(outcome, ctx.requestId, startedAt, input.entries ?? "all");
    }),

  /** A refresh's progress, live, by the `progress_token` it was started with (tRPC only: SSE or WebSocket); ends when the refresh is done. */
  refreshProgress: readProcedure.input(RefreshProgressInput).subscription(async function* ({ ctx, input, signal }) {
    await ctx.services.collections.get(ctx.principal.workspaceId, input.collection_id);
    yield* ctx.services.refreshProgress.follow(ctx.principal.workspaceId, input.collection_id, input.progress_token, signal ?? new AbortController().signal);
  }),

  snapshots: readProcedure
    .meta({ openapi: { method: "GET", path: "/v1/collections/{collection_id}/snapshots", tags: TAGS, summary: "List a collection's snapshots, newest first" } })
    .input(ListSnapshotsInput)
    .output(SnapshotList)
    .query(async ({ ctx, input }) => toPage(await ctx.services.snapshots.list(ctx.principal.workspaceId, input.collection_id, input), toSnapshot)),

  rollback: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/collections/{collection_id}/rollback",
        tags: TAGS,
        summary: "Restore a snapshot (default: the newest)",
        description: "Restores content and metadata exactly, after snapshotting the state it replaces (so a rollback can be undone).",
      },
    })
    .input(RollbackInput)
    .output(RollbackResponse)
    .mutation(async ({ ctx, input }) => {
      const outcome = await ctx.services.snapshots.rollback(ctx.principal.workspaceId, input.collection_id, input.snapshot_id, ctx.requestId);
      return { snapshot_id: outcome.restored.id, restored_count: outcome.restoredCount, undo_snapshot_id: outcome.undoSnapshotId };
    }),
});
