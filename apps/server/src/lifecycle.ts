import { openDatabase, type DatabaseHandle } from "@scriptorium/db";
import { createServices, type Offload, type Services } from "@scriptorium/domain";
import type { Config } from "./config";
import type { Logger } from "./logger";

/**
 * The database of a server or worker process. A PostgreSQL server that
 * does not answer yet (it starts beside this process, or restarts) is
 * waited for, up to SCRIPTORIUM_DB_WAIT_SECONDS, with a log line per try.
 */
export function openDatabaseFor(config: Config, log: Logger): Promise<DatabaseHandle> {
  return openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    waitSeconds: config.dbWaitSeconds,
    onWaiting: (error, retryInMs) => log.warn({ err: error, retry_in_ms: retryInMs }, "waiting for the database to answer"),
  });
}

/** The domain services of a server or worker process, configured the same way for both. */
export function servicesFor(config: Config, log: Logger, database: DatabaseHandle, offload: Offload): Services {
  return createServices(database.db, {
    dataDir: config.dataDir,
    localRoots: config.localRoots ?? undefined,
    log,
    githubToken: config.githubToken,
    githubBaseUrl: config.githubBaseUrl,
    gitTimeoutMs: config.gitTimeoutMs,
    workers: config.workers,
    jobLeaseSeconds: config.jobLeaseSeconds,
    requestsPerMinute: config.requestsPerMinute,
    exclusiveDatabase: database.kind === "pglite",
    filesInDatabase: database.kind === "postgres",
    // Other processes share only PostgreSQL; the embedded database has this one alone.
    listen: database.kind === "postgres" ? database.listen : undefined,
    llm: config.llm,
    offload,
    securityReview: config.securityReview,
  });
}

/**
 * On SIGTERM or SIGINT: `close`, then exit (1 if closing fails or takes over
 * 10 s). A signal that arrives again while closing changes nothing: Ctrl-C
 * or a service manager signals the whole process group, and `npm start`
 * passes the same signal on, so the server often receives it twice.
 */
export function closeOnSignals(log: Logger, close: () => Promise<void>): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/**
 * Reviews, in the background, the artifacts stored before the security
 * review existed; a failure (the database going away) is logged and the
 * next start picks up where this one stopped.
 */
export function startReviewBacklog(services: Services, log: Logger): void {
  services.reviewBacklog.run().then(
    (reviewed) => {
      if (reviewed > 0) log.info({ reviewed }, "security review of earlier artifacts done");
    },
    (error: unknown) => log.warn({ err: error }, "security review of earlier artifacts stopped"),
  );
}
