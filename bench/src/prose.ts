import { genreBriefs, measureProse, PROSE_TARGETS, type ProseMeasures } from "@scriptorium/domain";
import { writeBookOffline } from "./generation";
import type { BenchResult } from "./report";

/** The book every genre is measured on: the length the targets are set for. */
const BOOK = { title: "The Long Meridian", author: "", synopsis: "", protagonist: "", tone: "", language: "en", target_words: 90_000, scenes_per_chapter: 3, seed: 20_261_123 };

function percent(value: number): string {
  return `${(value * 100).toFixed(2)} %`;
}

/** The measures of one book, each beside its target. */
function resultsFor(genre: string, ms: number, measures: ProseMeasures): BenchResult[] {
  const [top] = measures.mostRepeated;
  return [
    {
      name: `prose, ${genre}: sentences used once`,
      value: `${percent(measures.uniqueSentenceRatio)} of ${measures.longSentences.toLocaleString("en-US")} longer sentences; most repeated ${measures.maxSentenceRepeats}×`,
      comparison: `${top ? `most repeated (× ${top.count}): ${top.sentence}` : "no sentence repeats"}; book written in ${(ms / 1000).toFixed(2)} s`,
      target: `≥ ${percent(PROSE_TARGETS.uniqueSentenceRatio)}, none more than ${PROSE_TARGETS.maxSentenceRepeats}×`,
      pass: measures.uniqueSentenceRatio >= PROSE_TARGETS.uniqueSentenceRatio && measures.maxSentenceRepeats <= PROSE_TARGETS.maxSentenceRepeats,
    },
    {
      name: `prose, ${genre}: scenes with their own opening and closing`,
      value: percent(measures.distinctEdgesRatio),
      comparison: `${measures.scenes} scenes`,
      target: `≥ ${percent(PROSE_TARGETS.distinctEdgesRatio)}`,
      pass: measures.distinctEdgesRatio >= PROSE_TARGETS.distinctEdgesRatio,
    },
    {
      name: `prose, ${genre}: later scenes naming an earlier event`,
      value: percent(measures.rememberingRatio),
      comparison: `${measures.laterScenes} scenes after chapter 1`,
      target: `≥ ${percent(PROSE_TARGETS.rememberingRatio)}`,
      pass: measures.rememberingRatio >= PROSE_TARGETS.rememberingRatio,
    },
  ];
}

/**
 * The offline writer's prose across a 90 000-word book of every genre it
 * knows, all twelve stages: how many sentences repeat, whether scenes open
 * and close on their own sentences, and whether later scenes remember
 * earlier ones (docs/generation.md).
 */
export async function benchProse(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const brief of genreBriefs(BOOK)) {
    const book = await writeBookOffline(brief);
    const scenes = book.chapters.flatMap((chapter) => chapter.scenes.map((text, index) => ({ chapter: chapter.number, scene: index + 1, text })));
    results.push(...resultsFor(brief.genre, book.ms, measureProse(brief, book.plan, scenes)));
  }
  return results;
}
