import { count, getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client";
import {
  apiKeys,
  artifacts,
  collections,
  deploymentArtifacts,
  deployments,
  generationEvents,
  generationJobs,
  jobAttempts,
  projectExports,
  projects,
  scenePins,
  sceneTexts,
  sceneTextVersions,
  snapshots,
  stageOutputVersions,
  stageRuns,
  workspaces,
} from "./schema";

/** Every table, parents before children, so foreign keys hold at every insert. */
export const TABLES: readonly { name: string; table: PgTable }[] = [
  { name: "workspaces", table: workspaces },
  { name: "api_keys", table: apiKeys },
  { name: "collections", table: collections },
  { name: "artifacts", table: artifacts },
  { name: "snapshots", table: snapshots },
  { name: "deployments", table: deployments },
  { name: "deployment_artifacts", table: deploymentArtifacts },
  { name: "projects", table: projects },
  { name: "generation_jobs", table: generationJobs },
  { name: "job_attempts", table: jobAttempts },
  { name: "stage_runs", table: stageRuns },
  { name: "scene_texts", table: sceneTexts },
  { name: "stage_output_versions", table: stageOutputVersions },
  { name: "scene_text_versions", table: sceneTextVersions },
  { name: "scene_pins", table: scenePins },
  { name: "generation_events", table: generationEvents },
  { name: "project_exports", table: projectExports },
];

export type Row = Record<string, unknown>;
/** Every table's rows, by table name. */
export type TableRows = ReadonlyMap<string, readonly Row[]>;

/** Rows per INSERT: large enough to be quick, small enough to stay under PostgreSQL's parameter limit. */
const BATCH_ROWS = 500;

export class TargetNotEmptyError extends Error {
  override name = "TargetNotEmptyError";
}

/**
 * Every row of every table, read in one read-only, repeatable-read
 * transaction: the rows of all tables as they were at one moment, even
 * while the installation keeps serving and writing.
 */
export async function readAllTables(db: Database): Promise<TableRows> {
  return db.transaction(
    async (tx) => {
      const rows = new Map<string, Row[]>();
      for (const { name, table } of TABLES) rows.set(name, (await tx.select().from(table)) as Row[]);
      return rows;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * A row as JSON gave it back: timestamps come as ISO strings, and become
 * dates again for their columns. Everything else (text, numbers, JSON
 * documents) reads back as it was written.
 */
export function reviveRow(tableName: string, row: Row): Row {
  const table = TABLES.find((candidate) => candidate.name === tableName)?.table;
  if (!table) throw new Error(`No table ${tableName}`);
  const columns = getTableColumns(table);
  const revived: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (!(key in columns)) throw new Error(`Table ${tableName} has no column ${key}`);
    revived[key] = columns[key]?.columnType === "PgTimestamp" && typeof value === "string" ? new Date(value) : value;
  }
  return revived;
}

/**
 * Writes every table's rows into `target` (already migrated to the same
 * schema) in one transaction: it holds all of them or, if anything fails,
 * none. The target must be empty, so two installations never mix.
 */
export async function loadTables(target: Database, rows: TableRows, onTable: (name: string, rows: number) => void = () => undefined): Promise<void> {
  await target.transaction(async (tx) => {
    for (const { name, table } of TABLES) {
      const [existing] = await tx.select({ rows: count() }).from(table);
      if ((existing?.rows ?? 0) > 0) throw new TargetNotEmptyError(`The target database already holds data (table ${name} is not empty); use an empty one.`);
    }
    for (const { name, table } of TABLES) {
      const tableRows = rows.get(name) ?? [];
      for (let start = 0; start < tableRows.length; start += BATCH_ROWS) {
        await tx.insert(table).values(tableRows.slice(start, start + BATCH_ROWS) as never[]);
      }
      onTable(name, tableRows.length);
    }
    // The artifacts' insert triggers counted each one again on top of the loaded counts: count afresh.
    await tx.update(collections).set({ artifactCount: sql`(select count(*) from ${artifacts} where ${artifacts.collectionId} = ${collections.id})` });
  });
}

/** Copies every row of `source` into the empty `target` (see loadTables). */
export async function copyDatabase(source: Database, target: Database, onTable?: (name: string, rows: number) => void): Promise<void> {
  await loadTables(target, await readAllTables(source), onTable);
}
