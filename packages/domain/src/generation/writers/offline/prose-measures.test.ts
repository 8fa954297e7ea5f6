import { describe, expect, it } from "vitest";
import { toPresentTense } from "./tense";
import { storyMemory } from "./memory";
import { genreBriefs, measureProse, missedTargets, PROSE_TARGETS } from "./prose-measures";
import { briefFor, planFor, sceneRefs, writeBook } from "../../../testing/offline-book";

describe("measureProse", () => {
  it("counts repeated sentences, scenes that share an opening or closing, and later scenes that remember", async () => {
    const brief = briefFor({ target_words: 3_000, chapters: 3, scenes_per_chapter: 2 });
    const plan = await planFor(brief);
    const memory = storyMemory(brief, plan).scenes;
    const scenes = sceneRefs(plan).map((ref, index) => {
      const recalled = memory[index]?.recalls[0]?.mention ?? "";
      // Scenes 3 and 5 (chapters 2 and 3) name what they recall; scene 4 does not.
      const remembering = index === 2 || index === 4 ? ` They talked about ${recalled} for a while.` : "";
      // Scenes 1 and 2 close on the same sentence.
      const closing = index < 2 ? "Nobody said anything after that, not a word." : `Scene ${index + 1} ended there, as scenes do.`;
      return { chapter: ref.chapter, scene: ref.scene.number, text: `Scene ${index + 1} began on a cold morning.${remembering} The same old sentence came round again.\n\n${closing}` };
    });
    const measures = measureProse(brief, plan, scenes);
    // Six openings, six middles (one sentence six times), two remembering lines, six closings: 20 longer sentences, 8 of them used once.
    expect(measures.longSentences).toBe(20);
    expect(measures.mostRepeated).toEqual([
      { sentence: "The same old sentence came round again.", count: 6 },
      { sentence: "Nobody said anything after that, not a word.", count: 2 },
    ]);
    expect(measures.uniqueSentenceRatio).toBeCloseTo(12 / 20);
    expect(measures.maxSentenceRepeats).toBe(6);
    expect(measures.distinctEdgesRatio).toBeCloseTo(4 / 6);
    expect(measures.laterScenes).toBe(4);
    expect(measures.rememberingRatio).toBeCloseTo(2 / 4);
    expect(missedTargets(measures)).toHaveLength(4);
  });
});

describe("the offline writer's memory", () => {
  it("has every scene introduce something and recall only what earlier scenes introduced, by names that survive a change of tense", async () => {
    const brief = briefFor({ genre: "mystery", target_words: 20_000, chapters: 7, seed: 4 });
    const plan = await planFor(brief);
    const { scenes } = storyMemory(brief, plan);
    expect(scenes).toHaveLength(21);
    const introduced = new Set<string>();
    for (const [index, scene] of scenes.entries()) {
      expect(scene.introduces).toHaveLength(1);
      for (const event of scene.recalls) expect(introduced.has(event.mention)).toBe(true);
      if (index > 0) expect(scene.recalls.length).toBeGreaterThan(0);
      for (const event of scene.introduces) {
        expect(introduced.has(event.mention)).toBe(false);
        expect(toPresentTense(`She thought of ${event.mention}.`)).toBe(`She thinks of ${event.mention}.`);
        introduced.add(event.mention);
      }
    }
    expect(new Set(scenes.flatMap((scene) => scene.introduces.map((event) => event.kind))).size).toBeGreaterThanOrEqual(4);
  });
});

describe("the offline writer reads like a book", () => {
  // The full 90 000-word measures run in `npm run bench -- prose`; these books are shorter and held to the same targets.
  it.each(genreBriefs({ ...briefFor(), target_words: 20_000, seed: 2_026 }).map((brief) => [brief.genre, brief] as const))("%s", async (_, brief) => {
    const book = await writeBook(brief);
    const scenes = sceneRefs(book.plan).map((ref, index) => ({ chapter: ref.chapter, scene: ref.scene.number, text: book.texts.motif_infusion[index] ?? "" }));
    const measures = measureProse(brief, book.plan, scenes);
    expect(missedTargets(measures)).toEqual([]);
    expect(measures.uniqueSentenceRatio).toBeGreaterThanOrEqual(PROSE_TARGETS.uniqueSentenceRatio);
    expect(measures.maxSentenceRepeats).toBeLessThanOrEqual(PROSE_TARGETS.maxSentenceRepeats);
    expect(measures.distinctEdgesRatio).toBeGreaterThanOrEqual(PROSE_TARGETS.distinctEdgesRatio);
    expect(measures.rememberingRatio).toBeGreaterThanOrEqual(PROSE_TARGETS.rememberingRatio);
    expect(measures.laterScenes).toBeGreaterThan(5);
  });
});
