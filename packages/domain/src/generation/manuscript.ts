import { and, asc, eq, gte, inArray, lte, sum } from "drizzle-orm";
import { sceneTexts, stageRuns, type Database } from "@scriptorium/db";
import { InvalidError, NotFoundError } from "../errors";
import type { Outline } from "./outputs";
import { STAGE, STAGES, stageByNumber, type StageKey } from "./stages";

export interface ManuscriptScene {
  number: number;
  words: number;
  text: string;
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

/** The words of a project's latest text; until drafting has finished, the words drafted so far. */
export async function manuscriptWords(db: Database, projectId: string): Promise<number> {
  const stage = (await latestTextStage(db, projectId)) ?? STAGE.scene_drafting;
  const [total] = await db
    .select({ words: sum(sceneTexts.words).mapWith(Number) })
    .from(sceneTexts)
    .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage)));
  return total?.words ?? 0;
}

/** Chapters and scenes of one scene stage's text, titled from the outline. */
export async function readStageText(db: Database, projectId: string, stage: number, outline: Outline, range: ChapterRange = {}): Promise<ManuscriptChapter[]> {
  const rows = await db
    .select({ chapter: sceneTexts.chapter, scene: sceneTexts.scene, text: sceneTexts.text, words: sceneTexts.words })
    .from(sceneTexts)
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
    chapter.scenes.push({ number: row.scene, words: row.words, text: row.text });
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
