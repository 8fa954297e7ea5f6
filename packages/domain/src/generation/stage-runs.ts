import { and, asc, eq, inArray } from "drizzle-orm";
import type { StageStatus } from "@scriptorium/contract";
import { sceneTexts, stageRuns, type Database, type StageRunRow } from "@scriptorium/db";
import { STAGES, type Stage } from "./stages";

/** One stage of a project as reports show it. */
export interface StageReport {
  stage: Stage;
  status: StageStatus;
  /** 0–1, to four decimals. */
  progress: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The time worked on the stage; null before it first started. */
  durationMs: number | null;
  tokens: number;
  costUsd: number;
}

/** One stage with what it produced. */
export interface StageOutputReport extends StageReport {
  output: unknown;
  /** Planning stages: which version of the stage's output this is; null before the first. */
  version: number | null;
  /** When the current output was written by hand (an edit or a restore); null when the writer produced it. */
  editedAt: Date | null;
  /** Scene stages: the text of every scene after this stage. */
  scenes: { chapter: number; scene: number; words: number; text: string }[] | null;
}

/** A project's stage runs by stage number; a stage that never ran has none. */
export async function readStageRuns(db: Database, projectId: string): Promise<Map<number, StageRunRow>> {
  const rows = await db.select().from(stageRuns).where(eq(stageRuns.projectId, projectId));
  return new Map(rows.map((row) => [row.stage, row]));
}

export function roundProgress(progress: number): number {
  return Math.round(progress * 10_000) / 10_000;
}

function stageReport(stage: Stage, row: StageRunRow | undefined): StageReport {
  return {
    stage,
    status: row?.status ?? "pending",
    progress: row ? roundProgress(row.progress) : 0,
    startedAt: row?.startedAt ?? null,
    finishedAt: row?.finishedAt ?? null,
    durationMs: row?.startedAt ? row.durationMs : null,
    tokens: row?.tokens ?? 0,
    costUsd: row?.costUsd ?? 0,
  };
}

/** Some scenes of one chapter. */
export interface ScenesOfChapter {
  chapter: number;
  scenes: number[];
}

/** The scene stages some of whose scenes (among `among`, when given) are stale: a rewrite or an edit changed a text they were built on. */
export async function stagesWithStaleScenes(db: Database, projectId: string, among: ScenesOfChapter | null = null): Promise<Set<number>> {
  const rows = await db
    .selectDistinct({ stage: sceneTexts.stage })
    .from(sceneTexts)
    .where(
      and(
        eq(sceneTexts.projectId, projectId),
        eq(sceneTexts.stale, true),
        among ? and(eq(sceneTexts.chapter, among.chapter), inArray(sceneTexts.scene, among.scenes)) : undefined,
      ),
    );
  return new Set(rows.map((row) => row.stage));
}

/**
 * A project's stage runs, each with whether some of its scenes (among
 * `among`, when given) are stale: the state job-scope.ts decides from what
 * a job runs.
 */
export async function readStageStates(db: Database, projectId: string, among: ScenesOfChapter | null): Promise<Map<number, StageRunRow & { staleScenes: boolean }>> {
  const runs = await readStageRuns(db, projectId);
  const withStaleScenes = await stagesWithStaleScenes(db, projectId, among);
  return new Map([...runs].map(([stage, row]) => [stage, { ...row, staleScenes: withStaleScenes.has(stage) }]));
}

/**
 * Every stage of a project as reports show it. A scene stage that is
 * complete but has stale scenes reads `stale`, or `running` while the
 * project's running job (at `runningStage`) redoes them.
 */
export async function readStageReports(db: Database, projectId: string, runningStage: number | null): Promise<StageReport[]> {
  const runs = await readStageRuns(db, projectId);
  const partlyStale = await stagesWithStaleScenes(db, projectId);
  return STAGES.map((stage) => {
    const report = stageReport(stage, runs.get(stage.number));
    if (report.status === "completed" && partlyStale.has(stage.number)) report.status = stage.number === runningStage ? "running" : "stale";
    return report;
  });
}

/** One stage with its output (and, for scene stages, every scene's text after it). */
export async function readStageOutput(db: Database, projectId: string, stage: Stage, runningStage: number | null): Promise<StageOutputReport> {
  const reports = await readStageReports(db, projectId, runningStage);
  const report = reports[stage.number - 1] ?? stageReport(stage, undefined);
  const [row] = await db.select().from(stageRuns).where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, stage.number)));
  const scenes =
    stage.scope === "scene"
      ? await db
          .select({ chapter: sceneTexts.chapter, scene: sceneTexts.scene, words: sceneTexts.words, text: sceneTexts.text })
          .from(sceneTexts)
          .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage.number)))
          .orderBy(asc(sceneTexts.chapter), asc(sceneTexts.scene))
      : null;
  return { ...report, output: row?.output ?? null, version: row?.version ?? null, editedAt: row?.editedAt ?? null, scenes };
}
