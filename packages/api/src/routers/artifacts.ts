import { AddArtifactsInput, Artifact, ArtifactIdInput, ArtifactList, Deleted, ImportedArtifacts, ListArtifactsInput } from "../schemas";
import { toArtifact, toPage } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["artifacts"];

export const artifactsRouter = router({
  list: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/collections/{collection_id}/artifacts",
        tags: TAGS,
        summary: "List a collection's artifacts, a page at a time",
        description: "Filtered on the server by type, name pattern and words; `total` is given when nothing filters.",
      },
    })
    .input(ListArtifactsInput)
    .output(ArtifactList)
    .query(async ({ ctx, input }) =>
      toPage(
        await ctx.services.collections.listArtifacts(ctx.principal.workspaceId, input.collection_id, {
          type: input.type,
          namePattern: input.name_pattern,
          q: input.q,
          sort: input.sort,
          order: input.order,
          limit: input.limit,
          cursor: input.cursor,
        }),
        toArtifact,
      ),
    ),

  get: readProcedure
    .meta({ openapi: { method: "GET", path: "/v1/collections/{collection_id}/artifacts/{artifact_id}", tags: TAGS, summary: "Get an artifact" } })
    .input(ArtifactIdInput)
    .output(Artifact)
    .query(async ({ ctx, input }) => toArtifact(await ctx.services.collections.getArtifact(ctx.principal.workspaceId, input.collection_id, input.artifact_id))),

  add: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/collections/{collection_id}/artifacts",
        tags: TAGS,
        summary: "Add artifacts from a source",
        description:
          "A source that is itself an artifact adds one; a folder or repository of artifacts adds every one it holds. All or nothing. Local folders and file:// repositories read the server's disk: while SCRIPTORIUM_LOCAL_ROOTS is unset only owner keys of the first workspace may add them (403 otherwise); set, any write key may add those inside its folders.",
      },
    })
    .input(AddArtifactsInput)
    .output(ImportedArtifacts)
    .mutation(async ({ ctx, input }) => ({
      items: (await ctx.services.collections.addArtifacts(ctx.principal, input.collection_id, input)).map(toArtifact),
    })),

  remove: writeProcedure
    .meta({ openapi: { method: "DELETE", path: "/v1/collections/{collection_id}/artifacts/{artifact_id}", tags: TAGS, summary: "Remove an artifact" } })
    .input(ArtifactIdInput)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.collections.removeArtifact(ctx.principal.workspaceId, input.collection_id, input.artifact_id);
      return { id: input.artifact_id, deleted: true as const };
    }),
});
