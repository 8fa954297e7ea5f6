// First, as in the real server: the same heap policy before anything else allocates.
import "../../apps/server/src/heap-policy";
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createOpenApiHttpHandler } from "trpc-to-openapi";
import { appRouter, REST_BASE_PATH, retryAfterSeconds } from "@scriptorium/api";
import { createScriptoriumServer } from "../../apps/server/src/app";
import { loadConfig } from "../../apps/server/src/config";
import { credentialsOf, MAX_BODY_BYTES, requestIdOf, requestTarget, sendError, type EdgeOptions } from "../../apps/server/src/http/request";
import { createTrpcHandler, TRPC_BASE_PATH } from "../../apps/server/src/http/trpc";
import { closeOnSignals } from "../../apps/server/src/lifecycle";
import { createLogger, requestLogger } from "../../apps/server/src/logger";

/**
 * The comparison point for Scriptorium's own HTTP edge (`apps/server/src/http/fast`):
 * the same services, database, router and context, served by the stock
 * adapters alone — tRPC's `createHTTPHandler` (every call, SSE
 * subscriptions included) at `/trpc/` and trpc-to-openapi's
 * `createOpenApiHttpHandler` at `/api/`.
 * Run with tsx, so @trpc/server is the package as published. Every request
 * gets the same request id and access log line as in the real server.
 */
const config = loadConfig(process.env, fileURLToPath(new URL("../../apps/web/out", import.meta.url)));
const log = createLogger(config.logLevel);
const app = await createScriptoriumServer(config, log);
const { services, server } = app;

const edge: EdgeOptions = {
  contextOf: (req) => ({ services, requestId: requestIdOf(req), apiKey: credentialsOf(req).apiKey }),
  onError: () => undefined,
};
// The very handler the real server hands every tRPC request its own edge does not answer.
const trpc = createTrpcHandler(edge);
const rest = createOpenApiHttpHandler({
  router: appRouter,
  maxBodySize: MAX_BODY_BYTES,
  // The adapter hands the context a fetch Request made from the message; the response still knows the message itself.
  createContext: ({ res }) => edge.contextOf(res.req),
  responseMeta: ({ errors }) => {
    const retryAfter = errors.map(retryAfterSeconds).find((seconds) => seconds !== undefined);
    return { headers: retryAfter ? { "retry-after": String(retryAfter) } : {} };
  },
});

const logRequest = requestLogger(log);
function handle(req: IncomingMessage, res: ServerResponse): void {
  const requestId = requestIdOf(req);
  res.setHeader("x-request-id", requestId);
  const started = performance.now();
  const { pathname } = requestTarget(req);
  res.on("finish", () => {
    logRequest({ request_id: requestId, method: req.method, path: pathname, status: res.statusCode, duration_ms: Math.round((performance.now() - started) * 10) / 10 });
  });
  if (pathname.startsWith(TRPC_BASE_PATH)) {
    trpc(req, res);
  } else if (pathname.startsWith(`${REST_BASE_PATH}/`)) {
    // Mounted under the prefix, as a framework would mount it: the adapter sees paths relative to it.
    req.url = req.url?.slice(REST_BASE_PATH.length);
    void rest(req, res);
  } else {
    sendError(req, res, 404, { code: "NOT_FOUND", message: `Nothing at ${req.method} ${pathname}.` });
  }
}
server.removeAllListeners("request");
server.on("request", handle);

await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
const address = server.address();
if (typeof address === "object" && address) process.stdout.write(`stock adapters ready at http://${config.host}:${address.port}\n`);
closeOnSignals(log, () => app.close());
