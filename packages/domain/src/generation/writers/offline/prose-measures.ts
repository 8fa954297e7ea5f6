import { defaultChapterCount, KNOWN_GENRES } from "@scriptorium/contract";
import { sentencesOf, SHORT_SENTENCE_CHARACTERS } from "../../quality";
import type { ProjectBrief, StoryPlan } from "../writer";
import { storyMemory } from "./memory";

/**
 * How well a book reads as a book rather than as a loop: the measures the
 * offline writer is held to (docs/generation.md), computed from the text by
 * the quality report's own sentence rules, and from the writer's memory of
 * what each scene introduced.
 */
export interface ProseMeasures {
  /** Sentences longer than 20 characters, every occurrence counted. */
  longSentences: number;
  /** Share of those whose text occurs exactly once in the book. */
  uniqueSentenceRatio: number;
  /** The longer sentences that occur more than once, most frequent first (at most ten). */
  mostRepeated: { sentence: string; count: number }[];
  /** How often the most repeated longer sentence occurs (1 when none repeats). */
  maxSentenceRepeats: number;
  scenes: number;
  /** Share of scenes whose opening sentence and closing sentence occur in no other scene. */
  distinctEdgesRatio: number;
  /** Scenes after the first chapter. */
  laterScenes: number;
  /**
   * Share of scenes after the first chapter that name, in their text, a
   * thing the writer's memory records as introduced by an earlier scene.
   */
  rememberingRatio: number;
}

/** What every book of the offline writer must reach. */
export const PROSE_TARGETS = {
  uniqueSentenceRatio: 0.95,
  maxSentenceRepeats: 3,
  distinctEdgesRatio: 0.9,
  rememberingRatio: 0.6,
} as const;

export interface MeasuredScene {
  chapter: number;
  scene: number;
  text: string;
}

export function measureProse(brief: ProjectBrief, plan: StoryPlan, scenes: readonly MeasuredScene[]): ProseMeasures {
  const sentences = scenes.map((scene) => sentencesOf(scene.text));
  const counts = new Map<string, number>();
  /** For every sentence, the scenes it occurs in. */
  const scenesOf = new Map<string, Set<number>>();
  sentences.forEach((list, index) => {
    for (const sentence of list) {
      if (sentence.length > SHORT_SENTENCE_CHARACTERS) counts.set(sentence, (counts.get(sentence) ?? 0) + 1);
      let where = scenesOf.get(sentence);
      if (!where) scenesOf.set(sentence, (where = new Set()));
      where.add(index);
    }
  });
  let longSentences = 0;
  let unique = 0;
  for (const count of counts.values()) {
    longSentences += count;
    if (count === 1) unique += 1;
  }
  const mostRepeated = [...counts]
    .filter(([, count]) => count > 1)
    .map(([sentence, count]) => ({ sentence, count }))
    .sort((a, b) => b.count - a.count || (a.sentence < b.sentence ? -1 : 1))
    .slice(0, 10);

  const ownSentence = (sentence: string | undefined): boolean => sentence !== undefined && scenesOf.get(sentence)?.size === 1;
  const distinctEdges = sentences.filter((list) => ownSentence(list[0]) && ownSentence(list[list.length - 1])).length;

  const memory = new Map(storyMemory(brief, plan).scenes.map((entry) => [`${entry.chapter}:${entry.scene}`, entry]));
  const later = scenes.filter((scene) => scene.chapter > (plan.outline.chapters[0]?.number ?? 1));
  const remembering = later.filter((scene) => {
    const text = scene.text.toLowerCase();
    const recalls = memory.get(`${scene.chapter}:${scene.scene}`)?.recalls ?? [];
    return recalls.some((event) => isEarlier(event, scene) && text.includes(event.mention.toLowerCase()));
  }).length;

  return {
    longSentences,
    uniqueSentenceRatio: longSentences > 0 ? unique / longSentences : 1,
    mostRepeated,
    maxSentenceRepeats: mostRepeated[0]?.count ?? 1,
    scenes: scenes.length,
    distinctEdgesRatio: scenes.length > 0 ? distinctEdges / scenes.length : 1,
    laterScenes: later.length,
    rememberingRatio: later.length > 0 ? remembering / later.length : 1,
  };
}

function isEarlier(event: { chapter: number; scene: number }, scene: MeasuredScene): boolean {
  return event.chapter < scene.chapter || (event.chapter === scene.chapter && event.scene < scene.scene);
}

/** Which targets a book misses, as sentences; empty when it reaches them all. */
export function missedTargets(measures: ProseMeasures): string[] {
  const missed: string[] = [];
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  if (measures.uniqueSentenceRatio < PROSE_TARGETS.uniqueSentenceRatio) missed.push(`${percent(measures.uniqueSentenceRatio)} of longer sentences occur once (target ${percent(PROSE_TARGETS.uniqueSentenceRatio)})`);
  if (measures.maxSentenceRepeats > PROSE_TARGETS.maxSentenceRepeats) missed.push(`a sentence occurs ${measures.maxSentenceRepeats} times (at most ${PROSE_TARGETS.maxSentenceRepeats})`);
  if (measures.distinctEdgesRatio < PROSE_TARGETS.distinctEdgesRatio) missed.push(`${percent(measures.distinctEdgesRatio)} of scenes open and close on their own sentences (target ${percent(PROSE_TARGETS.distinctEdgesRatio)})`);
  if (measures.rememberingRatio < PROSE_TARGETS.rememberingRatio) missed.push(`${percent(measures.rememberingRatio)} of later scenes name an earlier event (target ${percent(PROSE_TARGETS.rememberingRatio)})`);
  return missed;
}

/** A brief for a book of each genre the offline writer knows, with the chapters a project of that length gets by default. */
export function genreBriefs(base: Omit<ProjectBrief, "genre" | "chapters">): ProjectBrief[] {
  return KNOWN_GENRES.map((genre) => ({ ...base, genre, chapters: defaultChapterCount(base.target_words, genre) }));
}
