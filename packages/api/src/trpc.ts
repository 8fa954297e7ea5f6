import { initTRPC, TRPCError } from "@trpc/server";
import { getParseFn, isObject } from "@trpc/server/unstable-core-do-not-import";
import type { OpenApiMeta } from "trpc-to-openapi";
import { InvalidError, RateLimitedError, scopeIncludes, type Principal, type Scope, type Services } from "@scriptorium/domain";
import { errorBody, toTRPCError } from "./errors";

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
export const createCallerFactory = t.createCallerFactory;

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
    const cause = new RateLimitedError(`Too many requests with this API key; retry in ${budget.retryAfterSeconds} s.`, budget.retryAfterSeconds);
    // Mapped here like a procedure's own failure, so the answer is 429 with Retry-After.
    throw toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause }));
  }
  if (!scopeIncludes(principal.scope, scope)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `This needs a key with "${scope}" scope; yours has "${principal.scope}".`,
    });
  }
  return principal;
}

/** Authentication and scope, then the input's NUL check: what every procedure runs before anything else. */
async function guard(ctx: Context, scope: Scope, rawInput: unknown): Promise<Principal> {
  const principal = await authorize(ctx, scope);
  const nul = nulPath(rawInput);
  if (nul) {
    const cause = new InvalidError(`Invalid input — ${nul.join(".") || "(input)"}: text must not contain NUL characters (\\u0000)`, [
      { path: nul, message: "Text must not contain NUL characters (\\u0000)" },
    ]);
    throw toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause }));
  }
  return principal;
}

/** The scope each procedure builder's guard middleware checks, so a direct call can recognise it. */
const SCOPE_OF_GUARD = new Map<unknown, Scope>();

/**
 * One middleware per procedure, not a chain: authentication first (so a
 * caller without a key learns that before anything about its input), then
 * the call, whose failures are mapped to transport codes on the way out.
 */
function scoped(scope: Scope) {
  const builder = t.procedure.use(async ({ ctx, next, getRawInput }) => {
    const principal = await guard(ctx, scope, await getRawInput());
    const result = await next({ ctx: { principal } });
    if (!result.ok) throw toTRPCError(result.error);
    // A subscription's failures happen while its stream is read, after this middleware returned.
    if (isAsyncIterable(result.data)) return { ...result, data: withMappedErrors(result.data) };
    return result;
  });
  SCOPE_OF_GUARD.set(builder._def.middlewares[0], scope);
  return builder;
}

/**
 * The scope of a procedure that `callProcedure` runs directly: one built
 * from a scope guard, its input and output schemas and a resolver, nothing
 * else. Null for any other procedure.
 */
export function directScopeOf(procedure: { _def: object }): Scope | null {
  const def = procedure._def as ProcedureDef;
  const scope = SCOPE_OF_GUARD.get(def.middlewares[0]);
  const steps = 2 + (def.inputs.length > 0 ? 1 : 0) + (def.output ? 1 : 0);
  return scope !== undefined && def.middlewares.length === steps && def.resolver !== undefined ? scope : null;
}

/** One call of a query or mutation, as an HTTP entry point builds it. */
export interface DirectCall {
  path: string;
  type: "query" | "mutation";
  ctx: Context;
  /** The input as sent (parsed JSON), read when first needed. */
  getRawInput: () => Promise<unknown>;
}

/** tRPC's validating function for a schema, made once per schema (making one binds a new function). */
const parseFns = new WeakMap<object, (value: unknown) => unknown>();
function parseFnOf(schema: unknown): (value: unknown) => unknown {
  let parse = parseFns.get(schema as object);
  if (!parse) {
    parse = getParseFn(schema as Parameters<typeof getParseFn>[0]);
    parseFns.set(schema as object, parse);
  }
  return parse;
}

interface ProcedureDef {
  middlewares: unknown[];
  inputs: unknown[];
  output?: unknown;
  meta?: unknown;
  resolver?: (opts: Record<string, unknown>) => Promise<unknown>;
}

/**
 * Calls a query or mutation over plain HTTP. A procedure built only from
 * its scope guard, input and output schemas and resolver — all of ours — is
 * run here as those steps in tRPC's order (guard, input validation, resolver,
 * output validation) with the same errors; anything else goes through
 * tRPC's own middleware chain. The difference is cost: tRPC's chain copies
 * every step's call options into a new object, which on a small query cost
 * more than the query itself.
 */
export async function callProcedure(procedure: { _def: object }, call: DirectCall): Promise<unknown> {
  const def = procedure._def as ProcedureDef;
  const scope = directScopeOf(procedure);
  if (scope === null || !def.resolver) {
    const viaTrpc = procedure as unknown as (opts: DirectCall & { signal: undefined; batchIndex: number }) => Promise<unknown>;
    return viaTrpc({ ...call, signal: undefined, batchIndex: 0 });
  }
  const rawInput = await call.getRawInput();
  const principal = await guard(call.ctx, scope, rawInput);
  try {
    let input: unknown;
    for (const parser of def.inputs) {
      let parsed: unknown;
      try {
        parsed = await parseFnOf(parser)(rawInput);
      } catch (cause) {
        throw new TRPCError({ code: "BAD_REQUEST", cause: cause as Error });
      }
      // As tRPC merges the results of several input schemas.
      input = isObject(input) && isObject(parsed) ? { ...input, ...parsed } : parsed;
    }
    const data = await def.resolver({ ctx: { ...call.ctx, principal }, input, path: call.path, type: call.type, meta: def.meta, getRawInput: call.getRawInput, signal: undefined, batchIndex: 0 });
    if (!def.output) return data;
    try {
      return await parseFnOf(def.output)(data);
    } catch (cause) {
      throw new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "Output validation failed", cause: cause as Error });
    }
  } catch (cause) {
    throw toTRPCError(cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause }));
  }
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
  } catch (cause) {
    throw toTRPCError(cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause }));
  }
}

/**
 * For the few plain routes that are not procedures (file downloads): the
 * same authentication, scope check and error mapping as every procedure.
 * Failures arrive as TRPCErrors, for the adapters' one status mapping.
 */
export async function runGuarded<T>(ctx: Context, scope: Scope, work: (principal: Principal) => Promise<T>): Promise<T> {
  const principal = await authorize(ctx, scope);
  try {
    return await work(principal);
  } catch (cause) {
    throw toTRPCError(cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause }));
  }
}

export const readProcedure = scoped("read");
export const writeProcedure = scoped("write");
export const adminProcedure = scoped("admin");
export const ownerProcedure = scoped("owner");
