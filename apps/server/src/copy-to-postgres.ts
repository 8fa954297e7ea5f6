import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { copyDatabase, DataDirLockedError, openDatabase, TargetNotEmptyError, type Database } from "@scriptorium/db";
import { DatabaseBlobStore, FileBlobStore } from "@scriptorium/domain";
import { filesUnder } from "./backup/archive";
import { ConfigError, loadConfig } from "./config";

/** Artifact contents and built exports, from the data directory into the database, where every node reads them. */
async function copyFiles(target: Database, dataDir: string): Promise<number> {
  const store = new DatabaseBlobStore(target, new FileBlobStore(join(dataDir, "blobs")));
  let copied = 0;
  for (const dir of ["blobs", "exports"]) {
    for (const path of await filesUnder(join(dataDir, dir))) {
      await store.put(await readFile(join(dataDir, dir, path)));
      copied += 1;
    }
  }
  return copied;
}

/**
 * Moves an embedded installation to PostgreSQL: copies every row of the
 * embedded database in `SCRIPTORIUM_DATA_DIR` into the empty database at
 * `DATABASE_URL`, in one transaction, then its files (artifact contents,
 * exports) into the database too, where every node reads them. The
 * embedded installation is left as it was.
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
      process.stdout.write(`  files: ${await copyFiles(target.db, config.dataDir)} (artifact contents and exports)\n`);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  process.stdout.write("Done. Start Scriptorium with DATABASE_URL set; each node's SCRIPTORIUM_DATA_DIR is then its own cache.\n");
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof TargetNotEmptyError;
  process.stderr.write(`scriptorium copy: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
