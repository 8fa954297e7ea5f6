import { count, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./client";
import {
  apiKeys,
  artifacts,
  collections,
  generationEvents,
  generationJobs,
  projectExports,
  projects,
  sceneTexts,
  snapshots,
  stageRuns,
  workspaces,
} from "./schema";

/** Every table, parents before children, so foreign keys hold at every insert. */
const TABLES: readonly { name: string; table: PgTable }[] = [
  { name: "workspaces", table: workspaces },
  { name: "api_keys", table: apiKeys },
  { name: "collections", table: collections },
  { name: "artifacts", table: artifacts },
  { name: "snapshots", table: snapshots },
  { name: "projects", table: projects },
  { name: "generation_jobs", table: generationJobs },
  { name: "stage_runs", table: stageRuns },
  { name: "scene_texts", table: sceneTexts },
  { name: "generation_events", table: generationEvents },
  { name: "project_exports", table: projectExports },
];

/** Rows per INSERT: large enough to be quick, small enough to stay under PostgreSQL's parameter limit. */
const BATCH_ROWS = 500;

export class TargetNotEmptyError extends Error {
  override name = "TargetNotEmptyError";
}

/**
 * Copies every row of `source` into `target` (both already migrated to the
 * same schema) in one transaction on the target: it holds all of the data
 * or, if anything fails, none of it. The target must be empty, so a copy
 * never mixes two installations.
 */
export async function copyDatabase(source: Database, target: Database, onTable: (name: string, rows: number) => void = () => undefined): Promise<void> {
  await target.transaction(async (tx) => {
    for (const { name, table } of TABLES) {
      const [existing] = await tx.select({ rows: count() }).from(table);
      if ((existing?.rows ?? 0) > 0) throw new TargetNotEmptyError(`The target database already holds data (table ${name} is not empty); copy into an empty database.`);
    }
    for (const { name, table } of TABLES) {
      const rows = (await source.select().from(table)) as Record<string, unknown>[];
      for (let start = 0; start < rows.length; start += BATCH_ROWS) {
        await tx.insert(table).values(rows.slice(start, start + BATCH_ROWS));
      }
      onTable(name, rows.length);
    }
    // The artifacts' insert triggers counted each one again on top of the copied counts: count afresh.
    await tx.update(collections).set({ artifactCount: sql`(select count(*) from ${artifacts} where ${artifacts.collectionId} = ${collections.id})` });
  });
}
