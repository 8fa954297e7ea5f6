import { BuildExportsInput, ExportFormatInput, ExportList, ExportStatus } from "../export-schemas";
import { ProjectIdInput } from "../generation-schemas";
import { toExport, toExportStatus } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["exports"];

/** Builds and status of a project's exports; the files themselves are downloaded from `GET /api/v2/projects/{id}/export/{format}`. */
export const exportsRouter = router({
  build: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v2/projects/{id}/export",
        tags: TAGS,
        summary: "Build exports of the latest manuscript",
        description:
          "Builds the named formats (default all) and answers when they are ready. Idempotent: a format already built from the same text, title, author and page size is kept as it is. 409 before scene drafting (stage 6) has finished.",
      },
    })
    .input(BuildExportsInput)
    .output(ExportList)
    .mutation(async ({ ctx, input }) => ({
      items: (await ctx.services.exports.build(ctx.principal.workspaceId, input.id, { formats: input.formats, trim: input.trim })).map(toExport),
    })),

  list: readProcedure
    .meta({ openapi: { method: "GET", path: "/v2/projects/{id}/export", tags: TAGS, summary: "List built exports", description: "`stale` marks a file built before the manuscript last changed." } })
    .input(ProjectIdInput)
    .output(ExportList)
    .query(async ({ ctx, input }) => ({ items: (await ctx.services.exports.list(ctx.principal.workspaceId, input.id)).map(toExport) })),

  status: readProcedure
    .meta({ openapi: { method: "GET", path: "/v2/projects/{id}/export/{format}/status", tags: TAGS, summary: "One format's export status", description: "`exists` is false before the format has been built." } })
    .input(ExportFormatInput)
    .output(ExportStatus)
    .query(async ({ ctx, input }) => toExportStatus(input.format, await ctx.services.exports.status(ctx.principal.workspaceId, input.id, input.format))),
});
