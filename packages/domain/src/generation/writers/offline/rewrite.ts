import type { SceneInput, SceneRewrite } from "../writer";
import { draftScene } from "./draft";
import { randomFor } from "./random";
import { firstNameOf } from "./story";
import { fill } from "./template";
import { hasSpeech, joinParagraphs, splitParagraphs } from "./text";

/**
 * A scene rewritten at a writer's request (stage 6 of a rewrite job). The
 * offline writer cannot read an instruction, so it answers with a variant
 * of the scene that the instruction selects: the same instruction always
 * gives the same text, another instruction another one. A redraft starts
 * from the scene's draft, a revision from its current text; the variant
 * gives the point-of-view character a moment of thought on one of the
 * book's motifs, in a narration paragraph the instruction chooses.
 * Slots: {P} the point-of-view character ("I" in a first-person book told
 * by its protagonist), {motif}.
 */
const REFLECTIONS = [
  "{P} thought again of {motif}, and of everything it had come to mean.",
  "For a long moment {P} could think of nothing but {motif}.",
  "Somewhere beneath it all, {P} kept coming back to {motif}.",
  "Afterwards it was {motif} that {P} remembered, more than anything that was said.",
  "{P} let the thought of {motif} settle, and went on.",
  "Even now {P} could not put {motif} out of mind.",
];

export function rewriteScene(rewrite: SceneRewrite, input: SceneInput): string {
  const { brief, plan, ref } = input;
  const base = rewrite.from === "revise" ? input.text : draftScene(input);
  const random = randomFor(brief.seed, "rewrite", ref.chapter, ref.scene.number, rewrite.instruction);
  const toldByProtagonist = plan.highConcept.narrative_voice.person === "first" && ref.scene.pov === plan.cast.cast[0]?.name;
  const values: Record<string, string> = {
    P: toldByProtagonist ? "I" : firstNameOf(ref.scene.pov),
    motif: random.pick(plan.highConcept.motifs),
  };
  // Typographic apostrophes, as in the rest of the prose (some motifs are written with straight ones).
  const reflection = fill(random.pick(REFLECTIONS), (slot) => values[slot] ?? slot).replace(/'/g, "’");
  const paragraphs = splitParagraphs(base);
  // Narration between the opening and the closing paragraph takes the thought best; a scene without any gets it as a paragraph of its own.
  const narration = paragraphs.map((paragraph, index) => ({ paragraph, index })).filter(({ paragraph, index }) => index > 0 && index < paragraphs.length - 1 && !hasSpeech(paragraph));
  if (narration.length === 0) {
    paragraphs.splice(Math.max(0, paragraphs.length - 1), 0, reflection);
  } else {
    const { paragraph, index } = random.pick(narration);
    paragraphs[index] = `${paragraph} ${reflection}`;
  }
  return joinParagraphs(paragraphs);
}
