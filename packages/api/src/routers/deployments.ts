import { ListDeploymentsInput, ReportDeploymentInput } from "@scriptorium/contract";
import { DeploymentIdInput, DeploymentList, DeploymentSummary, ReportedDeployment } from "../deployment-schemas";
import { CollectionIdInput, Deleted } from "../schemas";
import { toArtifactDeployments, toDeployment, toPage } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["deployments"];

/** Where artifacts are deployed, as the `scriptorium` command reports it (docs/deployments.md). */
export const deploymentsRouter = router({
  report: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/deployments",
        tags: TAGS,
        summary: "Report what a target holds",
        description:
          "Sent by the command line after each deploy, update, status and undeploy: every artifact of this workspace the target holds, with the content hash deployed and its local status. Upserts by `target`, replacing the previous report; an empty `artifacts` list deletes the target's record (`deployment` is then null). Artifacts this workspace does not know answer 422 naming them (an unknown one reported as `removed` is left out).",
      },
    })
    .input(ReportDeploymentInput)
    .output(ReportedDeployment)
    .mutation(async ({ ctx, input }) => {
      const deployment = await ctx.services.deployments.report(ctx.principal.workspaceId, {
        target: input.target,
        profile: input.profile,
        scope: input.scope,
        host: input.host,
        path: input.path,
        artifacts: input.artifacts.map((artifact) => ({ artifactId: artifact.artifact_id, contentHash: artifact.content_hash, status: artifact.status })),
      });
      return { deployment: deployment && toDeployment(deployment) };
    }),

  list: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/deployments",
        tags: TAGS,
        summary: "List the targets artifacts are deployed to, a page at a time",
        description:
          "Most recently reported first. Each artifact's `status` is computed when asked, against the collection's current content: a target is `behind` as soon as the collection changes, without a new report.",
      },
    })
    .input(ListDeploymentsInput)
    .output(DeploymentList)
    .query(async ({ ctx, input }) =>
      toPage(
        await ctx.services.deployments.list(ctx.principal.workspaceId, {
          collectionId: input.collection_id,
          artifactId: input.artifact_id,
          limit: input.limit,
          cursor: input.cursor,
        }),
        toDeployment,
      ),
    ),

  summary: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v1/collections/{collection_id}/deployment-summary",
        tags: TAGS,
        summary: "How many targets hold each artifact of a collection, by status",
        description: "One item per artifact deployed anywhere, with its count of targets in each status now (computed like the list's).",
      },
    })
    .input(CollectionIdInput)
    .output(DeploymentSummary)
    .query(async ({ ctx, input }) => ({
      items: (await ctx.services.deployments.summary(ctx.principal.workspaceId, input.collection_id)).map(toArtifactDeployments),
    })),

  delete: writeProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/v1/deployments/{id}",
        tags: TAGS,
        summary: "Forget a target",
        description: "Deletes the server's record only; the target's files are untouched, and its next report records it again.",
      },
    })
    .input(DeploymentIdInput)
    .output(Deleted)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.deployments.delete(ctx.principal.workspaceId, input.id);
      return { id: input.id, deleted: true as const };
    }),
});
