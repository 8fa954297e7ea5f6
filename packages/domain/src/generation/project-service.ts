import { randomInt, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import {
  ACTIVE_JOB_STATUSES,
  DEFAULT_LANGUAGE,
  DEFAULT_SCENES_PER_CHAPTER,
  DEFAULT_TARGET_WORDS,
  defaultChapterCount,
  describeStageNumbers,
  genreOrDefault,
  PROJECT_LIMITS,
  settingChanges,
  stagesMadeStale,
  type CreateProjectInput,
  type ProjectSettings,
  type SettingChange,
  type WriterSettings,
} from "@scriptorium/contract";
import { generationJobs, projects, stageRuns, type Database, type ProjectRow } from "@scriptorium/db";
import { ConflictError, InvalidError, NotFoundError } from "../errors";
import { Keyset, type Page, type PageRequest } from "../paging";
import { averageScenesPerChapter, type Outline } from "./outputs";
import type { EventLog, NewEvent } from "./events";
import { readStageRuns } from "./stage-runs";
import { unpricedWriters } from "./writers/stage-writers";
import type { ProjectBrief } from "./writers/writer";

const PROJECTS_NEWEST_FIRST = new Keyset("projects:created_at:desc", projects.createdAt, projects.id, "desc");

/** A project's settings and state, as stored. */
export type Project = ProjectRow;

/** Checks a writer configuration can run (keys present, base URL known); throws InvalidError otherwise. */
export type WriterConfigCheck = (writer: WriterSettings) => void;

const OFFLINE_WRITER: WriterSettings = { provider: "offline", model: null, base_url: null };

/**
 * What a project's writer is given. A book whose outline gives chapters
 * different numbers of scenes (`scenes_per_chapter` null) is planned with
 * the outline's average.
 */
export function briefOf(project: ProjectRow, outline: Outline | null): ProjectBrief {
  return {
    title: project.title,
    author: project.author,
    genre: project.genre,
    synopsis: project.synopsis,
    protagonist: project.protagonist,
    tone: project.tone,
    target_words: project.targetWords,
    chapters: project.chapters,
    scenes_per_chapter: project.scenesPerChapter ?? (outline ? averageScenesPerChapter(outline) : DEFAULT_SCENES_PER_CHAPTER),
    seed: project.seed,
    language: project.language,
  };
}

/** What the project's stages are written from, to compare before and after a change. */
function settingsOf(project: ProjectRow): ProjectSettings {
  return { ...briefOf(project, null), scenes_per_chapter: project.scenesPerChapter, writer: project.writer };
}

/** "genre", "genre and tone", "genre, tone and seed". */
function describeFields(changes: readonly SettingChange[]): string {
  const fields: string[] = changes.map((change) => change.field);
  const last = fields.pop() ?? "";
  return fields.length === 0 ? last : `${fields.join(", ")} and ${last}`;
}

/**
 * Rejects a size whose scenes would be too short to write: every bound is
 * named in the error. A book shaped by its outline (no `scenes_per_chapter`)
 * takes its scenes' lengths from the outline instead.
 */
function checkShape(targetWords: number, chapters: number, scenesPerChapter: number | null): void {
  if (scenesPerChapter === null) return;
  const scenes = chapters * scenesPerChapter;
  if (targetWords / scenes < PROJECT_LIMITS.minWordsPerScene) {
    const message = `${chapters} chapters of ${scenesPerChapter} scenes leave ${Math.floor(targetWords / scenes)} words per scene; a scene needs at least ${PROJECT_LIMITS.minWordsPerScene}. Raise target_words or lower chapters.`;
    throw new InvalidError(message, [
      { path: ["chapters"], message },
      { path: ["target_words"], message },
    ]);
  }
}

/**
 * Refuses a budget that could not count what a writer spends: every model
 * the project's writers call needs a price, from the price table or the
 * project (`writer.price`, `writer.stages.<n>.price`). A budget never counts
 * a model as free.
 */
function checkBudgetPrices(writer: WriterSettings, budgetUsd: number | null): void {
  if (budgetUsd === null) return;
  const unpriced = unpricedWriters(writer);
  if (unpriced.length === 0) return;
  const fields = unpriced.map((entry) => ({
    path: [...entry.path, "price"],
    message: `The price table does not know "${entry.model}": give its price (input_per_mtok and output_per_mtok, US dollars per million tokens) so the budget can count what it spends.`,
  }));
  const names = unpriced.map((entry) => `"${entry.model}" (${entry.path.join(".")})`).join(" and ");
  const settings = unpriced.map((entry) => `${entry.path.join(".")}.price`).join(" and ");
  throw new InvalidError(`A project with a budget needs the price of every model it uses, and none is known for ${names}. Set ${settings}, or remove the budget.`, fields);
}

export class ProjectService {
  constructor(
    private readonly db: Database,
    private readonly checkWriter: WriterConfigCheck,
    private readonly events: EventLog,
    /** Removes what a project keeps outside the database (its export files). */
    private readonly afterDelete: (projectId: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** The workspace's projects, newest first, a page at a time. */
  async list(workspaceId: string, request: PageRequest = {}): Promise<Page<ProjectRow>> {
    const limit = Keyset.limitOf(request);
    const rows = await this.db
      .select({ project: projects, cursorKey: PROJECTS_NEWEST_FIRST.keyText() })
      .from(projects)
      .where(and(eq(projects.workspaceId, workspaceId), PROJECTS_NEWEST_FIRST.after(request.cursor)))
      .orderBy(...PROJECTS_NEWEST_FIRST.orderBy())
      .limit(limit + 1);
    return PROJECTS_NEWEST_FIRST.page(rows, limit, (row) => row.project.id, (row) => row.project);
  }

  async get(workspaceId: string, id: string): Promise<ProjectRow> {
    const [row] = await this.db
      .select()
      .from(projects)
      .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, id)));
    if (!row) throw new NotFoundError("Project", id);
    return row;
  }

  async create(workspaceId: string, input: CreateProjectInput): Promise<ProjectRow> {
    const genre = genreOrDefault(input.genre);
    const targetWords = input.target_words ?? DEFAULT_TARGET_WORDS;
    const chapters = input.chapters ?? defaultChapterCount(targetWords, genre);
    const scenesPerChapter = input.scenes_per_chapter ?? DEFAULT_SCENES_PER_CHAPTER;
    checkShape(targetWords, chapters, scenesPerChapter);
    const writer = input.writer ?? OFFLINE_WRITER;
    this.checkWriter(writer);
    checkBudgetPrices(writer, input.budget_usd ?? null);
    const [row] = await this.db
      .insert(projects)
      .values({
        id: randomUUID(),
        workspaceId,
        title: input.title,
        author: input.author ?? "",
        genre,
        synopsis: input.synopsis ?? "",
        protagonist: input.protagonist ?? "",
        tone: input.tone ?? "",
        targetWords,
        chapters,
        scenesPerChapter,
        writer,
        language: input.language ?? DEFAULT_LANGUAGE,
        seed: input.seed ?? randomInt(PROJECT_LIMITS.maxSeed),
        budgetUsd: input.budget_usd ?? null,
      })
      .returning();
    if (!row) throw new Error("inserting a project returned no row");
    return row;
  }

  /**
   * Changes a project's settings. Outputs already generated stay, but the
   * stages written from a changed setting, and every later stage that has
   * run, become stale (see `settingChanges`): the next start writes them
   * again. That is refused while a job is active, since it would change
   * what the job builds on; other changes (the writer, the budget) are not.
   */
  async update(workspaceId: string, id: string, patch: Partial<CreateProjectInput>): Promise<ProjectRow> {
    const current = await this.get(workspaceId, id);
    const targetWords = patch.target_words ?? current.targetWords;
    const chapters = patch.chapters ?? current.chapters;
    const scenesPerChapter = patch.scenes_per_chapter ?? current.scenesPerChapter;
    checkShape(targetWords, chapters, scenesPerChapter);
    if (patch.writer) this.checkWriter(patch.writer);
    // A project already over budget without a price keeps its data; only a change of writer or budget must put it right.
    if (patch.writer !== undefined || patch.budget_usd !== undefined) {
      checkBudgetPrices(patch.writer ?? current.writer, patch.budget_usd === undefined ? current.budgetUsd : patch.budget_usd);
    }
    const changed = {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.author !== undefined && { author: patch.author }),
      ...(patch.genre !== undefined && { genre: genreOrDefault(patch.genre) }),
      ...(patch.synopsis !== undefined && { synopsis: patch.synopsis }),
      ...(patch.protagonist !== undefined && { protagonist: patch.protagonist }),
      ...(patch.tone !== undefined && { tone: patch.tone }),
      ...(patch.seed !== undefined && { seed: patch.seed }),
      ...(patch.writer !== undefined && { writer: patch.writer }),
      ...(patch.language !== undefined && { language: patch.language }),
      ...(patch.budget_usd !== undefined && { budgetUsd: patch.budget_usd }),
      targetWords,
      chapters,
      scenesPerChapter,
    };
    const changes = settingChanges(settingsOf(current), settingsOf({ ...current, ...changed }));
    return this.events.transaction(workspaceId, id, null, async (tx, emit) => {
      await this.markStale(tx, id, changes, emit);
      const [row] = await tx
        .update(projects)
        .set({ ...changed, updatedAt: new Date() })
        .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, id)))
        .returning();
      if (!row) throw new NotFoundError("Project", id);
      return row;
    });
  }

  /** Marks stale what `changes` make out of date, and says so in the project's log; refused under an active job. */
  private async markStale(tx: Database, projectId: string, changes: readonly SettingChange[], emit: (event: NewEvent) => void): Promise<void> {
    const runs = await readStageRuns(tx, projectId);
    const stale = stagesMadeStale(changes, [...runs.values()].map((run) => ({ number: run.stage, status: run.status, progress: run.progress })));
    if (stale.length === 0) return;
    const stages = `${stale.length === 1 ? "stage" : "stages"} ${describeStageNumbers(stale)}`;
    const [active] = await tx
      .select({ status: generationJobs.status })
      .from(generationJobs)
      .where(and(eq(generationJobs.projectId, projectId), inArray(generationJobs.status, ACTIVE_JOB_STATUSES)))
      .limit(1);
    if (active) {
      throw new ConflictError(
        `Changing ${describeFields(changes)} would make ${stages} stale under the project's ${active.status} job. Cancel the job (finished stages are kept) or let it finish, then make the change.`,
      );
    }
    await tx.update(stageRuns).set({ status: "stale" }).where(and(eq(stageRuns.projectId, projectId), inArray(stageRuns.stage, stale)));
    emit({ type: "log", data: { level: "info", message: `Changed ${describeFields(changes)}: ${stages} ${stale.length === 1 ? "is" : "are"} stale, and the next start writes ${stale.length === 1 ? "it" : "them"} again.` } });
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const deleted = await this.db
      .delete(projects)
      .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, id)))
      .returning({ id: projects.id });
    if (deleted.length === 0) throw new NotFoundError("Project", id);
    await this.afterDelete(id);
  }
}
