import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter, noteRequestIdOfError, retryAfterSeconds } from "@scriptorium/api";
import { MAX_BODY_BYTES, requestIdOf, type EdgeOptions } from "./request";

/** Where tRPC is mounted over HTTP. */
export const TRPC_BASE_PATH = "/trpc/";

/**
 * tRPC over HTTP through tRPC's own Node adapter: every tRPC request the
 * fast edge leaves to it (mutations, batches, streaming links, requests
 * tRPC must judge), with the same context, error logging and headers.
 */
export function createTrpcHandler(options: EdgeOptions) {
  return createHTTPHandler({
    router: appRouter,
    basePath: TRPC_BASE_PATH,
    maxBodySize: MAX_BODY_BYTES,
    createContext: ({ req }) => options.contextOf(req),
    onError: ({ error, path, req, ctx }) => {
      // tRPC formats the failures it meets before creating a context (a POST without Content-Type, say) without one.
      if (ctx === undefined) noteRequestIdOfError(error, requestIdOf(req));
      options.onError(error, path);
    },
    // Those failures also leave the body's type unset (text/plain), though it is the same JSON error as any other.
    responseMeta: ({ errors }) => {
      if (errors.length === 0) return {};
      const retryAfter = errors.map(retryAfterSeconds).find((seconds) => seconds !== undefined);
      return { headers: { "content-type": "application/json", ...(retryAfter ? { "retry-after": String(retryAfter) } : {}) } };
    },
  });
}
