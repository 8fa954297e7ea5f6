import { CreateProjectInput, PageInput, UpdateProjectInput } from "@scriptorium/contract";
import { Project, ProjectIdInput, ProjectList } from "../generation-schemas";
import { Deleted } from "../schemas";
import { toPage, toProject } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["projects"];

export const projectsRouter = router({
  list: readProcedure
    .meta({ openapi: { method: "GET", path: "/v2/projects", tags: TAGS, summary: "List projects, newest first, a page at a time" } })
    .input(PageInput.optional())
    .output(ProjectList)
    .query(async ({ ctx, input }) => toPage(await ctx.services.projects.list(ctx.principal.workspaceId, input), toProject)),

  get: readProcedure
    .meta({ openapi: { method: "GET", path: "/v2/projects/{id}", tags: TAGS, summary: "Get a project" } })
    .input(ProjectIdInput)
    .output(Project)
    .query(async ({ ctx, input }) => toProject(await ctx.services.projects.get(ctx.principal.workspaceId, input.id))),

  create: writeProcedure
    .meta({ openapi: { method: "POST", path: "/v2/projects", tags: TAGS, summary: "Create a project" } })
    .input(CreateProjectInput)
    .output(Project)
    .mutation(async ({ ctx, input }) => toProject(await ctx.services.projects.create(ctx.principal.workspaceId, input))),

  update: writeProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/v2/projects/{id}",
        tags: TAGS,
        summary: "Change a project",
        description:
          "Finished stage outputs stay, but those written from a changed setting (the story, the book's shape, the seed or language where their writer uses it, the title and author for stage 12) and every later stage that has run become stale: the next start writes them again, and a `log` event says which. 409 when that would happen while a job is queued, running or paused. A change of writer or budget makes nothing stale.",
      },
    })
    .input(UpdateProjectInput)
    .output(Project)
    .mutation(async ({ ctx, input }) => toProject(await ctx.services.projects.update(ctx.principal.workspaceId, input.id, input))),

  delete: writeProcedure
    .meta({ openapi: { method: "DELETE", path: "/v2/projects/{id}", tags: TAGS, summary: "Delete a project with its outputs and events", description: "409 while a job is queued, running or paused: cancel it first." } })
    .input(ProjectIdInput)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.jobs.assertIdle(ctx.principal.workspaceId, input.id);
      await ctx.services.projects.delete(ctx.principal.workspaceId, input.id);
      return { id: input.id, deleted: true as const };
    }),
});
