// First: sets the heap policy before anything else allocates.
import "./heap-policy";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataDirLockedError } from "@scriptorium/db";
import { createScriptoriumServer } from "./app";
import { ConfigError, loadConfig } from "./config";
import { closeOnSignals } from "./lifecycle";
import { SERVER_FILE } from "./backup/archive";
import { createLogger } from "./logger";

const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../../web/out", import.meta.url));

// A reader that goes away (a closed pipe) must not take the server down with it.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

async function main(): Promise<void> {
  const config = loadConfig(process.env, DEFAULT_DASHBOARD_DIR);
  const log = createLogger(config.logLevel);
  const app = await createScriptoriumServer(config, log);

  await new Promise<void>((resolve, reject) => {
    app.server.once("error", reject);
    app.server.listen(config.port, config.host, () => resolve());
  });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, database: app.database.kind, data_dir: config.dataDir }, "Scriptorium is listening");

  if (app.generatedOwnerKey) {
    // Printed once, outside the (redacting) logger, so the operator can copy it.
    process.stdout.write(
      `\n  Scriptorium owner key (shown once; also saved to ${config.dataDir}/owner.key):\n\n    ${app.generatedOwnerKey}\n\n`,
    );
  }
  // Tells the backup command where to ask for an archive of the embedded database, which only this process may open.
  const serverFile = join(config.dataDir, SERVER_FILE);
  if (app.database.kind === "pglite") writeFileSync(serverFile, `${JSON.stringify({ url, pid: process.pid })}\n`, { mode: 0o600 });
  process.stdout.write(`  Scriptorium is ready at ${url}\n`);

  closeOnSignals(log, async () => {
    await app.close();
    rmSync(serverFile, { force: true });
  });
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DataDirLockedError;
  process.stderr.write(`scriptorium: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
