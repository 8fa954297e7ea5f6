import { WRITER_STAGE_NUMBERS, writerOfStage, type WriterSettings } from "./projects";
import { STAGE, type StageStatus } from "./stages";

/** What a project's stages are written from: its brief and its writers. */
export interface ProjectSettings {
  title: string;
  author: string;
  genre: string;
  synopsis: string;
  protagonist: string;
  tone: string;
  target_words: number;
  chapters: number;
  /** Null when the outline gives chapters different numbers of scenes. */
  scenes_per_chapter: number | null;
  seed: number;
  language: string;
  writer: WriterSettings;
}

/** A setting that changed, and the first stage written from it: that stage and every later one are out of date. */
export interface SettingChange {
  field: keyof ProjectSettings;
  firstStage: number;
}

/**
 * The first stage written from each setting of the brief. Every later stage
 * is built on the earlier ones, so a change reaches everything after it.
 * The story (genre, synopsis, protagonist, tone) starts at the high concept;
 * the number of chapters at the beat sheet, whose pacing curve has one value
 * a chapter; the length and scenes per chapter at the scene outline, which
 * sets each scene's length. Title and author name the book rather than tell
 * it: only the final manuscript summary (stage 12) carries them, and the
 * exports follow them by themselves.
 */
export const FIRST_STAGE_FED_BY = {
  genre: STAGE.high_concept,
  synopsis: STAGE.high_concept,
  protagonist: STAGE.high_concept,
  tone: STAGE.high_concept,
  chapters: STAGE.beat_sheet,
  target_words: STAGE.scene_outline,
  scenes_per_chapter: STAGE.scene_outline,
  title: STAGE.output_validation,
  author: STAGE.output_validation,
} as const satisfies Partial<Record<keyof ProjectSettings, number>>;

/** The first stage whose writer, in `writer`, matches `test`; null when none does. */
function firstStageWritten(writer: WriterSettings, test: (offline: boolean) => boolean): number | null {
  return WRITER_STAGE_NUMBERS.find((stage) => test(writerOfStage(writer, stage).provider === "offline")) ?? null;
}

/**
 * The settings that differ between `before` and `after` and the first stage
 * each one feeds, earliest first. Two depend on who writes: the seed drives
 * only the offline writer, from the first stage it writes; the language only
 * models, since the offline writer writes English, from the first stage a
 * model writes. The writers themselves, their prices and the budget feed no
 * written stage: what is written stays, and a new writer writes what runs next.
 */
export function settingChanges(before: ProjectSettings, after: ProjectSettings): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const [field, firstStage] of Object.entries(FIRST_STAGE_FED_BY) as [keyof typeof FIRST_STAGE_FED_BY, number][]) {
    if (before[field] !== after[field]) changes.push({ field, firstStage });
  }
  if (before.seed !== after.seed) {
    const firstStage = firstStageWritten(after.writer, (offline) => offline);
    if (firstStage !== null) changes.push({ field: "seed", firstStage });
  }
  if (before.language !== after.language) {
    const firstStage = firstStageWritten(after.writer, (offline) => !offline);
    if (firstStage !== null) changes.push({ field: "language", firstStage });
  }
  return changes.sort((a, b) => a.firstStage - b.firstStage);
}

/** A stage's state, as far as a change of settings cares. */
export interface StageProgress {
  number: number;
  status: StageStatus;
  /** 0–1: a stage left mid-way by a pause or cancel is `pending` with the scenes it finished. */
  progress: number;
}

/**
 * The stages `changes` make stale: from the first stage a changed setting
 * feeds on, every stage that has done any work and is not stale already.
 * Stages that never ran are written from the new settings anyway.
 */
export function stagesMadeStale(changes: readonly SettingChange[], stages: readonly StageProgress[]): number[] {
  if (changes.length === 0) return [];
  return staleFrom(Math.min(...changes.map((change) => change.firstStage)), stages);
}

/**
 * The stages a new version of stage `edited`'s document (an edit or a
 * restore) makes stale: every later stage that has done any work and is not
 * stale already.
 */
export function stagesMadeStaleByEdit(edited: number, stages: readonly StageProgress[]): number[] {
  return staleFrom(edited + 1, stages);
}

function staleFrom(first: number, stages: readonly StageProgress[]): number[] {
  return stages
    .filter((stage) => stage.number >= first && stage.status !== "stale" && (stage.status !== "pending" || stage.progress > 0))
    .map((stage) => stage.number)
    .sort((a, b) => a - b);
}

/** Stage numbers as people read them: "12", "1–12", "3, 5–12". */
export function describeStageNumbers(numbers: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const number of [...numbers].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && number === last[1] + 1) last[1] = number;
    else runs.push([number, number]);
  }
  return runs.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(", ");
}
