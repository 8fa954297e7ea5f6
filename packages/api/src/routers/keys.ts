import { z } from "zod";
import { ApiKeyList, CreateApiKeyInput, IssuedApiKey, RevokeApiKeyInput, RevokedApiKey } from "../schemas";
import { toApiKey, toIssuedApiKey } from "../serialize";
import { adminProcedure, router } from "../trpc";

export const keysRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: "GET", path: "/v1/keys", tags: ["keys"], summary: "List the workspace's API keys (never the secrets)" } })
    .input(z.void())
    .output(ApiKeyList)
    .query(async ({ ctx }) => ({
      items: (await ctx.services.access.listKeys(ctx.principal.workspaceId)).map(toApiKey),
    })),

  create: adminProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v1/keys",
        tags: ["keys"],
        summary: "Create an API key",
        description: "The answer holds the secret `key`; it is shown this once and stored only as a hash.",
      },
    })
    .input(CreateApiKeyInput)
    .output(IssuedApiKey)
    .mutation(async ({ ctx, input }) => toIssuedApiKey(await ctx.services.access.createKey(ctx.principal, input))),

  revoke: adminProcedure
    .meta({ openapi: { method: "DELETE", path: "/v1/keys/{id}", tags: ["keys"], summary: "Revoke an API key" } })
    .input(RevokeApiKeyInput)
    .output(RevokedApiKey)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.access.revokeKey(ctx.principal, input.id);
      return { id: input.id, revoked: true as const };
    }),
});
