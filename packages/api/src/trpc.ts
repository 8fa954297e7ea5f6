import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { InvalidError, RateLimitedError, scopeIncludes, type Principal, type Scope, type Services } from "@scriptorium/domain";
import { errorBody, toMappedError, toTRPCError } from "./errors";

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

/**
 * Procedure metadata: the OpenAPI route, plus `restQuery`, the input fields a
 * REST POST may also take from its query string (where they win over the body).
 */
export type Meta = OpenApiMeta<{ restQuery?: string[] }>;

export const SSE_PING_INTERVAL_MS = 15_000;
/** A client that hears nothing (not even a ping) for this long reconnects. */
export const SSE_RECONNECT_AFTER_INACTIVITY_MS = 40_000;

/**
 * Request ids of failures tRPC meets before it creates a context (a POST
 * without Content-Type, a batch mixing queries and mutations, a path that is
 * not valid percent-encoding), which it formats without one. The HTTP
 * adapter notes them in tRPC's onError, which tRPC calls before formatting.
 */
const requestIdsOfContextlessErrors = new WeakMap<Error, string>();

export function noteRequestIdOfError(error: Error, requestId: string): void {
  requestIdsOfContextlessErrors.set(error, requestId);
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error, ctx }) {
      const { stack: _stack, ...data } = shape.data;
      const body = errorBody(error, ctx?.requestId ?? requestIdsOfContextlessErrors.get(error) ?? "unknown");
      return { ...shape, message: body.message, data, request_id: body.request_id, fields: body.fields };
    },
    sse: {
      ping: { enabled: true, intervalMs: SSE_PING_INTERVAL_MS },
      client: { reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS },
    },
  });

export const router = t.router;

async function authorize(ctx: Context, scope: Scope): Promise<Principal> {
  if (!ctx.apiKey) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: "An API key is required: send it as X-API-Key or Authorization: Bearer.",
    });
  }
  const principal = await ctx.services.access.authenticate(ctx.apiKey);
  if (!principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "This API key is unknown or has been revoked." });
  const budget = ctx.services.rateLimiter.take(principal.keyId);
  if (!budget.allowed) {
    // Mapped by the caller like a procedure's own failure, so the answer is 429 with Retry-After.
    throw new RateLimitedError(`Too many requests with this API key; retry in ${budget.retryAfterSeconds} s.`, budget.retryAfterSeconds);
  }
  if (!scopeIncludes(principal.scope, scope)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `This needs a key with "${scope}" scope; yours has "${principal.scope}".`,
    });
  }
  return principal;
}

/**
 * Authentication and scope, then the input's NUL check: what every
 * procedure runs before anything else. Its failures are mapped by the caller.
 */
async function guard(ctx: Context, scope: Scope, rawInput: unknown): Promise<Principal> {
  const principal = await authorize(ctx, scope);
  const nul = nulPath(rawInput);
  if (nul) {
    throw new InvalidError(`Invalid input — ${nul.join(".") || "(input)"}: text must not contain NUL characters (\\u0000)`, [
      { path: nul, message: "Text must not contain NUL characters (\\u0000)" },
    ]);
  }
  return principal;
}

/**
 * One middleware per procedure, not a chain: authentication first (so a
 * caller without a key learns that before anything about its input), then
 * the call, whose failures are mapped to transport codes on the way out.
 */
function scoped(scope: Scope) {
  return t.procedure.use(async ({ ctx, next, getRawInput }) => {
    let principal: Principal;
    try {
      principal = await guard(ctx, scope, await getRawInput());
    } catch (error) {
      // Looking the key up can fail too (a database that is away answers 503, not 500).
      throw toMappedError(error);
    }
    const result = await next({ ctx: { principal } });
    if (!result.ok) throw toTRPCError(result.error);
    // A subscription's failures happen while its stream is read, after this middleware returned.
    if (isAsyncIterable(result.data)) return { ...result, data: withMappedErrors(result.data) };
    return result;
  });
}

/**
 * Where the input holds a string with a NUL character, or null. No field
 * may: PostgreSQL text cannot store one, and no name or id needs one.
 */
function nulPath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulPath(item, [...path, index]);
      if (found) return found;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes("\u0000") ? [...path, key] : nulPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** The same stream, its errors mapped to transport codes like every procedure's (a missing project is 404, not 500). */
async function* withMappedErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* stream;
  } catch (error) {
    throw toMappedError(error);
  }
}

/**
 * For the few plain routes that are not procedures (file downloads): the
 * same authentication, scope check and error mapping as every procedure.
 * Failures arrive as TRPCErrors, for the adapters' one status mapping.
 */
export async function runGuarded<T>(ctx: Context, scope: Scope, work: (principal: Principal) => Promise<T>): Promise<T> {
  try {
    return await work(await authorize(ctx, scope));
  } catch (error) {
    throw toMappedError(error);
  }
}

export const readProcedure = scoped("read");
export const writeProcedure = scoped("write");
export const adminProcedure = scoped("admin");
export const ownerProcedure = scoped("owner");
