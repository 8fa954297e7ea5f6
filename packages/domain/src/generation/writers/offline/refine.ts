import { countWords } from "../../quality";
import type { SceneInput } from "../writer";
import { pastOf } from "./english";
import { hasSpeech, joinParagraphs, joinSentences, replaceInNarration, splitParagraphs, splitSentences } from "./text";

/**
 * Self-refine (stage 7): the tidying a writer does on a second read.
 * - doubled words ("the the") are fixed everywhere;
 * - in narration, a weak verb and adverb become one strong verb ("walked
 *   slowly" → "ambled"), "very" gives way to a stronger adjective, filler
 *   words go ("really", "just", "somehow"), "began to walk" becomes "walked";
 * - two neighbouring sentences that open with the same word are joined
 *   ("She waited. She listened." → "She waited, and listened.").
 * Cuts stop once 4 % of the words are gone, so a scene keeps its length.
 */

const MAX_CUT = 0.04;

/** Weak verb and adverb → strong verb. */
const STRONG_VERBS: Readonly<Record<string, string>> = {
  "walked slowly": "ambled",
  "walked quickly": "strode",
  "said quietly": "murmured",
  "said softly": "murmured",
  "looked quickly": "glanced",
  "moved quickly": "hurried",
  "ran quickly": "raced",
};

/** "very" + adjective → a stronger adjective; other uses of "very" simply go. */
const STRONGER: Readonly<Record<string, string>> = {
  cold: "freezing",
  tired: "exhausted",
  quiet: "silent",
  old: "ancient",
  afraid: "terrified",
  angry: "furious",
  happy: "delighted",
  small: "tiny",
  big: "enormous",
  still: "motionless",
  good: "excellent",
  bad: "dreadful",
  hungry: "starving",
};

/**
 * Everything self-refine tightens in narration, in one pattern: a weak verb
 * and adverb, a slow head-shake, "very" + word, "began to" + verb,
 * "Suddenly," at the start of a sentence, and filler words (unless they
 * start an idiom: "just as", "quite a few").
 */
const TIGHTEN = new RegExp(
  [
    `\\b(${Object.keys(STRONG_VERBS).join("|")})\\b`,
    "\\b(shook (?:his|her|my|their) head) slowly\\b",
    "\\bvery (\\p{Ll}+)",
    "\\b(?:began|started) to (\\p{Ll}+)",
    "(?<=^|[.!?] )Suddenly, (\\p{Ll})",
    "\\b(?:really|somehow|actually|basically|just(?! (?:as|then|now|in case|like|enough))|quite(?! (?:a|an|the)\\b)) ",
  ].join("|"),
  "gmu",
);
const DOUBLED = /\b(\p{L}+) \1\b/giu;
/** Doubled words that are good English. */
const LEGITIMATE_DOUBLES = new Set(["had", "that", "is", "do"]);

/** Pronouns and articles whose repetition at the start of neighbouring sentences is worth fixing. */
const REPEATABLE_OPENINGS = new Set(["She", "He", "I", "They", "We", "The"]);
const SUBJECTS = new Set(["She", "He", "I", "They", "We"]);

class CutBudget {
  private cut = 0;
  constructor(private readonly limit: number) {}

  /** Applies a change if the words it removes still fit the budget. */
  tryChange(before: string, after: string): string {
    const removed = countWords(before) - countWords(after);
    if (this.cut + removed > this.limit) return before;
    this.cut += removed;
    return after;
  }
}

function fixDoubledWords(text: string): string {
  return text.replace(DOUBLED, (match, word: string) => (LEGITIMATE_DOUBLES.has(word.toLowerCase()) ? match : word));
}

function tighten(text: string, budget: CutBudget): string {
  return replaceInNarration(text, TIGHTEN, (match) => {
    const [whole, weakVerb, headShake, veryWord, beganVerb, suddenLetter] = match;
    let better = "";
    if (weakVerb) better = STRONG_VERBS[weakVerb] ?? weakVerb;
    else if (headShake) better = headShake;
    else if (veryWord) better = STRONGER[veryWord] ?? veryWord;
    else if (beganVerb) better = pastOf(beganVerb);
    else if (suddenLetter) better = suddenLetter.toUpperCase();
    return budget.tryChange(whole, better);
  });
}

/** Joins neighbouring narration sentences that open with the same pronoun or article. */
function varyOpenings(paragraph: string): string {
  const sentences = splitSentences(paragraph);
  const result: string[] = [];
  for (let i = 0; i < sentences.length; i++) {
    const current = sentences[i] ?? "";
    const next = sentences[i + 1];
    const opening = current.split(" ")[0] ?? "";
    if (
      next !== undefined &&
      REPEATABLE_OPENINGS.has(opening) &&
      next.startsWith(`${opening} `) &&
      current.endsWith(".") &&
      !hasSpeech(current) &&
      !hasSpeech(next) &&
      !/[:;]|, and /.test(current) &&
      countWords(current) + countWords(next) <= 26
    ) {
      // "She waited. She listened." → "She waited, and listened."; "The X. The Y." → "The X, and the Y."
      const rest = SUBJECTS.has(opening) ? next.slice(opening.length + 1) : next.charAt(0).toLowerCase() + next.slice(1);
      result.push(`${current.slice(0, -1)}, and ${rest}`);
      i += 1;
    } else {
      result.push(current);
    }
  }
  return joinSentences(result);
}

export function selfRefine(input: SceneInput): string {
  const budget = new CutBudget(Math.floor(countWords(input.text) * MAX_CUT));
  const tightened = tighten(fixDoubledWords(input.text), budget);
  return joinParagraphs(splitParagraphs(tightened).map((paragraph) => (hasSpeech(paragraph) ? paragraph : varyOpenings(paragraph))));
}
