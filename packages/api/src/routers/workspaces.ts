import { CreatedWorkspace, CreateWorkspaceInput } from "../schemas";
import { toIssuedApiKey } from "../serialize";
import { ownerProcedure, router } from "../trpc";

export const workspacesRouter = router({
  create: ownerProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/workspaces",
        tags: ["workspaces"],
        summary: "Create a workspace and its first admin key",
        description: "Owner scope. The answer holds the new workspace's admin key, shown this once.",
      },
    })
    .input(CreateWorkspaceInput)
    .output(CreatedWorkspace)
    .mutation(async ({ ctx, input }) => {
      const { workspace, adminKey } = await ctx.services.access.createWorkspace(input.name);
      return { workspace: { id: workspace.id, name: workspace.name }, admin_key: toIssuedApiKey(adminKey) };
    }),
});
