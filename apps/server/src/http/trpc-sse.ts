import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnyTRPCRouter } from "@trpc/server";
import { callProcedure, getErrorShape, getTRPCErrorFromUnknown, isTrackedEnvelope, sseHeaders } from "@trpc/server/unstable-core-do-not-import";

export interface SubscriptionStreamOptions<TContext> {
  router: AnyTRPCRouter;
  createContext: (req: IncomingMessage) => TContext;
  /** As `sse.ping` and `sse.client` in the router's initTRPC options. */
  pingIntervalMs: number;
  reconnectAfterInactivityMs: number;
}

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
 * then `data:`/`id:` messages, `ping`, `return`), writing each message to
 * the socket in one piece. tRPC's adapter builds a web-stream pipeline per
 * subscriber and pushes every message through it in several chunks; with a
 * thousand subscribers on one job that pipeline, not the work, set the pace.
 *
 * Only the successful start of a stream is handled here: when the procedure
 * refuses the call (no key, wrong scope, bad input, unknown project), the
 * caller hands the request to tRPC's adapter, which answers exactly as tRPC
 * does. Returns false in that case, and for anything that is not a
 * subscription.
 */
export function createSubscriptionStreamHandler<TContext>(options: SubscriptionStreamOptions<TContext>) {
  const connected = `event: connected\ndata: ${JSON.stringify({ reconnectAfterInactivityMs: options.reconnectAfterInactivityMs })}\n\n`;

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
    const procedure = (options.router._def.procedures as Record<string, { _def: { type: string } } | undefined>)[path];
    if (req.method !== "GET" || procedure?._def.type !== "subscription") return false;

    let input: unknown;
    try {
      const raw = query.get("input");
      input = raw === null ? undefined : JSON.parse(raw);
    } catch {
      return false;
    }
    // As tRPC does: the reconnect key rides in the input.
    const lastEventId = (req.headers["last-event-id"] as string | undefined) ?? query.get("lastEventId") ?? query.get("Last-Event-Id");
    if (lastEventId) input = typeof input === "object" && input !== null ? { ...input, lastEventId } : (input ?? { lastEventId });

    const abort = new AbortController();
    const ctx = options.createContext(req);
    let iterable: AsyncIterable<unknown>;
    try {
      iterable = (await callProcedure({
        router: options.router,
        path,
        getRawInput: async () => input,
        ctx,
        type: "subscription",
        signal: abort.signal,
        batchIndex: 0,
      })) as AsyncIterable<unknown>;
    } catch {
      return false;
    }

    res.writeHead(200, sseHeaders);
    res.write(connected);
    const ping = setInterval(() => res.write("event: ping\ndata: \n\n"), options.pingIntervalMs);
    const stop = () => abort.abort();
    req.once("close", stop);
    res.once("close", stop);
    const iterator = iterable[Symbol.asyncIterator]();
    abort.signal.addEventListener("abort", () => void iterator.return?.(), { once: true });
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done || abort.signal.aborted) break;
        const value: unknown = next.value;
        res.write(isTrackedEnvelope(value) ? `data: ${serialize(value[1])}\nid: ${value[0]}\n\n` : `data: ${serialize(value)}\n\n`);
      }
      if (!abort.signal.aborted) res.write("event: return\ndata: \n\n");
    } catch (error) {
      if (!abort.signal.aborted) {
        const shape = getErrorShape({ config: options.router._def._config, error: getTRPCErrorFromUnknown(error), type: "subscription", path, input, ctx });
        res.write(`event: serialized-error\ndata: ${JSON.stringify(shape)}\n\n`);
      }
    } finally {
      clearInterval(ping);
      res.end();
    }
    return true;
  };
}
