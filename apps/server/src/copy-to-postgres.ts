import { copyDatabase, DataDirLockedError, openDatabase, TargetNotEmptyError } from "@scriptorium/db";
import { ConfigError, loadConfig } from "./config";

/**
 * Moves an embedded installation to PostgreSQL: copies every row of the
 * embedded database in `SCRIPTORIUM_DATA_DIR` into the empty database at
 * `DATABASE_URL`, in one transaction. Files (artifact contents, the git
 * cache, exports) stay in the data directory, which the PostgreSQL-backed
 * processes keep using. The embedded database is left as it was.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, null);
  if (!config.databaseUrl) throw new ConfigError("Set DATABASE_URL to the (empty) PostgreSQL database to copy into.");
  process.stdout.write(`Copying the embedded database in ${config.dataDir} to PostgreSQL…\n`);
  // Opening the embedded database takes its lock: a server still running on it stops the copy with a clear message.
  const source = await openDatabase({ dataDir: config.dataDir });
  try {
    const target = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    try {
      await copyDatabase(source.db, target.db, (table, rows) => process.stdout.write(`  ${table}: ${rows} rows\n`));
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  process.stdout.write(`Done. Start Scriptorium with DATABASE_URL set and SCRIPTORIUM_DATA_DIR=${config.dataDir} (its files are still used).\n`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof TargetNotEmptyError;
  process.stderr.write(`scriptorium copy: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
