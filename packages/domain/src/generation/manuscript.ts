import { and, asc, eq, gte, inArray, lte, sum } from "drizzle-orm";
import { scenePins, sceneTexts, stageRuns, type Database } from "@scriptorium/db";
import { InvalidError, NotFoundError } from "../errors";
import type { ContinuityIssue, Outline } from "./outputs";
import { STAGE, STAGES, stageByNumber, type Stage, type StageKey } from "./stages";

export interface ManuscriptScene {
  number: number;
  words: number;
  text: string;
  /** Written by hand: stages 6–11 leave it as it is. */
  pinned: boolean;
}

export interface ManuscriptChapter {
  number: number;
  title: string;
  words: number;
  scenes: ManuscriptScene[];
}

export interface Manuscript {
  /** The scene stage whose text this is: the latest one that has finished. */
  stage: number;
  stageKey: StageKey;
  /** Words of the whole manuscript, whichever chapters were asked for. */
  words: number;
  chapters: ManuscriptChapter[];
}

/** Chapters `from` to `to`, 1-based and inclusive; either end open when omitted. */
export interface ChapterRange {
  from?: number | undefined;
  to?: number | undefined;
}

const SCENE_STAGE_NUMBERS = STAGES.filter((stage) => stage.scope === "scene").map((stage) => stage.number);

/** The latest finished scene stage of a project (6–11), or null before drafting has finished. */
export async function latestTextStage(db: Database, projectId: string): Promise<number | null> {
  const rows = await db
    .select({ stage: stageRuns.stage })
    .from(stageRuns)
    .where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.status, "completed"), inArray(stageRuns.stage, SCENE_STAGE_NUMBERS)));
  return rows.length === 0 ? null : Math.max(...rows.map((row) => row.stage));
}

/** The words of a project's latest text; until drafting has finished, the words drafted so far (not those of a draft being redone). */
export async function manuscriptWords(db: Database, projectId: string): Promise<number> {
  const textStage = await latestTextStage(db, projectId);
  const [total] = await db
    .select({ words: sum(sceneTexts.words).mapWith(Number) })
    .from(sceneTexts)
    .where(
      and(
        eq(sceneTexts.projectId, projectId),
        eq(sceneTexts.stage, textStage ?? STAGE.scene_drafting),
        textStage === null ? eq(sceneTexts.stale, false) : undefined,
      ),
    );
  return total?.words ?? 0;
}

/** Chapters and scenes of one scene stage's text, titled from the outline. */
export async function readStageText(db: Database, projectId: string, stage: number, outline: Outline, range: ChapterRange = {}): Promise<ManuscriptChapter[]> {
  const rows = await db
    .select({ chapter: sceneTexts.chapter, scene: sceneTexts.scene, text: sceneTexts.text, words: sceneTexts.words, pin: scenePins.version })
    .from(sceneTexts)
    .leftJoin(scenePins, and(eq(scenePins.projectId, sceneTexts.projectId), eq(scenePins.chapter, sceneTexts.chapter), eq(scenePins.scene, sceneTexts.scene)))
    .where(
      and(
        eq(sceneTexts.projectId, projectId),
        eq(sceneTexts.stage, stage),
        range.from === undefined ? undefined : gte(sceneTexts.chapter, range.from),
        range.to === undefined ? undefined : lte(sceneTexts.chapter, range.to),
      ),
    )
    .orderBy(asc(sceneTexts.chapter), asc(sceneTexts.scene));
  const chapters = new Map<number, ManuscriptChapter>();
  for (const row of rows) {
    let chapter = chapters.get(row.chapter);
    if (!chapter) {
      const title = outline.chapters.find((candidate) => candidate.number === row.chapter)?.title ?? `Chapter ${row.chapter}`;
      chapter = { number: row.chapter, title, words: 0, scenes: [] };
      chapters.set(row.chapter, chapter);
    }
    chapter.scenes.push({ number: row.scene, words: row.words, text: row.text, pinned: row.pin !== null });
    chapter.words += row.words;
  }
  return [...chapters.values()];
}

/** The latest text of a project (the chapters in `range`, all by default); 404 until scene drafting has finished. */
export async function readManuscript(db: Database, projectId: string, range: ChapterRange = {}): Promise<Manuscript> {
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new InvalidError(`Invalid input — chapter_from (${range.from}) is after chapter_to (${range.to})`, [{ path: ["chapter_from"], message: "Must not be after chapter_to" }]);
  }
  const stage = await latestTextStage(db, projectId);
  if (stage === null) throw new NotFoundError("Manuscript of project", projectId);
  const [outlineRow] = await db
    .select({ output: stageRuns.output })
    .from(stageRuns)
    .where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, STAGE.scene_outline)));
  const chapters = await readStageText(db, projectId, stage, outlineRow?.output as Outline, range);
  const [total] = await db
    .select({ words: sum(sceneTexts.words).mapWith(Number) })
    .from(sceneTexts)
    .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage)));
  return { stage, stageKey: stageByNumber(stage)?.key ?? "scene_drafting", words: total?.words ?? 0, chapters };
}

/** A scene stage's stored output: its size, and for the audit every issue found and fixed (the text itself stays in scene_texts), with the line the log shows. */
export async function summarizeSceneStage(db: Database, projectId: string, stage: Stage): Promise<{ output: unknown; summary: string | null }> {
  const rows = await db
    .select({ words: sceneTexts.words, notes: sceneTexts.notes })
    .from(sceneTexts)
    .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage.number)));
  const words = rows.reduce((total, row) => total + row.words, 0);
  if (stage.key !== "continuity_audit") return { output: { scenes: rows.length, words }, summary: null };
  const issues = rows.flatMap((row) => (row.notes as ContinuityIssue[] | null) ?? []);
  issues.sort((a, b) => a.chapter - b.chapter || a.scene - b.scene);
  const summary = issues.length === 0 ? "The continuity audit found no inconsistencies." : `The continuity audit found and fixed ${issues.length} inconsistenc${issues.length === 1 ? "y" : "ies"}.`;
  return { output: { scenes: rows.length, words, issues, fixes_applied: issues.length }, summary };
}
