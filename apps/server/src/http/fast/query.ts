import type { IncomingMessage, ServerResponse } from "node:http";
import { getErrorShape, getTRPCErrorFromUnknown, transformTRPCResponse, TRPCError } from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import { appRouter, retryAfterSeconds, type Context } from "@scriptorium/api";
import { answerAtEndOfTurn, type EdgeOptions } from "../request";
import { callProcedure, isAsyncIterable } from "./procedure";

const VARY = "trpc-accept, accept";
const config = appRouter._def._config;

function isPromiseLike(value: unknown): boolean {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const { then, catch: onError } = value as { then?: unknown; catch?: unknown };
  return typeof then === "function" && typeof onError === "function";
}

/**
 * A stream-like result (an async iterable, or an object holding promises or
 * async iterables) cannot be answered in a plain JSON response; tRPC refuses
 * it the same way.
 */
function isDataStream(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  if (isAsyncIterable(value)) return true;
  return Object.values(value).some((item) => isPromiseLike(item) || isAsyncIterable(item));
}

/**
 * The raw `input` query value of a request that carries only that parameter
 * (or nothing): null when there is no input, undefined when the query has
 * anything else (batching, connection parameters…), which is tRPC's to read.
 */
function plainQueryInput(query: URLSearchParams): string | null | undefined {
  let input: string | null = null;
  for (const [key, value] of query) {
    if (key !== "input" || input !== null) return undefined;
    input = value;
  }
  return input;
}

function send(res: ServerResponse, status: number, json: string, extraHeaders: Record<string, string> | undefined): void {
  const headers: Record<string, string | number> = { "content-type": "application/json", vary: VARY, "content-length": Buffer.byteLength(json) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  answerAtEndOfTurn(res, status, headers, json);
}

/**
 * tRPC's most common request, a plain (unbatched, non-streaming) GET of a
 * query, answered with tRPC's own public parts — its middleware chain, error
 * shape through the router's errorFormatter, response transformer, status
 * mapping — without converting the request to a WHATWG Request and the
 * answer to a Response with a web stream, as tRPC's Node adapter does (on
 * Node 20 that conversion costs more than the call itself). Body, status and
 * headers are the adapter's; only the framing differs (Content-Length
 * instead of chunked transfer encoding).
 *
 * Returns null, without touching the request, for anything else.
 */
export function createQueryResponder(options: EdgeOptions) {
  return (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> | null => {
    if (req.headers["trpc-accept"] !== undefined || req.headers.accept?.includes("application/jsonl")) return null;
    const rawInput = plainQueryInput(query);
    return rawInput === undefined ? null : answer(req, res, path, rawInput);
  };

  async function answer(req: IncomingMessage, res: ServerResponse, path: string, rawInput: string | null): Promise<void> {
    // The input is parsed when a middleware first asks for it, once, as tRPC does.
    let input: unknown;
    let inputRead = false;
    const getRawInput = async (): Promise<unknown> => {
      if (!inputRead) {
        try {
          input = rawInput ? config.transformer.input.deserialize(JSON.parse(rawInput)) : undefined;
        } catch (cause) {
          if (cause instanceof TRPCError) throw cause;
          throw new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
        }
        inputRead = true;
      }
      return input;
    };

    let ctx: Context | undefined;
    let failure: { error: TRPCError; path: string | undefined; input: unknown };
    try {
      ctx = options.contextOf(req);
      const data = await callProcedure({ path, type: "query", ctx, getRawInput });
      if (!isDataStream(data)) {
        // What transformTRPCResponse makes of a result, built directly.
        if (!res.destroyed) send(res, 200, JSON.stringify({ result: { data: config.transformer.output.serialize(data) } }), undefined);
        return;
      }
      // tRPC refuses a stream-like result outside its streaming link, as an error of the whole request.
      const error = new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE", message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink" });
      failure = { error, path: undefined, input: undefined };
    } catch (cause) {
      failure = { error: getTRPCErrorFromUnknown(cause), path, input: inputRead ? input : undefined };
    }
    options.onError(failure.error, failure.path);
    if (res.destroyed) return;
    const body = { error: getErrorShape({ config, ctx, error: failure.error, input: failure.input, path: failure.path, type: "query" }) };
    const retryAfter = retryAfterSeconds(failure.error);
    send(res, getHTTPStatusCode(body), JSON.stringify(transformTRPCResponse(config, body)), retryAfter ? { "retry-after": String(retryAfter) } : undefined);
  }
}
