import { describe, expect, it } from "vitest";
import { BeatSheetSchema, CastSchema, HighConceptSchema, OutlineSchema, WorldSchema } from "../../outputs";
import { countWords } from "../../quality";
import { OfflineWriter } from "./index";
import { briefFor, CALL, planFor, SCENE_STAGES, sceneRefs, writeBook } from "../../../testing/offline-book";

const GENRES = ["fantasy", "science fiction", "mystery", "thriller", "romance", "horror", "literary fiction", "cosy steampunk western"];

function totalWords(texts: readonly string[]): number {
  return texts.reduce((sum, text) => sum + countWords(text), 0);
}

describe("OfflineWriter planning stages", () => {
  it("is the offline provider and needs no configuration", () => {
    expect(new OfflineWriter().provider).toBe("offline");
  });

  it.each(GENRES)("produces stage outputs that satisfy their schemas (%s)", async (genre) => {
    const brief = briefFor({ genre, target_words: 60_000, chapters: 20 });
    const plan = await planFor(brief);
    expect(HighConceptSchema.parse(plan.highConcept)).toEqual(plan.highConcept);
    expect(WorldSchema.parse(plan.world)).toEqual(plan.world);
    expect(BeatSheetSchema.parse(plan.beats)).toEqual(plan.beats);
    expect(CastSchema.parse(plan.cast)).toEqual(plan.cast);
    expect(OutlineSchema.parse(plan.outline)).toEqual(plan.outline);
    expect(plan.beats.pacing_curve).toHaveLength(20);
  });

  it("outlines exactly the requested chapters and scenes, with lengths adding up to the target", async () => {
    const brief = briefFor({ target_words: 60_001, chapters: 20, scenes_per_chapter: 4 });
    const { outline } = await planFor(brief);
    expect(outline.chapters.map((chapter) => chapter.number)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    for (const chapter of outline.chapters) expect(chapter.scenes.map((scene) => scene.number)).toEqual([1, 2, 3, 4]);
    const lengths = outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => scene.target_words));
    expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(60_001);
    // Scenes follow the pacing curve instead of all being the same length.
    expect(new Set(lengths).size).toBeGreaterThan(10);
    expect(new Set(outline.chapters.map((chapter) => chapter.title)).size).toBe(20);
  });

  it("gives every scene a point of view and a place from the cast and the world", async () => {
    const plan = await planFor(briefFor({ genre: "mystery" }));
    const cast = plan.cast.cast.map((member) => member.name);
    const places = plan.world.places.map((place) => place.name);
    for (const { scene } of sceneRefs(plan)) {
      expect(cast).toContain(scene.pov);
      expect(places).toContain(scene.place);
      expect(scene.goal.length).toBeGreaterThan(10);
    }
  });

  it("names the protagonist as the brief asks and falls back to literary fiction for unknown genres", async () => {
    const plan = await planFor(briefFor({ genre: "cosy steampunk western", protagonist: "Ada Quell" }));
    expect(plan.cast.cast[0]).toMatchObject({ name: "Ada Quell", role: "protagonist" });
    expect(plan.highConcept.logline).toContain("Ada Quell");
    expect(plan.highConcept.premise).toContain("literary novel");
  });

  it("builds a cast whose names cannot be mistaken for one another", async () => {
    const plan = await planFor(briefFor({ target_words: 90_000, chapters: 30 }));
    const firstNames = plan.cast.cast.map((member) => member.name.split(" ")[0]);
    expect(new Set(firstNames).size).toBe(firstNames.length);
    expect(plan.cast.cast.length).toBe(7);
  });
});

describe("OfflineWriter books", () => {
  it("writes the same book, byte for byte, from the same brief", async () => {
    const brief = briefFor({ genre: "science fiction" });
    const first = await writeBook(brief);
    const second = await writeBook(brief);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("writes a clearly different book from another seed", async () => {
    const one = await writeBook(briefFor({ seed: 1 }));
    const other = await writeBook(briefFor({ seed: 2 }));
    expect(other.plan.cast.cast[0]?.name).not.toBe(one.plan.cast.cast[0]?.name);
    expect(other.plan.world.places.map((place) => place.name)).not.toEqual(one.plan.world.places.map((place) => place.name));
    const firstSentences = (texts: string[]) => new Set(texts.map((text) => text.split(/[.!?]/)[0]));
    const shared = [...firstSentences(one.texts.motif_infusion)].filter((sentence) => firstSentences(other.texts.motif_infusion).has(sentence));
    expect(shared).toHaveLength(0);
  });

  it.each([
    { target_words: 5_000, chapters: 5 },
    { target_words: 60_000, chapters: 20 },
    { target_words: 90_000, chapters: 30 },
  ])("keeps a $target_words-word book within 10 % of its target through every stage", async ({ target_words, chapters }) => {
    const brief = briefFor({ genre: "thriller", target_words, chapters, seed: target_words });
    const book = await writeBook(brief);
    for (const stage of SCENE_STAGES) {
      expect(Math.abs(totalWords(book.texts[stage]) - target_words) / target_words).toBeLessThan(0.1);
    }
    expect(book.texts.motif_infusion).toHaveLength(chapters * 3);
  });

  it("drafts every scene within 3 % of its planned length", async () => {
    const book = await writeBook(briefFor({ genre: "romance", target_words: 20_000, chapters: 8 }));
    sceneRefs(book.plan).forEach((ref, index) => {
      const words = countWords(book.texts.scene_drafting[index] ?? "");
      expect(Math.abs(words - ref.scene.target_words) / ref.scene.target_words).toBeLessThanOrEqual(0.03);
    });
  });

  it("keeps every revision within 5 % of the text it revised", async () => {
    const book = await writeBook(briefFor({ genre: "horror", target_words: 20_000, chapters: 8 }));
    for (const [before, after] of [
      ["scene_drafting", "self_refine"],
      ["continuity_audit", "dialogue_pass"],
      ["dialogue_pass", "voice_pass"],
      ["voice_pass", "motif_infusion"],
    ] as const) {
      book.texts[after].forEach((text, index) => {
        const original = countWords(book.texts[before][index] ?? "");
        expect(Math.abs(countWords(text) - original) / original).toBeLessThanOrEqual(0.05);
        expect(text).not.toBe(book.texts[before][index]);
      });
    }
  });

  it("writes plain prose: paragraphs, typographic quotes, names from the cast and places from the world", async () => {
    const book = await writeBook(briefFor({ genre: "mystery" }));
    const protagonist = book.plan.cast.cast[0]?.name.split(" ")[0] ?? "";
    const text = book.texts.motif_infusion.join("\n\n");
    expect(text).not.toMatch(/["'#*]|\n{3}|\{|\[/);
    expect(text).toMatch(/“[^”]+” /);
    expect(text).toContain(protagonist);
    expect(book.plan.world.places.some((place) => text.includes(place.name.replace(/^The /, "")))).toBe(true);
    for (const scene of book.texts.motif_infusion) {
      expect(scene).toBe(scene.trim());
      expect(scene.split("\n\n").length).toBeGreaterThan(3);
    }
  });

  it("leaves a few continuity slips in its drafts for the audit to find and fix", async () => {
    const brief = briefFor({ genre: "mystery", target_words: 60_000, chapters: 20, seed: 3 });
    const book = await writeBook(brief);
    const issues = book.audits.flatMap((audit) => audit.issues);
    expect(issues.length).toBeGreaterThan(3);
    expect(new Set(issues.map((issue) => issue.kind))).toEqual(new Set(["name", "timeline", "fact"]));
    // Auditing the audited book again finds nothing more.
    const writer = new OfflineWriter();
    const refs = sceneRefs(book.plan);
    for (const [index, ref] of refs.entries()) {
      const input = { brief, plan: book.plan, ref, text: book.texts.continuity_audit[index] ?? "", previousText: book.texts.continuity_audit[index - 1] ?? null };
      expect((await writer.auditScene(input, CALL)).issues).toEqual([]);
    }
  });
});
