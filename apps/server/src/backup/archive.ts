import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, link, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { create, extract } from "tar";
import { z } from "zod";
import { EXPORT_FILE_TYPES, EXPORT_FORMATS } from "@scriptorium/contract";
import { loadTables, readAllTables, reviveRow, storedFiles, TABLES, type DatabaseHandle, type Row } from "@scriptorium/db";
import { DatabaseBlobStore, FileBlobStore, type BlobStore } from "@scriptorium/domain";

const FORMAT = "scriptorium-backup";
const VERSION = 1;
/** The parts of the data directory an archive holds: artifact contents and built exports (the git cache is rebuilt on demand). */
const FILE_DIRS = ["blobs", "exports"] as const;

const Manifest = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  created_at: z.string(),
  database: z.enum(["pglite", "postgres"]),
  tables: z.record(z.string(), z.number().int().nonnegative()),
  files: z.number().int().nonnegative(),
});
export type Manifest = z.infer<typeof Manifest>;

/** An archive that cannot be restored here, or a target that is not empty: nothing was changed. */
export class RestoreRefusedError extends Error {
  override name = "RestoreRefusedError";
}

/** Where an installation's files live: its data directory, or (PostgreSQL) the database, cached in the data directory. */
function filesOf(database: DatabaseHandle, dataDir: string): { blobs: BlobStore; sha256s: () => Promise<string[]> } {
  const local = new FileBlobStore(join(dataDir, "blobs"));
  if (database.kind === "pglite") {
    return { blobs: local, sha256s: async () => (await filesUnder(local.dir)).map((path) => path.replace(/[/\\]/, "")) };
  }
  return {
    blobs: new DatabaseBlobStore(database.db, local),
    sha256s: async () => (await database.db.select({ sha256: storedFiles.sha256 }).from(storedFiles)).map((row) => row.sha256),
  };
}

/** Links a file into the staging folder (same file system: instant, no space), or copies it. */
async function place(from: string, to: string): Promise<void> {
  await link(from, to).catch(() => copyFile(from, to));
}

/** Every file under `dir`, as paths relative to it; none when it does not exist. */
export async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(dir, relative)));
    else if (entry.isFile() && !entry.name.endsWith(".tmp") && !entry.name.endsWith(".partial")) files.push(relative);
  }
  return files;
}

/**
 * Writes one consistent archive of an installation to `output` (gzip'd
 * tar): its database as one snapshot (every table read in one repeatable-
 * read transaction, while it keeps serving), the artifact contents and the
 * export files that snapshot refers to. Blobs are immutable and exports are
 * written under their hash before their row points at them, so every file
 * the snapshot names exists; an export rebuilt (and its old file removed)
 * between the snapshot and the copy is left out with its row, to be built
 * again after a restore.
 */
export async function writeBackup(database: DatabaseHandle, dataDir: string, output: Writable): Promise<Manifest> {
  const staging = await mkdtemp(join(dataDir, ".backup-"));
  try {
    const rows = new Map(await readAllTables(database.db));
    const { blobs, sha256s } = filesOf(database, dataDir);
    let files = 0;
    await mkdir(join(staging, "blobs"), { recursive: true });
    for (const sha256 of await sha256s()) {
      await mkdir(join(staging, "blobs", sha256.slice(0, 2)), { recursive: true });
      await place(await blobs.localPath(sha256), join(staging, "blobs", sha256.slice(0, 2), sha256.slice(2)));
      files += 1;
    }
    const kept: Row[] = [];
    for (const row of rows.get("project_exports") ?? []) {
      const format = EXPORT_FORMATS.find((candidate) => candidate === row.format);
      if (!format) continue;
      const sha256 = String(row.sha256);
      const name = join(String(row.projectId), `${sha256}.${EXPORT_FILE_TYPES[format].extension}`);
      const from = database.kind === "pglite" ? join(dataDir, "exports", name) : (await blobs.has(sha256)) ? await blobs.localPath(sha256) : null;
      if (!from || !(await stat(from).catch(() => null))) continue;
      await mkdir(join(staging, "exports", String(row.projectId)), { recursive: true });
      await place(from, join(staging, "exports", name));
      kept.push(row);
      files += 1;
    }
    rows.set("project_exports", kept);
    await mkdir(join(staging, "tables"));
    for (const { name } of TABLES) {
      await writeFile(join(staging, "tables", `${name}.jsonl`), (rows.get(name) ?? []).map((row) => `${JSON.stringify(row)}\n`).join(""));
    }
    const manifest: Manifest = {
      format: FORMAT,
      version: VERSION,
      created_at: new Date().toISOString(),
      database: database.kind,
      tables: Object.fromEntries(TABLES.map(({ name }) => [name, rows.get(name)?.length ?? 0])),
      files,
    };
    await writeFile(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(join(staging, "exports"), { recursive: true });
    await pipeline(create({ gzip: true, cwd: staging, portable: true }, ["manifest.json", "tables", ...FILE_DIRS]), output);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Writes the archive to a file, whole or not at all. */
export async function writeBackupFile(database: DatabaseHandle, dataDir: string, file: string): Promise<Manifest> {
  const partial = `${file}.partial`;
  try {
    const manifest = await writeBackup(database, dataDir, createWriteStream(partial));
    await rename(partial, file);
    return manifest;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** The manifest of an unpacked archive, checked; refuses anything that is not a Scriptorium archive of a known version. */
async function readManifest(dir: string): Promise<Manifest> {
  const text = await readFile(join(dir, "manifest.json"), "utf8").catch(() => null);
  const parsed = text === null ? null : Manifest.safeParse(JSON.parse(text));
  if (!parsed?.success) throw new RestoreRefusedError("This file is not a Scriptorium backup (no valid manifest.json).");
  return parsed.data;
}

async function readRows(file: string, table: string): Promise<Row[]> {
  const rows: Row[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) if (line.trim() !== "") rows.push(reviveRow(table, JSON.parse(line) as Row));
  return rows;
}

/**
 * Loads an archive into an installation that holds nothing yet: its
 * database (of the archive's kind: embedded or PostgreSQL) in one
 * transaction, then its files, moved into the data directory only once the
 * rows are in. A target that holds any row or file is refused before
 * anything is written.
 */
export async function restoreBackup(file: string, open: () => Promise<DatabaseHandle>, kind: DatabaseHandle["kind"], dataDir: string, onTable?: (name: string, rows: number) => void): Promise<Manifest> {
  for (const dir of FILE_DIRS) {
    if ((await filesUnder(join(dataDir, dir))).length > 0) {
      throw new RestoreRefusedError(`The data directory ${dataDir} already holds ${dir}: restore into an empty data directory.`);
    }
  }
  await mkdir(dataDir, { recursive: true });
  const staging = await mkdtemp(join(dataDir, ".restore-"));
  try {
    await pipeline(createReadStream(file), extract({ cwd: staging, strict: true })).catch((error: unknown) => {
      throw new RestoreRefusedError(`This file is not a Scriptorium backup (${error instanceof Error ? error.message : String(error)}).`);
    });
    const manifest = await readManifest(staging);
    if (manifest.database !== kind) {
      const into = kind === "postgres" ? "a PostgreSQL database (DATABASE_URL is set)" : "an embedded data directory";
      throw new RestoreRefusedError(
        `This archive is of ${manifest.database === "postgres" ? "a PostgreSQL" : "an embedded"} installation and cannot be restored into ${into}: restore it into the same kind, then move it with copy-to-postgres if needed.`,
      );
    }
    const rows = new Map<string, Row[]>();
    for (const { name } of TABLES) {
      // A table the manifest does not list is newer than the archive: it had no rows then.
      rows.set(name, name in manifest.tables ? await readRows(join(staging, "tables", `${name}.jsonl`), name) : []);
    }
    const database = await open();
    try {
      await loadTables(database.db, rows, onTable);
      if (database.kind === "postgres") {
        // Files go into the database, where every node finds them; the data directory keeps them as this node's cache.
        const { blobs } = filesOf(database, dataDir);
        for (const dir of FILE_DIRS) for (const path of await filesUnder(join(staging, dir))) await blobs.put(await readFile(join(staging, dir, path)));
      }
    } finally {
      await database.close();
    }
    for (const dir of FILE_DIRS) {
      await rm(join(dataDir, dir), { recursive: true, force: true });
      await rename(join(staging, dir), join(dataDir, dir)).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** In an embedded data directory: where its running server listens (`{ "url", "pid" }`), for the backup command. */
export const SERVER_FILE = "server.json";
