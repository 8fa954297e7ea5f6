import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import type { TRPCError } from "@trpc/server";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import sirv from "sirv";
import { WebSocketServer } from "ws";
import { JOB_SOCKET_PATH, JobSocketServer } from "./http/job-socket";
import { appRouter, buildOpenApiDocument, DATABASE_RETRY_AFTER_SECONDS, noteRequestIdOfError, type Context } from "@scriptorium/api";
import type { DatabaseHandle } from "@scriptorium/db";
import type { Services } from "@scriptorium/domain";
import type { Config } from "./config";
import { keepUpWhenIdle } from "./database-upkeep";
import { createDocsHandler } from "./http/docs";
import { openDatabaseFor, servicesFor, startReviewBacklog } from "./lifecycle";
import { ThreadPoolOffload } from "./offload/thread-pool";
import { BACKUP_PATH, createBackupHandler } from "./http/backup-download";
import { createExportDownloadHandler, EXPORT_DOWNLOAD_PATH } from "./http/export-download";
import { createFastEdge } from "./http/fast";
import { createArtifactContentHandler } from "./http/artifact-content";
import { credentialsOf, decodeComponent, isAnswered, isCrossSiteWrite, MAX_BODY_BYTES, requestIdOf, requestTarget, sendError, sendJson, type EdgeOptions, type RequestTarget } from "./http/request";
import { createSessionHandler } from "./http/session";
import { createTrpcHandler, TRPC_BASE_PATH } from "./http/trpc";
import { requestLogger, type Logger } from "./logger";

export interface ScriptoriumServer {
  server: Server;
  services: Services;
  database: DatabaseHandle;
  /** The owner key generated at this start (no key existed and none was configured), else null. */
  generatedOwnerKey: string | null;
  close(): Promise<void>;
}

function contextFor(services: Services, req: IncomingMessage, apiKey: string | null): Context {
  return { services, requestId: requestIdOf(req), apiKey };
}

/**
 * The dashboard build's scripts and styles under /_next/static/ carry a hash
 * of their content in their names, so browsers may keep them for good and
 * reuse them without asking again; its pages keep their names across builds
 * and are checked on every visit, so a new version is seen at once.
 */
function setDashboardCaching(res: ServerResponse, pathname: string): void {
  res.setHeader("cache-control", pathname.startsWith("/_next/static/") ? "public, max-age=31536000, immutable" : "no-cache");
}

/** Writes a freshly generated owner key where only this user can read it. */
function storeOwnerKey(dataDir: string, key: string): string {
  const path = join(dataDir, "owner.key");
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/**
 * One process, one URL: dashboard, tRPC (HTTP, SSE and WebSocket), REST,
 * the OpenAPI document and its docs, health checks.
 */
export async function createScriptoriumServer(config: Config, log: Logger): Promise<ScriptoriumServer> {
  const database = await openDatabaseFor(config, log);
  const offload = new ThreadPoolOffload(config.threads);
  const services = servicesFor(config, log, database, offload);
  const bootstrap = await services.access.ensureOwnerKey(config.bootstrapKey);
  let generatedOwnerKey: string | null = null;
  if (bootstrap.created && bootstrap.generated) {
    generatedOwnerKey = bootstrap.created.key;
    const path = storeOwnerKey(config.dataDir, generatedOwnerKey);
    log.info({ path }, "generated the first owner key");
  }

  const openApiJson = JSON.stringify(buildOpenApiDocument(), null, 2);
  const logInternalError = (error: TRPCError, path: string | undefined) =>
    log.error({ err: error.cause ?? error, procedure: path }, "procedure failed");
  const edge: EdgeOptions = {
    contextOf: (req) => contextFor(services, req, credentialsOf(req).apiKey),
    onError: (error, path) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logInternalError(error, path);
    },
  };
  const fast = createFastEdge(edge);
  const trpc = createTrpcHandler(edge);
  const backup = createBackupHandler(edge.contextOf, database, config.dataDir);
  const download = createExportDownloadHandler(edge.contextOf, (workspaceId, projectId, format) => services.exports.file(workspaceId, projectId, format));
  const artifactContent = createArtifactContentHandler(edge.contextOf);
  const docs = createDocsHandler();
  const session = createSessionHandler(services);
  const dashboardDir =
    config.dashboardDir && existsSync(join(config.dashboardDir, "index.html")) && existsSync(join(config.dashboardDir, "404.html")) ? config.dashboardDir : null;
  if (config.dashboardDir && !dashboardDir) {
    log.warn({ dir: config.dashboardDir }, "no dashboard build found; serving the API alone");
  }
  const dashboard = dashboardDir ? sirv(dashboardDir, { dev: false, etag: true, extensions: ["html"], setHeaders: setDashboardCaching }) : null;
  // Read once: the dashboard's own not-found page, answered with a real 404.
  const notFoundPage = dashboardDir ? readFileSync(join(dashboardDir, "404.html")) : null;

  const notFound = (req: IncomingMessage, res: ServerResponse, pathname: string) =>
    sendError(req, res, 404, { code: "NOT_FOUND", message: `Nothing at ${req.method} ${pathname}.` });

  async function route(req: IncomingMessage, res: ServerResponse, { pathname, query }: RequestTarget): Promise<void> {
    if (pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (pathname === "/readyz") {
      try {
        await database.ping();
        return sendJson(res, 200, { status: "ready", database: database.kind });
      } catch (error) {
        log.warn({ err: error }, "readiness check failed");
        return sendJson(res, 503, { status: "unavailable", database: database.kind, message: "The database cannot be reached." }, { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) });
      }
    }
    if (pathname === "/openapi.json") {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(openApiJson);
      return;
    }
    if (pathname === "/docs" || pathname.startsWith("/docs/")) return docs(req, res, pathname);
    if (pathname === "/auth/session") return session(req, res);
    const isTrpc = pathname.startsWith(TRPC_BASE_PATH);
    if (isTrpc || pathname.startsWith("/api/")) {
      if (isCrossSiteWrite(req, credentialsOf(req))) {
        return sendError(req, res, 403, {
          code: "FORBIDDEN",
          message: "Cross-site request refused: requests signed in with the session cookie must come from this server's pages.",
        });
      }
      if (isTrpc) {
        // A path that is not valid percent-encoding is tRPC's adapter's to refuse.
        const procedurePath = decodeComponent(pathname.slice(TRPC_BASE_PATH.length));
        const answered = procedurePath === null ? null : fast.trpc(req, res, procedurePath, query);
        if (answered) return answered;
        trpc(req, res);
        return;
      }
      const exportFile = req.method === "GET" || req.method === "HEAD" ? EXPORT_DOWNLOAD_PATH.exec(pathname) : null;
      if (exportFile) return download(req, res, exportFile[1] ?? "", exportFile[2] ?? "");
      if (pathname === BACKUP_PATH && req.method === "GET") return backup(req, res);
      return artifactContent(req, res, pathname, query) ?? fast.rest(req, res, pathname, query);
    }
    if (dashboard && (req.method === "GET" || req.method === "HEAD")) {
      return dashboard(req, res, () => {
        if (!notFoundPage) return notFound(req, res, pathname);
        res.writeHead(404, { "content-type": "text/html; charset=utf-8", "content-length": notFoundPage.length });
        res.end(req.method === "HEAD" ? undefined : notFoundPage);
      });
    }
    notFound(req, res, pathname);
  }

  const logRequest = requestLogger(log);
  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader("x-request-id", requestId);
    const started = performance.now();
    const target = requestTarget(req);
    res.on("finish", () => {
      logRequest({ request_id: requestId, method: req.method, path: target.pathname, status: res.statusCode, duration_ms: Math.round((performance.now() - started) * 10) / 10 });
    });
    route(req, res, target).catch((error: unknown) => {
      log.error({ err: error, request_id: requestId }, "request failed");
      if (!isAnswered(res)) sendError(req, res, 500, { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" });
      else res.end();
    });
  });

  // tRPC subscriptions over WebSocket. Upgrades are routed by path here so
  // that no other listener can claim (or close) them.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const wsHandler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req, info }) => {
      const fromParams = info.connectionParams?.apiKey;
      return contextFor(services, req, typeof fromParams === "string" && fromParams ? fromParams : credentialsOf(req).apiKey);
    },
    onError: ({ error, path, req, ctx }) => {
      // Broken connection parameters fail before the context exists: the error would carry no request id.
      if (ctx === undefined) noteRequestIdOfError(error, requestIdOf(req));
      // A procedure's 500 is logged as over HTTP; socket-level errors (a frame over the cap, not UTF-8) come without a path and are the client's.
      if (error.code === "INTERNAL_SERVER_ERROR" && path !== undefined) logInternalError(error, path);
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  });
  const jobSockets = new JobSocketServer(services, log);
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname, query } = requestTarget(req);
    if (pathname === "/trpc" || pathname === TRPC_BASE_PATH) {
      wss.handleUpgrade(req, socket, head, (client) => wss.emit("connection", client, req));
      return;
    }
    const projectId = JOB_SOCKET_PATH.exec(pathname)?.[1];
    if (projectId) {
      jobSockets.handleUpgrade(req, socket, head, projectId, query);
      return;
    }
    socket.write("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    socket.destroy();
  });

  const stopUpkeep = database.upkeep ? keepUpWhenIdle(database.upkeep, log) : async () => undefined;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await services.engine.stop();
      wsHandler.broadcastReconnectNotification();
      jobSockets.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Open streams (SSE) would hold close() forever.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      await services.cluster.stop();
      await offload.close();
      await stopUpkeep();
      await database.close();
    })());

  await services.cluster.start();
  await services.engine.start();
  startReviewBacklog(services, log);
  return { server, services, database, generatedOwnerKey, close };
}
