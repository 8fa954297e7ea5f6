import { describe, expect, it } from "vitest";
import { briefFor, planFor } from "../testing/offline-book";
import { checkStageDocument, shapeOf, type Outline } from "./outputs";

describe("planning documents a writer sends", () => {
  it("accepts every planning stage's output as the stage wrote it", async () => {
    const plan = await planFor(briefFor());
    const documents = [plan.highConcept, plan.world, plan.beats, plan.cast, plan.outline];
    documents.forEach((document, index) => expect(checkStageDocument(index + 1, document)).toEqual({ output: document, problems: [] }));
  });

  it("names the fields of a document of another stage, and of one with a wrong type", async () => {
    const plan = await planFor(briefFor());
    const paths = (stage: number, document: unknown) => checkStageDocument(stage, document).problems.map((problem) => problem.path.join("."));
    expect(paths(5, plan.cast)).toEqual(expect.arrayContaining(["chapters", "cast"]));
    expect(paths(1, { ...plan.highConcept, themes: "loss" })).toEqual(["themes"]);
    expect(paths(4, { cast: [{ ...plan.cast.cast[0], name: 3 }, plan.cast.cast[1]] })).toEqual(["cast.0.name"]);
  });

  it("holds an outline to the numbering scenes are addressed by, and to a project's limits", async () => {
    const { outline } = await planFor(briefFor({ chapters: 3, scenes_per_chapter: 2 }));
    const paths = (document: Outline) => checkStageDocument(5, document).problems.map((problem) => problem.path.join("."));
    const skipped = structuredClone(outline);
    const scene = skipped.chapters[1]?.scenes[1];
    if (scene) scene.number = 3;
    expect(paths(skipped)).toEqual(["chapters.1.scenes.1.number"]);
    const crowded = structuredClone(outline);
    const first = crowded.chapters[0];
    if (first) first.scenes = Array.from({ length: 13 }, (_, index) => ({ ...(first.scenes[0] as Outline["chapters"][number]["scenes"][number]), number: index + 1 }));
    expect(paths(crowded)).toEqual(["chapters.0.scenes"]);
    const long = structuredClone(outline);
    const last = long.chapters[2]?.scenes[1];
    if (last) last.target_words = 600_000;
    expect(paths(long)).toEqual(["chapters"]);
  });

  it("reads a book's shape from its outline", async () => {
    const { outline } = await planFor(briefFor({ chapters: 3, scenes_per_chapter: 2 }));
    expect(shapeOf(outline)).toEqual({ chapters: 3, scenesPerChapter: 2 });
    const uneven = { chapters: [...outline.chapters, { number: 4, title: "Coda", scenes: outline.chapters[0]?.scenes.slice(0, 1) ?? [] }] };
    expect(shapeOf(uneven)).toEqual({ chapters: 4, scenesPerChapter: null });
  });
});
