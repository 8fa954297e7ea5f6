import { and, desc, eq, gt } from "drizzle-orm";
import type { SceneTextSource } from "@scriptorium/contract";
import { projects, scenePins, sceneTexts, sceneTextVersions, stageOutputVersions, stageRuns, type Database, type ProjectRow } from "@scriptorium/db";
import { InvalidError, NotFoundError } from "../errors";
import type { EventLog } from "./events";
import { latestTextStage, summarizeSceneStage } from "./manuscript";
import { checkStageDocument, type ContinuityIssue, type Outline } from "./outputs";
import { lockIdleProject } from "./project-lock";
import type { ProjectService } from "./project-service";
import { countWords } from "./quality";
import { readStageOutput, type StageOutputReport } from "./stage-runs";
import { isPlanningStage, STAGE, STAGES, stageByNumber, type Stage } from "./stages";
import { storeStageVersion, writeSceneText, type VersionOrigin } from "./versions";

/** One version of a planning stage's output. */
export interface StageVersion {
  stage: Stage;
  version: number;
  /** Written by hand (an edit or a restore). */
  edited: boolean;
  /** The version a restore copied. */
  restoredFrom: number | null;
  /** The job whose writer produced it. */
  jobId: string | null;
  createdAt: Date;
  /** The stage's output now. */
  current: boolean;
}

export interface StageVersionWithOutput extends StageVersion {
  output: unknown;
}

/** One text a scene has had. */
export interface SceneVersion {
  chapter: number;
  scene: number;
  version: number;
  /** The scene stage whose text it was. */
  stage: Stage;
  source: SceneTextSource;
  jobId: string | null;
  createdAt: Date;
  words: number;
  text: string;
  /** The text the scene's pin keeps. */
  pinned: boolean;
}

/** A scene's text in the manuscript after an edit. */
export interface EditedScene {
  chapter: number;
  scene: number;
  /** The scene stage whose text the edit replaced: the manuscript's. */
  stage: Stage;
  version: number;
  words: number;
  text: string;
}

/** Stage numbers, in order, as a phrase: "stage 12", "stages 5–12", "stages 3, 5 and 12". */
function describeStages(numbers: readonly number[]): string {
  const [first] = numbers;
  const last = numbers.at(-1);
  if (numbers.length === 1 || first === undefined || last === undefined) return `stage ${numbers.join("")}`;
  if (last - first === numbers.length - 1) return `stages ${first}–${last}`;
  return `stages ${numbers.slice(0, -1).join(", ")} and ${last}`;
}

function stageOf(number: number): Stage {
  const stage = stageByNumber(number);
  if (!stage) throw new Error(`stage ${number} does not exist`);
  return stage;
}

/** The planning stage `number` names; 422 for any other number. */
function planningStage(number: number): Stage {
  const stage = stageByNumber(number);
  if (!stage) throw new InvalidError(`Stage ${number} does not exist; stages are numbered 1 to ${STAGES.length}.`, [{ path: ["stage_number"], message: `Must be between 1 and ${STAGES.length}.` }]);
  if (!isPlanningStage(number)) {
    throw new InvalidError(`Stage ${number} (${stage.key}) is not a planning stage: only stages 1–${STAGE.scene_outline} are edited as documents and keep versions; scenes are edited in the manuscript.`, [
      { path: ["stage_number"], message: `Must be between 1 and ${STAGE.scene_outline}.` },
    ]);
  }
  return stage;
}

/**
 * Changes to what the pipeline produced, by the writer's hand: a planning
 * stage's document (edited, or an earlier version restored) and a scene's
 * text (edited, which pins it). Every change is refused while a job is
 * active, keeps what it replaces among the versions, and marks stale what
 * was built on it, for the next start to redo.
 */
export class EditService {
  constructor(
    private readonly db: Database,
    private readonly projectService: ProjectService,
    private readonly events: EventLog,
  ) {}

  /** Stores a planning stage's document as its next version, which counts as completed; every later stage that has output becomes stale. */
  async editStage(workspaceId: string, projectId: string, stageNumber: number, document: unknown): Promise<StageOutputReport> {
    const stage = planningStage(stageNumber);
    const project = await this.projectService.get(workspaceId, projectId);
    const { output, problems } = checkStageDocument(stage.number, document);
    if (problems.length > 0) {
      const listed = problems.map((problem) => `${problem.path.join(".") || "(document)"}: ${problem.message}`).join("; ");
      throw new InvalidError(`Not a valid document of stage ${stage.number} (${stage.key}) — ${listed}`, problems);
    }
    await this.replaceStageOutput(project, stage, output, { edited: true, restoredFrom: null, jobId: null }, "edited");
    return readStageOutput(this.db, projectId, stage, null);
  }

  /** A planning stage's versions, newest first. */
  async stageVersions(workspaceId: string, projectId: string, stageNumber: number): Promise<StageVersion[]> {
    const stage = planningStage(stageNumber);
    await this.projectService.get(workspaceId, projectId);
    const current = await this.currentVersion(projectId, stage);
    const rows = await this.db
      .select({ version: stageOutputVersions.version, edited: stageOutputVersions.edited, restoredFrom: stageOutputVersions.restoredFrom, jobId: stageOutputVersions.jobId, createdAt: stageOutputVersions.createdAt })
      .from(stageOutputVersions)
      .where(and(eq(stageOutputVersions.projectId, projectId), eq(stageOutputVersions.stage, stage.number)))
      .orderBy(desc(stageOutputVersions.version));
    return rows.map((row) => ({ stage, ...row, current: row.version === current }));
  }

  async stageVersion(workspaceId: string, projectId: string, stageNumber: number, version: number): Promise<StageVersionWithOutput> {
    const stage = planningStage(stageNumber);
    await this.projectService.get(workspaceId, projectId);
    const row = await this.findVersion(projectId, stage, version);
    return { stage, version: row.version, edited: row.edited, restoredFrom: row.restoredFrom, jobId: row.jobId, createdAt: row.createdAt, current: row.version === (await this.currentVersion(projectId, stage)), output: row.output };
  }

  /** Makes an earlier version current again, as a new version that copies it; the same stages become stale as after an edit. */
  async restoreStageVersion(workspaceId: string, projectId: string, stageNumber: number, version: number): Promise<StageOutputReport> {
    const stage = planningStage(stageNumber);
    const project = await this.projectService.get(workspaceId, projectId);
    const row = await this.findVersion(projectId, stage, version);
    await this.replaceStageOutput(project, stage, row.output, { edited: true, restoredFrom: row.version, jobId: null }, "restored");
    return readStageOutput(this.db, projectId, stage, null);
  }

  /**
   * Replaces the latest text of one scene (the manuscript's) with the
   * writer's own and pins it: later runs of stages 6–11 leave it as it is.
   * What a later scene stage built on the old text becomes stale, and so
   * does stage 12 (and with the text's change, every export).
   */
  async editScene(workspaceId: string, projectId: string, chapter: number, scene: number, text: string): Promise<EditedScene> {
    await this.projectService.get(workspaceId, projectId);
    const written = text.replace(/\r\n?/g, "\n");
    return this.events.transaction(workspaceId, projectId, null, async (tx, emit) => {
      await lockIdleProject(tx, projectId, `edit chapter ${chapter}, scene ${scene}`);
      const stageNumber = await latestTextStage(tx, projectId);
      if (stageNumber === null) throw new NotFoundError("Manuscript of project", projectId);
      const stage = stageOf(stageNumber);
      const [row] = await tx
        .select({ notes: sceneTexts.notes })
        .from(sceneTexts)
        .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.stage, stage.number), eq(sceneTexts.chapter, chapter), eq(sceneTexts.scene, scene)));
      if (!row) throw new NotFoundError(`Scene ${scene} of chapter ${chapter} of project`, projectId);
      const key = { workspaceId, projectId };
      // The audit's findings stay with the scene: they describe the text the audit read.
      const version = await writeSceneText(tx, key, { stage: stage.number, chapter, scene, text: written, notes: row.notes as ContinuityIssue[] | null, source: "edit", jobId: null });
      if (version === null) throw new Error("an edit always adds a version");
      await tx
        .insert(scenePins)
        .values({ workspaceId, projectId, chapter, scene, version })
        .onConflictDoUpdate({ target: [scenePins.projectId, scenePins.chapter, scenePins.scene], set: { version, createdAt: new Date() } });
      await tx
        .update(sceneTexts)
        .set({ stale: true })
        .where(and(eq(sceneTexts.projectId, projectId), eq(sceneTexts.chapter, chapter), eq(sceneTexts.scene, scene), gt(sceneTexts.stage, stage.number)));
      const validation = await tx
        .update(stageRuns)
        .set({ status: "stale" })
        .where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, STAGE.output_validation)))
        .returning({ stage: stageRuns.stage });
      const summary = await summarizeSceneStage(tx, projectId, stage);
      await tx.update(stageRuns).set({ output: summary.output }).where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, stage.number)));
      await tx.update(projects).set({ textUpdatedAt: new Date() }).where(eq(projects.id, projectId));
      const then = validation.length > 0 ? `; ${describeStages([STAGE.output_validation])} is stale` : "";
      emit({ type: "log", data: { level: "info", message: `Chapter ${chapter}, scene ${scene} was written by hand (version ${version}) and is pinned${then}.` } });
      return { chapter, scene, stage, version, words: countWords(written), text: written };
    });
  }

  /** Lets later runs of stages 6–11 rewrite a scene again; the scene keeps its text until one does. */
  async unpinScene(workspaceId: string, projectId: string, chapter: number, scene: number): Promise<void> {
    await this.projectService.get(workspaceId, projectId);
    await this.events.transaction(workspaceId, projectId, null, async (tx, emit) => {
      await lockIdleProject(tx, projectId, `unpin chapter ${chapter}, scene ${scene}`);
      if (!(await this.inOutline(tx, projectId, chapter, scene))) throw new NotFoundError(`Scene ${scene} of chapter ${chapter} of project`, projectId);
      const removed = await tx
        .delete(scenePins)
        .where(and(eq(scenePins.projectId, projectId), eq(scenePins.chapter, chapter), eq(scenePins.scene, scene)))
        .returning({ version: scenePins.version });
      if (removed.length > 0) emit({ type: "log", data: { level: "info", message: `Chapter ${chapter}, scene ${scene} is no longer pinned: later runs of stages 6–11 may rewrite it.` } });
    });
  }

  /** Every text a scene has had, newest first; a scene the outline no longer has keeps its texts here. */
  async sceneVersions(workspaceId: string, projectId: string, chapter: number, scene: number): Promise<SceneVersion[]> {
    await this.projectService.get(workspaceId, projectId);
    const rows = await this.db
      .select()
      .from(sceneTextVersions)
      .where(and(eq(sceneTextVersions.projectId, projectId), eq(sceneTextVersions.chapter, chapter), eq(sceneTextVersions.scene, scene)))
      .orderBy(desc(sceneTextVersions.version));
    if (rows.length === 0 && !(await this.inOutline(this.db, projectId, chapter, scene))) throw new NotFoundError(`Scene ${scene} of chapter ${chapter} of project`, projectId);
    const [pin] = await this.db
      .select({ version: scenePins.version })
      .from(scenePins)
      .where(and(eq(scenePins.projectId, projectId), eq(scenePins.chapter, chapter), eq(scenePins.scene, scene)));
    return rows.map((row) => ({
      chapter,
      scene,
      version: row.version,
      stage: stageOf(row.stage),
      source: row.source,
      jobId: row.jobId,
      createdAt: row.createdAt,
      words: row.words,
      text: row.text,
      pinned: row.version === pin?.version,
    }));
  }

  /**
   * Makes `output` the stage's current output as a new version: the stage
   * counts as completed, and every later stage that has output (run or
   * edited) becomes stale.
   */
  private async replaceStageOutput(project: ProjectRow, stage: Stage, output: unknown, origin: VersionOrigin, done: "edited" | "restored"): Promise<void> {
    await this.events.transaction(project.workspaceId, project.id, null, async (tx, emit) => {
      await lockIdleProject(tx, project.id, `change stage ${stage.number} (${stage.key})`);
      const version = await storeStageVersion(tx, { workspaceId: project.workspaceId, projectId: project.id }, stage.number, output, origin);
      const current = { status: "completed" as const, progress: 1, output, version, editedAt: new Date(), jobId: null };
      await tx
        .insert(stageRuns)
        .values({ workspaceId: project.workspaceId, projectId: project.id, stage: stage.number, ...current })
        .onConflictDoUpdate({ target: [stageRuns.projectId, stageRuns.stage], set: current });
      const stale = await tx
        .update(stageRuns)
        .set({ status: "stale" })
        .where(and(eq(stageRuns.projectId, project.id), gt(stageRuns.stage, stage.number)))
        .returning({ stage: stageRuns.stage });
      const how = done === "restored" ? `restored from version ${origin.restoredFrom} as version ${version}` : `edited by hand (version ${version})`;
      const then = stale.length > 0 ? `; ${describeStages(stale.map((row) => row.stage).sort((a, b) => a - b))} ${stale.length === 1 ? "is" : "are"} stale and run at the next start` : "";
      emit({ type: "log", data: { level: "info", message: `Stage ${stage.number} (${stage.key}) was ${how}${then}.` } });
    });
  }

  private async currentVersion(projectId: string, stage: Stage): Promise<number | null> {
    const [row] = await this.db.select({ version: stageRuns.version }).from(stageRuns).where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, stage.number)));
    return row?.version ?? null;
  }

  private async findVersion(projectId: string, stage: Stage, version: number) {
    const [row] = await this.db
      .select()
      .from(stageOutputVersions)
      .where(and(eq(stageOutputVersions.projectId, projectId), eq(stageOutputVersions.stage, stage.number), eq(stageOutputVersions.version, version)));
    if (!row) throw new NotFoundError(`Version ${version} of stage ${stage.number} of project`, projectId);
    return row;
  }

  private async inOutline(db: Database, projectId: string, chapter: number, scene: number): Promise<boolean> {
    const [row] = await db.select({ output: stageRuns.output }).from(stageRuns).where(and(eq(stageRuns.projectId, projectId), eq(stageRuns.stage, STAGE.scene_outline)));
    const outline = row?.output as Outline | null | undefined;
    return outline?.chapters.some((candidate) => candidate.number === chapter && candidate.scenes.some((plan) => plan.number === scene)) ?? false;
  }
}
