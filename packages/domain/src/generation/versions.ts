import { and, eq, sql } from "drizzle-orm";
import type { SceneTextSource } from "@scriptorium/contract";
import { projects, scenePins, sceneTextVersions, sceneTexts, stageOutputVersions, type Database } from "@scriptorium/db";
import { shapeOf, type ContinuityIssue, type Outline } from "./outputs";
import { countWords } from "./quality";
import { STAGE } from "./stages";

/** Where a project's rows belong. */
interface ProjectKey {
  workspaceId: string;
  projectId: string;
}

/** How a planning stage's version came to be. */
export interface VersionOrigin {
  /** Written by hand (an edit or a restore) rather than by the writer. */
  edited: boolean;
  restoredFrom: number | null;
  /** The job whose writer produced it. */
  jobId: string | null;
}

/**
 * Stores `output` as the next version of a planning stage and returns its
 * number; the caller makes it current in `stage_runs`. A new outline also
 * reshapes the project (see followOutline).
 */
export async function storeStageVersion(tx: Database, key: ProjectKey, stage: number, output: unknown, origin: VersionOrigin): Promise<number> {
  const [row] = await tx
    .insert(stageOutputVersions)
    .values({
      workspaceId: key.workspaceId,
      projectId: key.projectId,
      stage,
      version: sql`(select coalesce(max(${stageOutputVersions.version}), 0) + 1 from ${stageOutputVersions} where ${stageOutputVersions.projectId} = ${key.projectId} and ${stageOutputVersions.stage} = ${stage})`,
      output,
      edited: origin.edited,
      restoredFrom: origin.restoredFrom,
      jobId: origin.jobId,
    })
    .returning({ version: stageOutputVersions.version });
  if (!row) throw new Error("storing a stage version returned no row");
  if (stage === STAGE.scene_outline) await followOutline(tx, key.projectId, output as Outline);
  return row.version;
}

/**
 * The book takes the shape of its outline: the project's `chapters` and
 * `scenes_per_chapter` (null when chapters differ) follow it, and pins on
 * scenes it no longer has are dropped (their texts stay in the versions).
 */
async function followOutline(tx: Database, projectId: string, outline: Outline): Promise<void> {
  const shape = shapeOf(outline);
  await tx.update(projects).set({ chapters: shape.chapters, scenesPerChapter: shape.scenesPerChapter, updatedAt: new Date() }).where(eq(projects.id, projectId));
  const scenes = new Set(outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => sceneKey(chapter.number, scene.number))));
  const pins = await tx.select({ chapter: scenePins.chapter, scene: scenePins.scene }).from(scenePins).where(eq(scenePins.projectId, projectId));
  for (const pin of pins.filter((candidate) => !scenes.has(sceneKey(candidate.chapter, candidate.scene)))) {
    await tx.delete(scenePins).where(and(eq(scenePins.projectId, projectId), eq(scenePins.chapter, pin.chapter), eq(scenePins.scene, pin.scene)));
  }
}

export function sceneKey(chapter: number, scene: number): string {
  return `${chapter}:${scene}`;
}

/** One scene's new text after one scene stage. */
export interface SceneTextWrite {
  stage: number;
  chapter: number;
  scene: number;
  text: string;
  notes: ContinuityIssue[] | null;
  /** What produced it, for its version; null for a pinned scene carried through unchanged, which adds no version. */
  source: SceneTextSource | null;
  jobId: string | null;
}

/** Writes a scene's text after a stage (up to date from now on) and keeps it among the scene's versions; returns that version's number, or null when none was added. */
export async function writeSceneText(tx: Database, key: ProjectKey, write: SceneTextWrite): Promise<number | null> {
  const words = countWords(write.text);
  await tx
    .insert(sceneTexts)
    .values({ workspaceId: key.workspaceId, projectId: key.projectId, stage: write.stage, chapter: write.chapter, scene: write.scene, text: write.text, words, notes: write.notes, stale: false })
    .onConflictDoUpdate({
      target: [sceneTexts.projectId, sceneTexts.stage, sceneTexts.chapter, sceneTexts.scene],
      set: { text: write.text, words, notes: write.notes, stale: false },
    });
  if (write.source === null) return null;
  const [version] = await tx
    .insert(sceneTextVersions)
    .values({
      workspaceId: key.workspaceId,
      projectId: key.projectId,
      chapter: write.chapter,
      scene: write.scene,
      version: sql`(select coalesce(max(${sceneTextVersions.version}), 0) + 1 from ${sceneTextVersions} where ${sceneTextVersions.projectId} = ${key.projectId} and ${sceneTextVersions.chapter} = ${write.chapter} and ${sceneTextVersions.scene} = ${write.scene})`,
      stage: write.stage,
      source: write.source,
      jobId: write.jobId,
      text: write.text,
      words,
    })
    .returning({ version: sceneTextVersions.version });
  return version?.version ?? null;
}

/** A project's pinned scenes, by scene key. */
export async function pinnedScenes(db: Database, projectId: string): Promise<Set<string>> {
  const rows = await db.select({ chapter: scenePins.chapter, scene: scenePins.scene }).from(scenePins).where(eq(scenePins.projectId, projectId));
  return new Set(rows.map((row) => sceneKey(row.chapter, row.scene)));
}

/** The texts of a project's pinned scenes, by scene key: what stages 6–11 carry through unchanged. */
export async function pinnedTexts(db: Database, projectId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ chapter: scenePins.chapter, scene: scenePins.scene, text: sceneTextVersions.text })
    .from(scenePins)
    .innerJoin(
      sceneTextVersions,
      and(
        eq(sceneTextVersions.projectId, scenePins.projectId),
        eq(sceneTextVersions.chapter, scenePins.chapter),
        eq(sceneTextVersions.scene, scenePins.scene),
        eq(sceneTextVersions.version, scenePins.version),
      ),
    )
    .where(eq(scenePins.projectId, projectId));
  return new Map(rows.map((row) => [sceneKey(row.chapter, row.scene), row.text]));
}
