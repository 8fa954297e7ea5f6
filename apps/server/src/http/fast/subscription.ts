import type { IncomingMessage, ServerResponse } from "node:http";
import { getErrorShape, getTRPCErrorFromUnknown, isTrackedEnvelope } from "@trpc/server";
import { appRouter, SSE_PING_INTERVAL_MS, SSE_RECONNECT_AFTER_INACTIVITY_MS, type Context } from "@scriptorium/api";
import type { EdgeOptions } from "../request";
import { callProcedure, isAsyncIterable } from "./procedure";

/** The headers tRPC's adapter sends with a stream. */
const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
  connection: "keep-alive",
};
const CONNECTED = `event: connected\ndata: ${JSON.stringify({ reconnectAfterInactivityMs: SSE_RECONNECT_AFTER_INACTIVITY_MS })}\n\n`;
const PING = "event: ping\ndata: \n\n";
const RETURN = "event: return\ndata: \n\n";

/**
 * Many subscribers of one project receive the very same event objects:
 * serialize each once, not once per subscriber.
 */
const serialized = new WeakMap<object, string>();

function serialize(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  let text = serialized.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialized.set(value, text);
  }
  return text;
}

/**
 * Serves a tRPC subscription over SSE in tRPC's own wire format (`connected`,
 * then `data:`/`id:` messages, `ping`, `return`, or `serialized-error` when
 * the call is refused or the stream fails), writing each message to the
 * socket in one piece. tRPC's adapter builds a web-stream pipeline per
 * subscriber and pushes every message through it in several chunks; with a
 * thousand subscribers on one job that pipeline, not the work, set the pace.
 *
 * Returns null, without touching the request, when the input is not JSON:
 * tRPC's adapter answers that one.
 */
export function createSubscriptionStream(options: EdgeOptions) {
  const config = appRouter._def._config;

  return (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> | null => {
    let input: unknown;
    try {
      const raw = query.get("input");
      input = raw === null ? undefined : JSON.parse(raw);
    } catch {
      return null;
    }
    // As tRPC does: the reconnect key rides in the input.
    const lastEventId = (req.headers["last-event-id"] as string | undefined) ?? query.get("lastEventId") ?? query.get("Last-Event-Id");
    if (lastEventId) input = typeof input === "object" && input !== null ? { ...input, lastEventId } : (input ?? { lastEventId });
    return stream(req, res, path, input);
  };

  async function stream(req: IncomingMessage, res: ServerResponse, path: string, input: unknown): Promise<void> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    req.once("close", stop);
    res.once("close", stop);
    res.writeHead(200, SSE_HEADERS);
    res.write(CONNECTED);
    const ping = setInterval(() => res.write(PING), SSE_PING_INTERVAL_MS);
    let ctx: Context | undefined;
    try {
      ctx = options.contextOf(req);
      const iterable = await callProcedure({ path, type: "subscription", ctx, getRawInput: async () => input, signal: abort.signal });
      if (!isAsyncIterable(iterable)) throw new Error(`Subscription ${path} did not return an async iterable`);
      const iterator = iterable[Symbol.asyncIterator]();
      abort.signal.addEventListener("abort", () => void iterator.return?.(), { once: true });
      for (;;) {
        const next = await iterator.next();
        if (next.done || abort.signal.aborted) break;
        const value: unknown = next.value;
        res.write(isTrackedEnvelope(value) ? `data: ${serialize(value[1])}\nid: ${value[0]}\n\n` : `data: ${serialize(value)}\n\n`);
      }
      if (!abort.signal.aborted) res.write(RETURN);
    } catch (cause) {
      if (!abort.signal.aborted) {
        const error = getTRPCErrorFromUnknown(cause);
        options.onError(error, path);
        const shape = getErrorShape({ config, error, type: "subscription", path, input, ctx });
        res.write(`event: serialized-error\ndata: ${JSON.stringify(shape)}\n\n`);
      }
    } finally {
      clearInterval(ping);
      res.end();
    }
  }
}
