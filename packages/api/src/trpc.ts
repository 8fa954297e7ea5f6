import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { scopeIncludes, type Principal, type Scope, type Services } from "@scriptorium/domain";
import { errorFields, toTRPCError } from "./errors";

/**
 * Built from plain values by every entry point (HTTP, SSE, WebSocket, REST,
 * server-side callers), so none of them needs the others' request objects.
 */
export interface Context {
  services: Services;
  requestId: string;
  /** The API key the caller presented, from a header, the session cookie or WebSocket parameters. */
  apiKey: string | null;
}

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      // Stack traces and internal messages never leave the server.
      const { stack: _stack, ...data } = shape.data;
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      return {
        ...shape,
        message: internal ? "Internal server error" : shape.message,
        data,
        request_id: ctx?.requestId ?? "unknown",
        fields: errorFields(error),
      };
    },
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      // A client that hears nothing (not even a ping) for this long reconnects.
      client: { reconnectAfterInactivityMs: 40_000 },
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

function requireScope(scope: Scope) {
  return t.middleware(async ({ ctx, next }) => {
    if (!ctx.apiKey) {
      throw new TRPCError({
        code: "UNAUTHORIZED",
        message: "An API key is required: send it as X-API-Key or Authorization: Bearer.",
      });
    }
    const principal: Principal | null = await ctx.services.access.authenticate(ctx.apiKey);
    if (!principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "This API key is unknown or has been revoked." });
    if (!scopeIncludes(principal.scope, scope)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs a key with "${scope}" scope; yours has "${principal.scope}".`,
      });
    }
    return next({ ctx: { ...ctx, principal } });
  });
}

export const publicProcedure = t.procedure.use(mapErrors);
export const readProcedure = publicProcedure.use(requireScope("read"));
export const writeProcedure = publicProcedure.use(requireScope("write"));
export const adminProcedure = publicProcedure.use(requireScope("admin"));
export const ownerProcedure = publicProcedure.use(requireScope("owner"));
