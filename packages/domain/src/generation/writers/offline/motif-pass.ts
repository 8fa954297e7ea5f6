import { countWords } from "../../quality";
import type { SceneInput } from "../writer";
import { capitalise } from "./english";
import { BookPhrasing, tidy } from "./grammar";
import { sceneMemory } from "./memory";
import { proseGrammar } from "./prose";
import { randomFor } from "./random";
import { isPlural } from "./scene-design";
import { actorsOf, findActor, storyCore } from "./story";
import { toPresentTense } from "./tense";
import { fill } from "./template";
import { hasSpeech, joinParagraphs, joinSentences, splitParagraphs, splitSentences } from "./text";

/**
 * Motif infusion (stage 11): weaves the high concept's motifs and themes
 * through the scene. A few narration paragraphs, spread through the scene,
 * gain a sentence in which the point-of-view character notices a motif or
 * turns over a theme. Which motif comes up rotates from scene to scene, so
 * each returns throughout the book. Sentences come from the prose
 * grammar's motif and theme rules, numbered across the book, and are
 * written in the book's tense; the scene grows by at most 2.5 %.
 */

const MAX_ADDED = 0.025;
/** One woven sentence for about this many words. */
const WORDS_PER_MOTIF = 500;

export function infuseMotifs(input: SceneInput): string {
  const { brief, plan, ref } = input;
  const random = randomFor(brief.seed, "motif_infusion", ref.chapter, ref.scene.number);
  const { motifs, themes, narrative_voice: voice } = plan.highConcept;
  const kit = storyCore(brief).kit;
  const phrasing = new BookPhrasing(proseGrammar(kit), brief.seed, sceneMemory(brief, plan, ref.chapter, ref.scene.number).position);
  const actors = actorsOf(plan.cast, kit, brief.seed);
  const pov = findActor(actors, ref.scene.pov);
  const firstPerson = voice.person === "first" && pov?.character.name === plan.cast.cast[0]?.name;
  const povName = firstPerson ? "I" : (pov?.first ?? "Everyone");
  const povObject = firstPerson ? "me" : (pov?.pronouns.object ?? "them");
  const povSubject = firstPerson ? "I" : (pov?.pronouns.subject ?? "they");
  const povPossessive = firstPerson ? "my" : (pov?.pronouns.possessive ?? "their");

  const paragraphs = splitParagraphs(input.text);
  const words = countWords(input.text);
  const limit = Math.floor(words * MAX_ADDED);
  const candidates = paragraphs.map((paragraph, index) => ({ paragraph, index })).filter(({ paragraph, index }) => index > 0 && !hasSpeech(paragraph));
  const count = Math.min(candidates.length, Math.max(1, Math.round(words / WORDS_PER_MOTIF)));
  // Spread the woven sentences evenly through the scene.
  const chosen = Array.from({ length: count }, (_, i) => candidates[Math.floor(((i + random.next()) * candidates.length) / count)]).filter((entry) => entry !== undefined);

  // Each scene starts its rotation further along, so every motif keeps coming back.
  const sceneIndex = ref.chapter * 7 + ref.scene.number;
  let added = 0;
  chosen.forEach(({ paragraph, index }, turn) => {
    const useTheme = themes.length > 0 && turn % 3 === 2;
    const motif = motifs[(sceneIndex + turn) % motifs.length] ?? "";
    const theme = themes[(sceneIndex + turn) % Math.max(1, themes.length)] ?? "";
    let named = false;
    let sentence = fill(phrasing.next(useTheme ? "theme_line" : "motif_line"), (slot) => {
      if (slot === "P") {
        // The name once, a pronoun after that.
        const reference = named ? povSubject : povName;
        named = true;
        return reference;
      }
      if (slot === "Po") return povObject;
      if (slot === "Pp") return povPossessive;
      if (slot === "motif") return motif;
      if (slot === "was") return isPlural(motif) ? "were" : "was";
      return theme;
    });
    sentence = capitalise(tidy(sentence));
    if (voice.tense === "present") sentence = toPresentTense(sentence, [motif, theme]);
    const sentenceWords = countWords(sentence);
    if (added + sentenceWords > limit) return;
    added += sentenceWords;
    // Woven in after the paragraph's first sentence, so it reads as part of the moment.
    const sentences = splitSentences(paragraph);
    sentences.splice(Math.min(1, sentences.length), 0, sentence);
    paragraphs[index] = joinSentences(sentences);
  });
  return joinParagraphs(paragraphs).replace(/'/g, "’");
}
