import type { z } from "zod";
import { CreateApiKeyInput, PageInput } from "@scriptorium/contract";
import { ApiKeyList, IssuedApiKey, RevokeApiKeyInput, RevokedApiKey } from "../schemas";
import { toApiKey, toIssuedApiKey, toPage } from "../serialize";
import { adminProcedure, router } from "../trpc";
import type { KeyChange } from "../schemas";

export const keysRouter = router({
  list: adminProcedure
    .meta({ openapi: { method: "GET", path: "/v1/keys", tags: ["keys"], summary: "List the workspace's API keys (never the secrets)" } })
    .input(PageInput.optional())
    .output(ApiKeyList)
    .query(async ({ ctx, input }) => toPage(await ctx.services.access.listKeys(ctx.principal.workspaceId, input), toApiKey)),

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

  /** Live changes to the workspace's keys (tRPC only: SSE or WebSocket). */
  changes: adminProcedure.subscription(async function* ({ ctx, signal }): AsyncGenerator<z.infer<typeof KeyChange>> {
    for await (const change of ctx.services.access.watchKeys(ctx.principal.workspaceId, signal)) {
      yield { change: change.change, key_id: change.keyId };
    }
  }),

  revoke: adminProcedure
    .meta({ openapi: { method: "DELETE", path: "/v1/keys/{id}", tags: ["keys"], summary: "Revoke an API key" } })
    .input(RevokeApiKeyInput)
    .output(RevokedApiKey)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.access.revokeKey(ctx.principal, input.id);
      return { id: input.id, revoked: true as const };
    }),
});
