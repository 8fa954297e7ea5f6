import { TRPCError } from "@trpc/server";
import { CONTENT_LIMITS } from "@scriptorium/contract";
import {
  AddArtifactsInput,
  Artifact,
  ArtifactFileInput,
  ArtifactFileList,
  ArtifactIdInput,
  ArtifactList,
  Deleted,
  DeleteFileInput,
  FileEdit,
  FindingList,
  ImportedArtifacts,
  InlineFile,
  ListArtifactsInput,
  WriteFileInput,
} from "../schemas";
import { toArtifact, toArtifactFile, toFileEdit, toPage } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["artifacts"];
const FILE_ROUTE = "/api/v1/collections/{collection_id}/artifacts/{artifact_id}/files/{path}";

/** Inline file transfers are for small files; larger ones have a streaming REST route. */
function refuseLargeInline(path: string, size: number, method: "GET" | "PUT"): void {
  if (size <= CONTENT_LIMITS.inlineFileBytes) return;
  throw new TRPCError({
    code: "PAYLOAD_TOO_LARGE",
    message: `${path} is ${size} bytes; files over ${CONTENT_LIMITS.inlineFileBytes} bytes (1 MiB) go through ${method} ${FILE_ROUTE}, not inline.`,
  });
}

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
          findings: input.findings,
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

  files: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/collections/{collection_id}/artifacts/{artifact_id}/files",
        tags: TAGS,
        summary: "List an artifact's stored files",
        description: "Sorted by path, with each file's size, SHA-256, executable bit and media type. Read one with GET …/files/{path}.",
      },
    })
    .input(ArtifactIdInput)
    .output(ArtifactFileList)
    .query(async ({ ctx, input }) => ({
      items: (await ctx.services.files.list(ctx.principal.workspaceId, input.collection_id, input.artifact_id)).map(toArtifactFile),
    })),

  findings: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/collections/{collection_id}/artifacts/{artifact_id}/findings",
        tags: TAGS,
        summary: "What the security review found in an artifact's stored copy",
        description: "Every finding, by path and line: rule, severity, excerpt and message. The rules are documented in docs/security-review.md.",
      },
    })
    .input(ArtifactIdInput)
    .output(FindingList)
    .query(async ({ ctx, input }) => ({ items: (await ctx.services.collections.getArtifact(ctx.principal.workspaceId, input.collection_id, input.artifact_id)).findings ?? [] })),

  readFile: readProcedure
    .input(ArtifactFileInput)
    .output(InlineFile)
    .query(async ({ ctx, input }) => {
      const file = await ctx.services.files.open(ctx.principal.workspaceId, input.collection_id, input.artifact_id, input.path);
      refuseLargeInline(input.path, file.size, "GET");
      return { ...toArtifactFile(file), content_base64: (await ctx.services.files.bytes(file)).toString("base64") };
    }),

  writeFile: writeProcedure
    .input(WriteFileInput)
    .output(FileEdit)
    .mutation(async ({ ctx, input }) => {
      const content = Buffer.from(input.content_base64, "base64");
      refuseLargeInline(input.path, content.length, "PUT");
      const edit = await ctx.services.files.write(ctx.principal.workspaceId, input.collection_id, input.artifact_id, input.path, content, {
        ifMatch: input.if_match,
        requestId: ctx.requestId,
      });
      return toFileEdit(edit);
    }),

  deleteFile: writeProcedure
    .input(DeleteFileInput)
    .output(FileEdit)
    .mutation(async ({ ctx, input }) =>
      toFileEdit(
        await ctx.services.files.delete(ctx.principal.workspaceId, input.collection_id, input.artifact_id, input.path, { ifMatch: input.if_match, requestId: ctx.requestId }),
      ),
    ),
});
