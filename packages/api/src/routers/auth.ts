import { WhoAmI } from "../schemas";
import { readProcedure, router } from "../trpc";

export const authRouter = router({
  whoami: readProcedure
    .meta({ openapi: { method: "GET", path: "/v1/whoami", tags: ["auth"], summary: "The workspace and key behind this request" } })
    .output(WhoAmI)
    .query(({ ctx }) => {
      const p = ctx.principal;
      return {
        workspace: { id: p.workspaceId, name: p.workspaceName },
        key: { id: p.keyId, name: p.keyName, scope: p.scope, prefix: p.keyPrefix },
      };
    }),
});
