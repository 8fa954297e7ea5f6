import { BASE_OF_PAST, thirdPersonOf } from "./english";
import { mapNarration } from "./text";

/**
 * Moves past-tense narration into the present tense ("she walked" → "she
 * walks"), leaving speech alone. It knows the verbs the offline writer uses
 * and decides agreement from the nearest subject: a pronoun, a name or a
 * noun directly before the verb, or the clause's subject for verbs joined by
 * "and" or "then". Past perfect becomes present perfect ("had gone" → "has
 * gone"); participles after an auxiliary stay as they are.
 */

type Person = "first" | "third" | "plural";

const SUBJECT_PRONOUNS: Readonly<Record<string, Person>> = { i: "first", he: "third", she: "third", we: "plural", they: "plural" };
/** Pronouns that are subjects only when a verb follows them. */
const AMBIGUOUS_PRONOUNS: Readonly<Record<string, Person>> = { you: "plural", it: "third", this: "third", that: "third", everything: "third", nothing: "third", nobody: "third", everyone: "third", someone: "third", something: "third", anyone: "third", anything: "third", there: "third" };
const RELATIVES = new Set(["who", "which", "that"]);
const CONJUNCTIONS = new Set(["and", "or", "but", "then", "nor", "yet"]);
const IRREGULAR_PLURALS = new Set(["people", "men", "women", "children", "feet", "teeth", "others"]);
const NOT_SUBJECTS = new Set(
  (
    "the a an his her my your our their its these those some any no every each him me us them to of in on at by for with " +
    "from into onto over under about after before than as was were had has have is are be been being did do does would " +
    "could should might must will can may not so if when while because though although until unless where what how why " +
    "whether like against through across along around behind beside between beyond toward towards upon off out up down"
  ).split(" "),
);
const ADVERBS = new Set(
  (
    "never always still only just already almost also even often once soon nearly hardly barely rarely sometimes really " +
    "quite simply finally suddenly slowly quickly quietly softly carefully gently instead again somehow perhaps probably both all"
  ).split(" "),
);
const NOT_ADVERBS = new Set(["family", "belly", "lily", "jelly", "ally", "rally", "holy", "ugly", "silly", "early", "only"]);
/** Prepositions that can sit inside a subject ("the groan of the hull under load"). */
const PHRASE_PREPOSITIONS = new Set(["of", "in", "on", "under", "from", "over", "through", "at", "along", "across", "beyond", "behind", "near", "by"]);
/** Words that open a noun phrase: a noun after one of these (within a few words) can be a subject. */
const DETERMINERS = new Set("the a an another his her my your our their its this that these those every each no some any".split(" "));

const AUXILIARY_PRESENT: Readonly<Record<string, Readonly<Record<Person, string>>>> = {
  was: { first: "am", third: "is", plural: "are" },
  had: { first: "have", third: "has", plural: "have" },
  did: { first: "do", third: "does", plural: "do" },
  "wasn’t": { first: "am not", third: "isn’t", plural: "aren’t" },
  "hadn’t": { first: "haven’t", third: "hasn’t", plural: "haven’t" },
  "didn’t": { first: "don’t", third: "doesn’t", plural: "don’t" },
};
const MODALS: Readonly<Record<string, string>> = { could: "can", would: "will", "couldn’t": "can’t", "wouldn’t": "won’t" };

interface Token {
  word: string;
  lower: string;
  start: number;
  end: number;
  /** The text between the previous token and this one. */
  gap: string;
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(/[\p{L}]+(?:[’'][\p{L}]+)*/gu)) {
    const start = match.index;
    const word = match[0];
    tokens.push({ word, lower: word.toLowerCase().replace(/'/g, "’"), start, end: start + word.length, gap: text.slice(previousEnd, start) });
    previousEnd = start + word.length;
  }
  return tokens;
}

function isAdverb(lower: string): boolean {
  return ADVERBS.has(lower) || (lower.endsWith("ly") && lower.length > 4 && !NOT_ADVERBS.has(lower));
}

function isVerbLike(lower: string): boolean {
  return BASE_OF_PAST.has(lower) || lower in AUXILIARY_PRESENT || lower in MODALS || lower === "were";
}

function nounPerson(lower: string): Person {
  if (IRREGULAR_PLURALS.has(lower)) return "plural";
  return /[^su’]s$/.test(lower) && !lower.endsWith("ss") ? "plural" : "third";
}

/** The person of a word standing directly before a verb as its subject, or null if it is not a subject. */
function subjectPerson(tokens: readonly Token[], index: number, clauseSubject: Person | null, sentenceSubject: Person | null): Person | null {
  const token = tokens[index];
  if (!token) return null;
  const next = tokens[index + 1];
  // A comma or full stop between a word and a verb means the word is not its subject.
  if (next && next.gap.trim() !== "") return null;
  const pronoun = SUBJECT_PRONOUNS[token.lower] ?? AMBIGUOUS_PRONOUNS[token.lower];
  if (pronoun) return pronoun;
  if (RELATIVES.has(token.lower)) {
    const antecedent = tokens[index - 1];
    return antecedent ? (SUBJECT_PRONOUNS[antecedent.lower] ?? nounPerson(antecedent.lower)) : "third";
  }
  if (CONJUNCTIONS.has(token.lower)) {
    // After a comma, "and" and "then" go back to the sentence's main subject: "Tomas stood when I came in, then sat down".
    return token.gap.includes(",") && sentenceSubject !== null ? sentenceSubject : clauseSubject;
  }
  if (isAdverb(token.lower)) return subjectPerson(tokens, index - 1, clauseSubject, sentenceSubject) ?? (index === 0 || /[.!?;:]/.test(token.gap) ? clauseSubject : null);
  if (NOT_SUBJECTS.has(token.lower) || isVerbLike(token.lower)) return null;
  if (/^\p{Lu}/u.test(token.word)) return "third";
  if (IRREGULAR_PLURALS.has(token.lower)) return "plural";
  const head = nounPhraseHead(tokens, index);
  return head ? nounPerson(head.lower) : null;
}

/**
 * The head of a noun phrase that ends at `index` and can be a subject ("the
 * cold wind", "the rattle of teacups in the hall", "thin winter sunlight"):
 * walking back, a determiner or the start of the clause comes before any
 * verb or function word. The head is the noun before the first preposition
 * ("rattle"), and decides the verb's number. Null when the word does not end
 * a noun phrase.
 */
function nounPhraseHead(tokens: readonly Token[], index: number): Token | null {
  let head = tokens[index] ?? null;
  for (let back = index - 1; back >= index - 12; back--) {
    const token = tokens[back];
    const after = tokens[back + 1];
    if (!token || !after || after.gap.trim() !== "") return head;
    const before = tokens[back - 1];
    const joined = before !== undefined && token.gap.trim() === "";
    // A possessive ("Tomas’s") works as a determiner.
    if (DETERMINERS.has(token.lower) || token.lower.endsWith("’s")) {
      // "the rattle of teacups in the hall": a determiner after a preposition opens an inner phrase.
      if (!joined || !PHRASE_PREPOSITIONS.has(before.lower)) return head;
      continue;
    }
    if (PHRASE_PREPOSITIONS.has(token.lower)) {
      head = before ?? head;
      continue;
    }
    // A verb form straight after a determiner is an adjective: "her left hand", "the locked door".
    if (isVerbLike(token.lower) && joined && DETERMINERS.has(before.lower)) continue;
    if (isVerbLike(token.lower) || NOT_SUBJECTS.has(token.lower)) return null;
  }
  return null;
}

function present(lower: string, person: Person): string | null {
  const auxiliary = AUXILIARY_PRESENT[lower];
  if (auxiliary) return auxiliary[person];
  if (lower === "were") return person === "plural" ? "are" : null;
  const base = BASE_OF_PAST.get(lower);
  if (!base) return null;
  return person === "third" ? thirdPersonOf(base) : base;
}

function matchCase(original: string, replacement: string): string {
  return /^\p{Lu}/u.test(original) ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
}

/** Where the given phrases occur in a text, as [start, end) ranges. */
function phraseRanges(text: string, phrases: readonly string[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const phrase of phrases) {
    if (phrase === "") continue;
    // Story strings may be written with either apostrophe.
    for (const variant of new Set([phrase, phrase.replace(/'/g, "’")])) {
      for (let at = text.indexOf(variant); at >= 0; at = text.indexOf(variant, at + variant.length)) ranges.push([at, at + variant.length]);
    }
  }
  return ranges;
}

function convertNarration(text: string, keepAsWritten: readonly string[]): string {
  const tokens = tokenise(text);
  const kept = phraseRanges(text, keepAsWritten);
  const isKept = (token: Token): boolean => kept.some(([start, end]) => token.start >= start && token.end <= end);
  let clauseSubject: Person | null = null;
  /** The subject of the sentence's first clause. */
  let sentenceSubject: Person | null = null;
  const replacements: { start: number; end: number; text: string }[] = [];
  tokens.forEach((token, index) => {
    if (/[.!?;:]/.test(token.gap) || index === 0) {
      clauseSubject = null;
      sentenceSubject = null;
    }
    const nominative = SUBJECT_PRONOUNS[token.lower];
    if (nominative) {
      clauseSubject = nominative;
      sentenceSubject ??= nominative;
    }
    const next = tokens[index + 1];
    const modal = MODALS[token.lower];
    if (modal) {
      // "could have", "would rather", "what would Tomas have done" read correctly as they are.
      const afterNext = tokens[index + 2];
      const perfect = next?.lower === "have" || afterNext?.lower === "have";
      if (!next || perfect || next.lower === "rather" || isKept(token)) return;
      // "could not" becomes "cannot", not "can not".
      if (token.lower === "could" && next.lower === "not" && next.gap === " ") replacements.push({ start: token.start, end: next.end, text: matchCase(token.word, "cannot") });
      else replacements.push({ start: token.start, end: token.end, text: matchCase(token.word, modal) });
      return;
    }
    if (!isVerbLike(token.lower)) return;
    const startsSentence = index === 0 || /[.!?]/.test(token.gap);
    const previous = tokens[index - 1];
    let person: Person | null;
    if (startsSentence && (token.lower in AUXILIARY_PRESENT || token.lower === "were") && next) {
      // A question: "Was it fear?" takes its subject from the next word.
      person = SUBJECT_PRONOUNS[next.lower] ?? AMBIGUOUS_PRONOUNS[next.lower] ?? nounPerson(next.lower);
    } else if (index === 0 && next && /^\p{Lu}/u.test(next.word) && next.word !== "I") {
      // An inverted speech tag after a quotation: “…,” said Tomas.
      person = "third";
    } else if (previous && previous.gap.trim() === "" && token.gap === ", " && replacements.some((replacement) => replacement.start === previous.start)) {
      // A series of actions: "she stood, walked to the door and came back".
      person = clauseSubject;
    } else {
      person = subjectPerson(tokens, index - 1, clauseSubject, sentenceSubject);
    }
    // "there were two" agrees with what follows "there".
    if (token.lower === "were" && previous?.lower === "there") person = "plural";
    // "was" is singular whatever stands before it; without a subject in sight it is "is".
    if (person === null && token.lower === "was") person = "third";
    if (person === null) return;
    clauseSubject = person;
    sentenceSubject ??= person;
    const replacement = present(token.lower, person);
    if (replacement && !isKept(token)) replacements.push({ start: token.start, end: token.end, text: matchCase(token.word, replacement) });
  });
  let result = "";
  let position = 0;
  for (const replacement of replacements) {
    result += text.slice(position, replacement.start) + replacement.text;
    position = replacement.end;
  }
  return result + text.slice(position);
}

/**
 * The text with its narration in the present tense; speech is untouched, and
 * so are `keepAsWritten` phrases (story names such as "where the silver
 * went", which speak of the past whatever the tense of the telling).
 */
export function toPresentTense(text: string, keepAsWritten: readonly string[] = []): string {
  return mapNarration(text, (narration) => convertNarration(narration, keepAsWritten));
}
