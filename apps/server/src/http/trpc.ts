import type { IncomingMessage, ServerResponse } from "node:http";
import { callProcedure, noteRequestIdOfError, type Context } from "@scriptorium/api";
import type { AnyTRPCProcedure, AnyTRPCRouter, TRPCError } from "@trpc/server";
import { createHTTPHandler, type CreateHTTPHandlerOptions } from "@trpc/server/adapters/standalone";
import {
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isObject,
  isPromise,
  TRPCError as TRPCErrorClass,
  transformTRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";
import { requestIdOf } from "./request";

export interface TrpcHttpOptions<TRouter extends AnyTRPCRouter> {
  router: TRouter;
  /** Where the router is mounted, with a trailing slash (`/trpc/`). */
  basePath: string;
  maxBodySize: number;
  createContext: (req: IncomingMessage) => Context;
  /** Called for every failed call, as tRPC's own `onError`. */
  onError: (opts: { error: TRPCError; path: string | undefined }) => void;
  /** Extra response headers for the errors of one response (e.g. Retry-After). */
  errorHeaders: (errors: TRPCError[]) => Record<string, string>;
}

const VARY = "trpc-accept, accept";

/**
 * A stream-like result cannot be answered in a plain JSON response; tRPC
 * refuses it the same way.
 */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  const values = Object.values(value);
  return values.some(isPromise) || values.some(isAsyncIterable);
}

/**
 * Returns the raw `input` query value of a request that only carries that
 * parameter (or nothing): null when there is no input, undefined when the
 * query has anything else (batching, connection parameters, last event id…).
 */
function plainQueryInput(query: string): string | null | undefined {
  if (query === "") return null;
  const params = new URLSearchParams(query);
  let input: string | null = null;
  for (const [key, value] of params) {
    if (key !== "input" || input !== null) return undefined;
    input = value;
  }
  return input;
}

/**
 * tRPC over HTTP. Every request goes to tRPC's own Node adapter except the
 * most common one, a plain (unbatched, non-streaming) GET of a query, which
 * is answered here with tRPC's own primitives — procedure call, error shape
 * through the router's errorFormatter, response transformer, status code
 * mapping — without converting the request to a WHATWG Request and the
 * answer to a Response with a web stream (on Node 20 that conversion costs
 * more than the call itself). The bytes of the body, the status and the
 * headers are the ones the adapter would send; only the framing differs
 * (Content-Length instead of chunked transfer encoding).
 */
export function createTrpcHttpHandler<TRouter extends AnyTRPCRouter>(options: TrpcHttpOptions<TRouter>) {
  const { router, basePath, createContext, onError, errorHeaders } = options;
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, AnyTRPCProcedure | undefined>;
  const fullOptions: CreateHTTPHandlerOptions<TRouter> = {
    router,
    basePath,
    maxBodySize: options.maxBodySize,
    createContext: ({ req }) => createContext(req as IncomingMessage) as never,
    onError: ({ error, path, req, ctx }) => {
      // tRPC formats the failures it meets before creating a context (a POST without Content-Type, say) without one.
      if (ctx === undefined) noteRequestIdOfError(error, requestIdOf(req));
      onError({ error, path });
    },
    // Those failures also leave the body's type unset (text/plain), though it is the same JSON error as any other.
    responseMeta: ({ errors }) => ({ headers: errors.length > 0 ? { "content-type": "application/json", ...errorHeaders(errors) } : {} }),
  };
  const full = createHTTPHandler(fullOptions);

  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== "GET" || req.headers["trpc-accept"] !== undefined || req.headers.accept?.includes("application/jsonl")) {
      return full(req, res);
    }
    const target = req.url ?? "/";
    const queryStart = target.indexOf("?");
    const rawPath = queryStart === -1 ? target.slice(basePath.length) : target.slice(basePath.length, queryStart);
    const rawInput = plainQueryInput(queryStart === -1 ? "" : target.slice(queryStart + 1));
    if (rawInput === undefined || rawPath.includes(",") || !target.startsWith(basePath)) return full(req, res);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return full(req, res);
    }
    const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
    if (!procedure || procedure._def.type !== "query") return full(req, res);
    void answerQuery(req, res, path, procedure, rawInput);
  };

  async function answerQuery(req: IncomingMessage, res: ServerResponse, path: string, procedure: AnyTRPCProcedure, rawInput: string | null): Promise<void> {
    // The input is parsed when a middleware first asks for it, once, as tRPC does.
    let input: unknown;
    let inputRead = false;
    const getRawInput = async (): Promise<unknown> => {
      if (!inputRead) {
        try {
          input = rawInput ? config.transformer.input.deserialize(JSON.parse(rawInput)) : undefined;
        } catch (cause) {
          if (cause instanceof TRPCErrorClass) throw cause;
          throw new TRPCErrorClass({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
        }
        inputRead = true;
      }
      return input;
    };

    let ctx: Context | undefined;
    let failure: { error: TRPCError; path: string | undefined; input: unknown };
    try {
      ctx = createContext(req);
      const data = await callProcedure(procedure, { path, type: "query", ctx, getRawInput });
      if (!isDataStream(data)) {
        // What transformTRPCResponse makes of a result, built directly.
        if (!res.destroyed) send(res, 200, JSON.stringify({ result: { data: config.transformer.output.serialize(data) } }), undefined);
        return;
      }
      // tRPC refuses a stream-like result outside its streaming link, as an error of the whole request.
      const error = new TRPCErrorClass({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
      });
      failure = { error, path: undefined, input: undefined };
    } catch (cause) {
      failure = { error: getTRPCErrorFromUnknown(cause), path, input: inputRead ? input : undefined };
    }
    onError({ error: failure.error, path: failure.path });
    if (res.destroyed) return;
    const body = { error: getErrorShape({ config, ctx, error: failure.error, input: failure.input, path: failure.path, type: "query" }) };
    send(res, getHTTPStatusCode(body), JSON.stringify(transformTRPCResponse(config, body)), errorHeaders([failure.error]));
  }

  function send(res: ServerResponse, status: number, json: string, extraHeaders: Record<string, string> | undefined): void {
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      vary: VARY,
      "content-length": Buffer.byteLength(json),
    };
    if (extraHeaders) Object.assign(headers, extraHeaders);
    res.writeHead(status, headers);
    res.end(json);
  }
}
