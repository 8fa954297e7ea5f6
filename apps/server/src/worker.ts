// First: sets the heap policy before anything else allocates.
import "./heap-policy";
import { ConfigError, loadConfig } from "./config";
import { closeOnSignals, openDatabaseFor, servicesFor, startReviewBacklog } from "./lifecycle";
import { ThreadPoolOffload } from "./offload/thread-pool";
import { createLogger } from "./logger";

/**
 * A worker-only process: it runs generation jobs and serves no HTTP. Any
 * number of them share one PostgreSQL with the API nodes; each claims jobs
 * under a lease, and a job whose worker dies moves on to another worker
 * when its lease runs out.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, null);
  if (!config.databaseUrl) {
    throw new ConfigError("A worker needs DATABASE_URL: workers share a PostgreSQL database with the API nodes (the embedded database belongs to one server process).");
  }
  if (config.workers === 0) throw new ConfigError("SCRIPTORIUM_WORKERS=0 leaves a worker process nothing to do; set it to the number of jobs to run at once.");
  const log = createLogger(config.logLevel);
  const database = await openDatabaseFor(config, log);
  const offload = new ThreadPoolOffload(config.threads);
  const services = servicesFor(config, log, database, offload);
  await services.cluster.start();
  await services.engine.start();
  startReviewBacklog(services, log);
  log.info({ workers: config.workers }, "Scriptorium worker is running");
  process.stdout.write(`  Scriptorium worker is running ${config.workers} job slot(s)\n`);

  // Running jobs are interrupted and their leases handed back at once, for another worker to continue.
  closeOnSignals(log, async () => {
    await services.engine.stop();
    await offload.close();
    await services.cluster.stop();
    await database.close();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`scriptorium worker: ${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
