import type { IncomingMessage, ServerResponse } from "node:http";
import type { EdgeOptions } from "../request";
import { procedureTypeAt } from "./procedure";
import { createQueryResponder } from "./query";
import { createRestHandler } from "./rest";
import { createSubscriptionStream } from "./subscription";

/**
 * Where Scriptorium answers requests itself rather than through a stock
 * adapter, each because it measurably must (docs/benchmarks.md, "The edge"):
 * tRPC's plain GET queries and SSE subscriptions, and REST. All of them run
 * procedures through one pipeline (`procedure.ts`), tRPC's own, whose
 * bundled copy gets a faster object-spread helper and synchronous
 * validation at build time (`trpc-bundle.ts`).
 */
export function createFastEdge(options: EdgeOptions) {
  const query = createQueryResponder(options);
  const subscription = createSubscriptionStream(options);
  return {
    /**
     * Answers a tRPC request (`path` decoded) that is a plain GET of a query
     * or an SSE subscription; returns null, without touching the request,
     * for anything else (mutations, batches, streaming links), which is
     * tRPC's adapter's.
     */
    trpc(req: IncomingMessage, res: ServerResponse, path: string, params: URLSearchParams): Promise<void> | null {
      if (req.method !== "GET") return null;
      const type = procedureTypeAt(path);
      if (type === "query") return query(req, res, path, params);
      if (type === "subscription" && req.headers.accept?.includes("text/event-stream")) return subscription(req, res, path, params);
      return null;
    },
    rest: createRestHandler(options),
  };
}
