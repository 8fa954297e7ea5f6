import { eq } from "drizzle-orm";
import { stageRuns, type Database, type StageRunRow } from "@scriptorium/db";

/** A project's stage runs by stage number; a stage that never ran has none. */
export async function readStageRuns(db: Database, projectId: string): Promise<Map<number, StageRunRow>> {
  const rows = await db.select().from(stageRuns).where(eq(stageRuns.projectId, projectId));
  return new Map(rows.map((row) => [row.stage, row]));
}
