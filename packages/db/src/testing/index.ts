import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../client";

/**
 * Test support: every suite that touches the database runs against both
 * engines. PostgreSQL tests get a database of their own on the server named
 * by SCRIPTORIUM_TEST_DATABASE_URL (default: the local server's `test`).
 */
export const ENGINES = ["pglite", "postgres"] as const;
export type Engine = (typeof ENGINES)[number];

const TEST_POSTGRES_URL = process.env.SCRIPTORIUM_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  handle: DatabaseHandle;
  dataDir: string;
  databaseUrl: string | undefined;
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `scriptorium_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await adminQuery(`create database ${name}`);
  return {
    url: withDatabase(TEST_POSTGRES_URL, name),
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

let pgliteTemplate: Promise<string> | null = null;

/**
 * Creating an embedded database runs initdb (seconds); copying a migrated
 * one is fast, so each test process makes one template and copies it.
 */
function migratedPgliteTemplate(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "scriptorium-template-"));
    const handle = await openDatabase({ dataDir: dir });
    await handle.close();
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return pgliteTemplate;
}

/** A fresh embedded data directory, already migrated. */
export async function createScratchDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "scriptorium-test-"));
  cpSync(await migratedPgliteTemplate(), dataDir, { recursive: true });
  return dataDir;
}

export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  const dataDir = engine === "pglite" ? await createScratchDataDir() : mkdtempSync(join(tmpdir(), "scriptorium-test-"));
  const scratch = engine === "postgres" ? await createScratchPostgres() : null;
  const handle = await openDatabase({ dataDir, databaseUrl: scratch?.url });
  return {
    handle,
    dataDir,
    databaseUrl: scratch?.url,
    dispose: async () => {
      await handle.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export { startPostgresServer, type PostgresServer } from "./postgres-server";
