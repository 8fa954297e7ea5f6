import type { QualityReport } from "./outputs";
import type { ProjectBrief } from "./writers/writer";

/**
 * The quality report of stage 12: measured, not written, so every writer's
 * manuscript is judged by the same rules.
 *
 * Definitions used throughout:
 * - a word is a run of letters or digits, with inner apostrophes and hyphens
 *   ("don’t", "forty-two"); dashes and punctuation are not words;
 * - a sentence ends at `.`, `!`, `?` or `…` (after any closing quotes) that is
 *   followed by whitespace or the end of the paragraph; text after the last
 *   ending counts as one more sentence;
 * - dialogue is every word between “ and ” (a quote left open runs to the
 *   end of its paragraph, as multi-paragraph speech is written);
 * - a sentence's text runs from its first character that is not whitespace
 *   to its last mark (closing quotes included), exactly as written; two
 *   sentences are the same when their texts are.
 */

/** How many repeated phrases, and how many repeated sentences, the report lists. */
const MOST_REPEATED_COUNT = 10;

/**
 * Sentences this long or shorter ("Nobody moved.", “Why?”) recur in any
 * book; only longer ones count towards sentence repetition.
 */
export const SHORT_SENTENCE_CHARACTERS = 20;

/** A longer sentence repeated more often than this reads as a tic. */
const MAX_SENTENCE_REPEATS = 3;

/** Thresholds past which the report warns. */
const LIMITS = {
  deviation: 0.1,
  chapterBalance: 0.35,
  // In edited prose a third or so of all trigrams recur (even a technical manual stays under 40 %); past half, repetition shows.
  repeatedTrigramRatio: 0.5,
  minDialogueRatio: 0.05,
  maxDialogueRatio: 0.8,
  minReadingEase: 30,
  maxSentenceWords: 30,
};

/**
 * Words so common that a phrase made of them says nothing about style
 * ("out of the", "she said to"): a repeated phrase is listed only when at
 * least two of its three words are not in this list.
 */
const FUNCTION_WORDS = new Set(
  (
    "a an the and or but nor so yet of to in on at by for with from into onto over under up down out off about " +
    "as than then there here this that these those it its it's i me my mine you your yours he him his she her hers " +
    "we us our they them their what which who whom whose when where why how not no yes is was were be been being am " +
    "are has have had do does did done would could should will shall can may might must if just very said say says " +
    "one all any some more most such only own same too s don't didn't wasn't couldn't i'm i'd i'll that's"
  ).split(" "),
);

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Whether non-ASCII code points are letters or digits, as they come up. */
const letterOrDigitCache = new Map<number, boolean>();

function isLetterOrDigit(codePoint: number): boolean {
  if (codePoint < 128) return (codePoint >= 48 && codePoint <= 57) || (codePoint >= 65 && codePoint <= 90) || (codePoint >= 97 && codePoint <= 122);
  let known = letterOrDigitCache.get(codePoint);
  if (known === undefined) {
    known = LETTER_OR_DIGIT.test(String.fromCodePoint(codePoint));
    letterOrDigitCache.set(codePoint, known);
  }
  return known;
}

/** The code point at a position (0 past the end), reading a surrogate pair only when there is one. */
function codePointAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (Number.isNaN(code)) return 0;
  return code >= 0xd800 && code <= 0xdbff ? (text.codePointAt(index) ?? code) : code;
}

/**
 * The number of words, by the definition above. It counts in one scan of
 * the characters rather than with a regular expression, because the
 * writers call it for every sentence they build or revise.
 */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const codePoint = codePointAt(text, i);
    if (codePoint > 0xffff) i += 1;
    if (isLetterOrDigit(codePoint)) {
      if (!inWord) count += 1;
      inWord = true;
    } else if (inWord && (codePoint === 39 || codePoint === 0x2019 || codePoint === 45) && isLetterOrDigit(codePointAt(text, i + 1))) {
      // An apostrophe or hyphen between letters keeps the word going.
    } else {
      inWord = false;
    }
  }
  return count;
}

/** Estimated syllables of one word: vowel groups, less a silent final e; at least one. */
export function countSyllables(word: string): number {
  const letters = word.toLowerCase().replace(/[^a-z]/g, "");
  if (letters.length <= 3) return 1;
  const trimmed = letters.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 0);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
}

/** . ! ? … end a sentence. */
function isSentenceMark(code: number): boolean {
  return code === 46 || code === 33 || code === 63 || code === 0x2026;
}

/** Closing quotes and brackets may follow a sentence's last mark. */
function isClosingMark(code: number): boolean {
  return code === 0x201d || code === 34 || code === 0x2019 || code === 41 || code === 93;
}

const OPENING_QUOTE = 0x201c;
const CLOSING_QUOTE = 0x201d;

/** Running totals over the whole manuscript, gathered in one pass: a book is read once, however many measures it feeds. */
class TextStats {
  words = 0;
  sentences = 0;
  syllables = 0;
  dialogueWords = 0;
  trigramCount = 0;
  /**
   * Trigram counts, keyed by word ids: first and second word → third word →
   * count. Numbers hash far faster than joined strings.
   */
  private readonly trigrams = new Map<number, Map<number, number>>();
  /** Each distinct word once, with its syllables: a book uses a few thousand words many times over. */
  private readonly wordIds = new Map<string, number>();
  private readonly vocabulary: { word: string; syllables: number }[] = [];
  private sentence: number[] = [];
  /** How often each sentence longer than SHORT_SENTENCE_CHARACTERS occurs. */
  readonly longSentences = new Map<string, number>();
  /** Where the sentence being read starts in the scene, or -1 between sentences. */
  private sentenceStart = -1;
  private scene = "";
  private sceneSentences: string[] | null = null;

  /**
   * Adds one scene, scanning its characters once: words, quotes, sentence
   * endings and blank lines between paragraphs. Returns its word count; the
   * scene's sentences are added to `sentences` when given.
   */
  addScene(text: string, sentences: string[] | null = null): number {
    const before = this.words;
    this.scene = text;
    this.sceneSentences = sentences;
    this.sentenceStart = -1;
    // Lower-case the scene once; a character whose lower case has another length (rare) keeps words apart safely.
    const lower = text.toLowerCase();
    const sameLength = lower.length === text.length;
    let inQuote = false;
    let i = 0;
    while (i < text.length) {
      const code = codePointAt(text, i);
      if (this.sentenceStart < 0 && !isWhitespace(code)) this.sentenceStart = i;
      if (isLetterOrDigit(code)) {
        const start = i;
        i += code > 0xffff ? 2 : 1;
        for (;;) {
          const next = codePointAt(text, i);
          if (i < text.length && isLetterOrDigit(next)) i += next > 0xffff ? 2 : 1;
          // An apostrophe or hyphen between letters keeps the word going.
          else if ((next === 39 || next === 0x2019 || next === 45) && isLetterOrDigit(codePointAt(text, i + 1))) i += 1;
          else break;
        }
        this.addWord(sameLength ? lower.slice(start, i) : text.slice(start, i).toLowerCase(), inQuote);
        continue;
      }
      if (code === OPENING_QUOTE) inQuote = true;
      else if (code === CLOSING_QUOTE) inQuote = false;
      else if (code === 10) {
        let next = i + 1;
        while (next < text.length && text.charCodeAt(next) !== 10 && isWhitespace(text.charCodeAt(next))) next += 1;
        // A blank line ends the paragraph, its sentence and any quote left open.
        if (text.charCodeAt(next) === 10) {
          this.endSentence(i);
          inQuote = false;
        }
      } else if (isSentenceMark(code)) {
        let next = i + 1;
        while (next < text.length && (isSentenceMark(text.charCodeAt(next)) || isClosingMark(text.charCodeAt(next)))) next += 1;
        if (text.slice(i, next).includes("”")) inQuote = false;
        if (next >= text.length || isWhitespace(text.charCodeAt(next))) this.endSentence(next);
        i = next;
        continue;
      }
      i += code > 0xffff ? 2 : 1;
    }
    this.endSentence(text.length);
    this.sceneSentences = null;
    return this.words - before;
  }

  private addWord(word: string, inQuote: boolean): void {
    this.words += 1;
    if (inQuote) this.dialogueWords += 1;
    const normalised = word.includes("’") ? word.replace(/’/g, "'") : word;
    let id = this.wordIds.get(normalised);
    if (id === undefined) {
      id = this.vocabulary.length;
      this.wordIds.set(normalised, id);
      this.vocabulary.push({ word: normalised, syllables: countSyllables(normalised) });
    }
    this.syllables += this.vocabulary[id]?.syllables ?? 1;
    this.sentence.push(id);
  }

  /** Ends the sentence being read at `end` (exclusive); a run of marks without a word is no sentence. */
  private endSentence(end: number): void {
    const ids = this.sentence;
    const start = this.sentenceStart;
    this.sentenceStart = -1;
    if (ids.length === 0) return;
    this.sentences += 1;
    const sentence = this.scene.slice(start, end).trimEnd();
    this.sceneSentences?.push(sentence);
    if (sentence.length > SHORT_SENTENCE_CHARACTERS) this.longSentences.set(sentence, (this.longSentences.get(sentence) ?? 0) + 1);
    for (let i = 0; i + 2 < ids.length; i++) {
      // Word ids stay far below 2^26, so the pair key is exact.
      const pair = (ids[i] ?? 0) * 2 ** 26 + (ids[i + 1] ?? 0);
      let thirds = this.trigrams.get(pair);
      if (!thirds) {
        thirds = new Map();
        this.trigrams.set(pair, thirds);
      }
      const third = ids[i + 2] ?? 0;
      thirds.set(third, (thirds.get(third) ?? 0) + 1);
      this.trigramCount += 1;
    }
    this.sentence = [];
  }

  /** Every trigram that occurs more than once, as text, with its count. */
  repeatedTrigrams(): { phrase: string; count: number }[] {
    const repeated: { phrase: string; count: number }[] = [];
    for (const [pair, thirds] of this.trigrams) {
      for (const [third, count] of thirds) {
        if (count < 2) continue;
        const words = [Math.floor(pair / 2 ** 26), pair % 2 ** 26, third].map((id) => this.vocabulary[id]?.word ?? "");
        repeated.push({ phrase: words.join(" "), count });
      }
    }
    return repeated;
  }
}

/** A scene's sentences, by the definition above: what the report counts, for measures of a book's own. */
export function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  new TextStats().addScene(text, sentences);
  return sentences;
}

/** Longer sentences and how often each recurs. */
function sentenceRepetition(counts: ReadonlyMap<string, number>): { uniqueRatio: number; overused: number; mostRepeated: { sentence: string; count: number }[] } {
  let occurrences = 0;
  let unique = 0;
  let overused = 0;
  const repeated: { sentence: string; count: number }[] = [];
  for (const [sentence, count] of counts) {
    occurrences += count;
    if (count === 1) unique += 1;
    else repeated.push({ sentence, count });
    if (count > MAX_SENTENCE_REPEATS) overused += 1;
  }
  repeated.sort((a, b) => b.count - a.count || (a.sentence < b.sentence ? -1 : a.sentence > b.sentence ? 1 : 0));
  return { uniqueRatio: occurrences > 0 ? unique / occurrences : 1, overused, mostRepeated: repeated.slice(0, MOST_REPEATED_COUNT) };
}

function coefficientOfVariation(values: number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  if (mean === 0) return 0;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

function isTrivialPhrase(phrase: string): boolean {
  const contentWords = phrase.split(" ").filter((word) => !FUNCTION_WORDS.has(word));
  return contentWords.length < 2;
}

/** A chapter as the quality report reads it: its scenes' text in order. */
export interface QualityChapter {
  number: number;
  title: string;
  scenes: string[];
}

export function computeQualityReport(brief: ProjectBrief, chapters: QualityChapter[]): QualityReport {
  const stats = new TextStats();
  const chapterWords = chapters.map((chapter) => chapter.scenes.reduce((sum, scene) => sum + stats.addScene(scene), 0));

  const target = brief.target_words;
  const deviation = target > 0 ? (stats.words - target) / target : 0;
  const chapterBalance = coefficientOfVariation(chapterWords);

  const repeated = stats.repeatedTrigrams();
  const repeatedOccurrences = repeated.reduce((sum, entry) => sum + entry.count, 0);
  const repeatedPhrases = repeated.filter((entry) => !isTrivialPhrase(entry.phrase));
  repeatedPhrases.sort((a, b) => b.count - a.count || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0));
  const repeatedTrigramRatio = stats.trigramCount > 0 ? repeatedOccurrences / stats.trigramCount : 0;
  const sentences = sentenceRepetition(stats.longSentences);

  const averageSentenceWords = stats.sentences > 0 ? stats.words / stats.sentences : 0;
  const syllablesPerWord = stats.words > 0 ? stats.syllables / stats.words : 0;
  const readingEase = stats.words > 0 ? 206.835 - 1.015 * averageSentenceWords - 84.6 * syllablesPerWord : 0;
  const dialogueRatio = stats.words > 0 ? stats.dialogueWords / stats.words : 0;

  const warnings: string[] = [];
  if (Math.abs(deviation) > LIMITS.deviation) {
    const direction = deviation > 0 ? "over" : "under";
    warnings.push(`The manuscript has ${stats.words} words, ${percent(Math.abs(deviation))} ${direction} the target of ${target}.`);
  }
  const emptyChapters = chapters.filter((_, index) => chapterWords[index] === 0).map((chapter) => chapter.number);
  if (emptyChapters.length > 0) warnings.push(`Chapters without any text: ${emptyChapters.join(", ")}.`);
  if (chapterBalance > LIMITS.chapterBalance) {
    warnings.push(`Chapter lengths are very uneven (they vary by ${percent(chapterBalance)} around the average of ${Math.round(stats.words / Math.max(1, chapters.length))} words).`);
  }
  const repetitions: string[] = [];
  if (repeatedTrigramRatio > LIMITS.repeatedTrigramRatio) {
    const examples = repeatedPhrases.slice(0, 3).map((entry) => `“${entry.phrase}”`);
    repetitions.push(`${percent(repeatedTrigramRatio)} of its three-word phrases occur more than once${examples.length > 0 ? ` (most often ${examples.join(", ")})` : ""}`);
  }
  const [mostRepeatedSentence] = sentences.mostRepeated;
  if (sentences.overused > 0 && mostRepeatedSentence) {
    const which = sentences.overused === 1 ? "a sentence occurs" : `${sentences.overused} sentences occur`;
    repetitions.push(`${which} more than ${MAX_SENTENCE_REPEATS} times (most often “${mostRepeatedSentence.sentence}”, ${mostRepeatedSentence.count} times)`);
  }
  if (repetitions.length > 0) warnings.push(`The prose repeats itself: ${repetitions.join("; ")}.`);
  if (stats.words > 0 && dialogueRatio < LIMITS.minDialogueRatio) warnings.push(`There is almost no dialogue (${percent(dialogueRatio)} of the words).`);
  if (dialogueRatio > LIMITS.maxDialogueRatio) warnings.push(`The text is nearly all dialogue (${percent(dialogueRatio)} of the words).`);
  if (stats.words > 0 && readingEase < LIMITS.minReadingEase) warnings.push(`The prose is hard to read (Flesch reading ease ${Math.round(readingEase)}).`);
  if (averageSentenceWords > LIMITS.maxSentenceWords) warnings.push(`Sentences are long (${Math.round(averageSentenceWords)} words on average).`);

  return {
    total_words: stats.words,
    target_words: target,
    deviation: round(deviation, 4),
    chapter_words: chapterWords,
    chapter_balance: round(chapterBalance, 4),
    repetition: {
      repeated_trigram_ratio: round(repeatedTrigramRatio, 4),
      most_repeated: repeatedPhrases.slice(0, MOST_REPEATED_COUNT),
      unique_sentence_ratio: round(sentences.uniqueRatio, 4),
      most_repeated_sentences: sentences.mostRepeated,
    },
    readability: {
      flesch_reading_ease: round(readingEase, 2),
      average_sentence_words: round(averageSentenceWords, 2),
    },
    dialogue_ratio: round(dialogueRatio, 4),
    warnings,
  };
}
