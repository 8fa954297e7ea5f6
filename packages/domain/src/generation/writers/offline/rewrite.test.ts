import { describe, expect, it } from "vitest";
import { briefFor, planFor, sceneRefs } from "../../../testing/offline-book";
import type { SceneInput } from "../writer";
import { draftScene } from "./draft";
import { rewriteScene } from "./rewrite";
import { splitParagraphs } from "./text";

async function sceneInput(overrides: Parameters<typeof briefFor>[0] = {}): Promise<SceneInput> {
  const brief = briefFor({ chapters: 3, scenes_per_chapter: 2, target_words: 3_000, ...overrides });
  const plan = await planFor(brief);
  const ref = sceneRefs(plan)[2];
  if (!ref) throw new Error("the book has a third scene");
  return { brief, plan, ref, text: "", previousText: null };
}

describe("the offline writer's rewrites", () => {
  it("gives the same text for the same instruction and another for another", async () => {
    const input = await sceneInput();
    const rewrite = (instruction: string) => rewriteScene({ instruction, from: "draft", nextText: null }, input);
    expect(rewrite("Make it rain.")).toBe(rewrite("Make it rain."));
    const variants = new Set(["Make it rain.", "Quieter.", "More about the harbour.", "Let her lie.", "Faster."].map(rewrite));
    expect(variants.size).toBeGreaterThan(1);
    expect(rewrite("Make it rain.")).not.toBe(draftScene(input));
  });

  it("redrafts from the scene's draft and revises from its current text, adding one thought to it", async () => {
    const input = await sceneInput();
    const draft = draftScene(input);
    const redrafted = splitParagraphs(rewriteScene({ instruction: "Darker.", from: "draft", nextText: null }, input));
    expect(redrafted.filter((paragraph) => !splitParagraphs(draft).includes(paragraph))).toHaveLength(1);
    const current = "The lamps were lit.\n\nShe waited by the door for a long time.\n\nThen she left.";
    const revised = rewriteScene({ instruction: "Darker.", from: "revise", nextText: null }, { ...input, text: current });
    expect(revised.startsWith("The lamps were lit.\n\nShe waited by the door for a long time. ")).toBe(true);
    expect(revised.endsWith("\n\nThen she left.")).toBe(true);
    expect(input.plan.highConcept.motifs.some((motif) => revised.includes(motif.replace(/'/g, "’")))).toBe(true);
  });
});
