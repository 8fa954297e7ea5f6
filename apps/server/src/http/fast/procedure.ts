import { callTRPCProcedure, type TRPCProcedureType } from "@trpc/server";
import { appRouter, type Context } from "@scriptorium/api";

/** The router's procedures by full path ("auth.whoami": tRPC keeps them flat, though typed as nested routers), seen by type. */
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: TRPCProcedureType } } | undefined>;

/** The type of the procedure at `path`, or null when there is none (own keys only: a path is client input). */
export function procedureTypeAt(path: string): TRPCProcedureType | null {
  return Object.hasOwn(procedures, path) ? (procedures[path]?._def.type ?? null) : null;
}

/** One call of a procedure, as an entry point of the edge builds it. */
export interface ProcedureCall {
  path: string;
  type: TRPCProcedureType;
  ctx: Context;
  /** The input as sent (parsed JSON), read when a middleware first asks for it. */
  getRawInput: () => Promise<unknown>;
  /** Only subscriptions watch for cancellation; queries and mutations run to their end. */
  signal?: AbortSignal;
}

/**
 * The one way the edge runs a procedure: tRPC's own middleware chain (guard,
 * input, resolver, output), exactly as tRPC's adapters run it, so every entry
 * point gives the same answers and errors. What made that chain slow is
 * fixed in the bundle for every caller (`trpc-bundle.ts`).
 */
export function callProcedure(call: ProcedureCall): Promise<unknown> {
  return callTRPCProcedure({ router: appRouter, ...call, signal: call.signal, batchIndex: 0 });
}


/** A subscription's result (and what a plain query must not return). */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}
