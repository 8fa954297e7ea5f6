import { and, eq, inArray } from "drizzle-orm";
import { ACTIVE_JOB_STATUSES } from "@scriptorium/contract";
import { generationJobs, projects, type Database } from "@scriptorium/db";
import { ConflictError, NotFoundError } from "../errors";

/**
 * Locks a project's row until `tx` ends. Starting a job and changing what
 * the pipeline produced both take this lock first, so an edit never
 * interleaves with a job being queued: one of them sees the other.
 */
export async function lockProject(tx: Database, projectId: string): Promise<void> {
  const [row] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
  if (!row) throw new NotFoundError("Project", projectId);
}

/** Locks the project (see lockProject) and refuses with 409 while it has a queued, running or paused job: that job reads what `doing` would change. */
export async function lockIdleProject(tx: Database, projectId: string, doing: string): Promise<void> {
  await lockProject(tx, projectId);
  const [active] = await tx
    .select({ status: generationJobs.status })
    .from(generationJobs)
    .where(and(eq(generationJobs.projectId, projectId), inArray(generationJobs.status, [...ACTIVE_JOB_STATUSES])));
  if (active) throw new ConflictError(`Cannot ${doing} while the project has a ${active.status} job; wait for it to finish, or cancel it.`);
}
