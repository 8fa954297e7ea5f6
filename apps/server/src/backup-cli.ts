import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { DataDirLockedError, openDatabase, TargetNotEmptyError } from "@scriptorium/db";
import { RestoreRefusedError, restoreBackup, SERVER_FILE, writeBackupFile } from "./backup/archive";
import { ConfigError, loadConfig, type Config } from "./config";
import { openDatabaseFor } from "./lifecycle";
import { createLogger } from "./logger";

/** The key the command asks a running server with: SCRIPTORIUM_API_KEY, else the bootstrap key, else the generated owner key file. */
function ownerKey(config: Config): string {
  const keyFile = join(config.dataDir, "owner.key");
  const key = process.env.SCRIPTORIUM_API_KEY ?? config.bootstrapKey ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "");
  if (!key) throw new ConfigError("Set SCRIPTORIUM_API_KEY to an owner key: the running server is asked for the archive.");
  return key;
}

/** An embedded data directory held by a running server: the server writes the archive, streamed here. */
async function backupThroughServer(config: Config, file: string, holder: DataDirLockedError): Promise<void> {
  const serverFile = join(config.dataDir, SERVER_FILE);
  if (!existsSync(serverFile)) {
    throw new ConfigError(`${holder.message.split(".")[0]}, which did not say where it listens (${serverFile}); stop it, or run the backup against a server that wrote that file.`);
  }
  const { url } = JSON.parse(readFileSync(serverFile, "utf8")) as { url: string };
  const key = ownerKey(config);
  process.stdout.write(`Asking the running server (${url}) for the archive…\n`);
  const response = await fetch(`${url}/api/v1/backup`, { headers: { "x-api-key": key } });
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new ConfigError(`The server refused the backup (${response.status}): ${body.message ?? response.statusText}`);
  }
  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

async function backup(config: Config, file: string): Promise<void> {
  if (!config.databaseUrl) {
    let database;
    try {
      database = await openDatabase({ dataDir: config.dataDir });
    } catch (error) {
      if (error instanceof DataDirLockedError) return backupThroughServer(config, file, error);
      throw error;
    }
    try {
      await writeBackupFile(database, config.dataDir, file);
    } finally {
      await database.close();
    }
    return;
  }
  const database = await openDatabaseFor(config, createLogger("warn"));
  try {
    await writeBackupFile(database, config.dataDir, file);
  } finally {
    await database.close();
  }
}

async function restore(config: Config, file: string): Promise<void> {
  if (!existsSync(file)) throw new ConfigError(`No backup at ${file}.`);
  const manifest = await restoreBackup(file, () => openDatabaseFor(config, createLogger("warn")), config.databaseUrl ? "postgres" : "pglite", config.dataDir, (table, rows) =>
    process.stdout.write(`  ${table}: ${rows} rows\n`),
  );
  process.stdout.write(`Restored the backup of ${manifest.created_at} (${manifest.files} files) into ${config.databaseUrl ? "PostgreSQL" : config.dataDir}.\n`);
}

/**
 * `npm run backup -- FILE` and `npm run restore -- FILE`: one consistent
 * archive of an installation (database, artifact contents, exports), and
 * loading it into an empty one of the same kind.
 */
async function main(): Promise<void> {
  const [command, target] = process.argv.slice(2);
  if ((command !== "backup" && command !== "restore") || !target) throw new ConfigError("usage: npm run backup -- FILE | npm run restore -- FILE");
  const config = loadConfig(process.env, null);
  const file = resolve(target);
  if (command === "backup") {
    await backup(config, file);
    process.stdout.write(`Wrote ${file}.\n`);
  } else {
    await restore(config, file);
  }
}

main().catch((error: unknown) => {
  const known = [ConfigError, DataDirLockedError, TargetNotEmptyError, RestoreRefusedError].some((kind) => error instanceof kind);
  const message = error instanceof TargetNotEmptyError ? `${error.message} Nothing was changed.` : error instanceof RestoreRefusedError ? `${error.message} Nothing was changed.` : known ? (error as Error).message : String((error as Error)?.stack ?? error);
  process.stderr.write(`scriptorium ${process.argv[2] ?? ""}: ${message}\n`);
  process.exit(1);
});
