import { readdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Database } from "./client";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { DataDirLockedError } from "./lock";
import { createScratchPostgres, ENGINES, openTestDatabase } from "./testing";

/** Every migration file in the package: each must be applied exactly once. */
const MIGRATION_COUNT = readdirSync(new URL("../drizzle", import.meta.url)).filter((name) => name.endsWith(".sql")).length;

/** Rows of a raw query, whichever driver ran it (both answer `{ rows }`). */
async function rowsOf<T>(db: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

describe.each(ENGINES)("database on %s", (engine) => {
  it("applies the migrations and answers queries", async () => {
    const test = await openTestDatabase(engine);
    try {
      expect(test.handle.kind).toBe(engine);
      // PostgreSQL's autovacuum keeps it up; the embedded database has none of its own.
      expect(test.handle.upkeep === null).toBe(engine === "postgres");
      await test.handle.ping();
      const tables = await rowsOf<{ table_name: string }>(
        test.handle.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      expect(tables.map((row) => row.table_name)).toEqual([
        "api_keys",
        "artifacts",
        "collections",
        "deployment_artifacts",
        "deployments",
        "generation_events",
        "generation_jobs",
        "job_attempts",
        "project_exports",
        "projects",
        "scene_pins",
        "scene_text_versions",
        "scene_texts",
        "snapshots",
        "stage_output_versions",
        "stage_runs",
        "stored_file_chunks",
        "stored_files",
        "workspaces",
      ]);
    } finally {
      await test.dispose();
    }
  });

  it("re-opens an existing database without migrating twice", async () => {
    const test = await openTestDatabase(engine);
    await test.handle.db.execute(sql`insert into workspaces (id, name) values ('w1', 'Kept')`);
    await test.handle.close();
    const again = await openDatabase({ dataDir: test.dataDir, databaseUrl: test.databaseUrl });
    try {
      expect(await rowsOf(again.db, sql`select name from workspaces`)).toEqual([{ name: "Kept" }]);
    } finally {
      await again.close();
      await test.dispose().catch(() => undefined);
    }
  });
});

describe("embedded database", () => {
  it("cannot be opened twice at once", async () => {
    const test = await openTestDatabase("pglite");
    try {
      await expect(openDatabase({ dataDir: test.dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await test.dispose();
    }
  });
});

describe("PostgreSQL", () => {
  it("serialises migrations when several processes start at once", async () => {
    const scratch = await createScratchPostgres();
    try {
      const handles = await Promise.all(
        Array.from({ length: 4 }, () => openDatabase({ dataDir: "unused", databaseUrl: scratch.url })),
      );
      const [first] = handles;
      if (!first) throw new Error("no database handle");
      expect(await rowsOf(first.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).toEqual([{ n: MIGRATION_COUNT }]);
      await Promise.all(handles.map((handle) => handle.close()));
    } finally {
      await scratch.drop();
    }
  });
});
