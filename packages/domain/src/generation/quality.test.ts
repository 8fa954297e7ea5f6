import { describe, expect, it } from "vitest";
import { QualityReportSchema } from "./outputs";
import { computeQualityReport, countSyllables, countWords, sentencesOf } from "./quality";
import type { ProjectBrief } from "./writers/writer";

function brief(target_words: number): ProjectBrief {
  return { title: "T", author: "A", genre: "literary", synopsis: "", protagonist: "", tone: "", target_words, chapters: 2, scenes_per_chapter: 1, seed: 1, language: "en" };
}

describe("countWords and countSyllables", () => {
  it("counts words with inner apostrophes and hyphens as one, and dashes as none", () => {
    expect(countWords("“Don’t,” she said — forty-two times.")).toBe(5);
    expect(countWords("")).toBe(0);
  });

  it("counts the same words the report does, however the text is punctuated", () => {
    const text = "a--b ’tis x-ray don’t émigré 42nd — “quoted” end-";
    expect(countWords(text)).toBe(9);
    expect(computeQualityReport(brief(1), [{ number: 1, title: "One", scenes: [text] }]).total_words).toBe(9);
  });

  it("estimates syllables from vowel groups, less a silent e", () => {
    expect([countSyllables("cat"), countSyllables("reading"), countSyllables("table"), countSyllables("cake"), countSyllables("evening")]).toEqual([1, 2, 2, 1, 3]);
  });
});

describe("computeQualityReport", () => {
  it("measures a small manuscript exactly as worked out by hand", () => {
    // Chapter 1: 6 words in 2 sentences; chapter 2: 5 words in 1 sentence, 3 of them spoken.
    const report = computeQualityReport(brief(10), [
      { number: 1, title: "One", scenes: ["The cat sat. The cat ran."] },
      { number: 2, title: "Two", scenes: ["“The cat sat,” she said."] },
    ]);
    expect(QualityReportSchema.parse(report)).toEqual(report);
    expect(report).toEqual({
      total_words: 11,
      target_words: 10,
      deviation: 0.1,
      chapter_words: [6, 5],
      // Mean 5.5, standard deviation 0.5.
      chapter_balance: 0.0909,
      repetition: {
        // Five trigrams; "the cat sat" occurs twice.
        repeated_trigram_ratio: 0.4,
        most_repeated: [{ phrase: "the cat sat", count: 2 }],
        // The only sentence longer than 20 characters is “The cat sat,” she said.
        unique_sentence_ratio: 1,
        most_repeated_sentences: [],
      },
      readability: {
        // 206.835 − 1.015 × 11/3 − 84.6 × 11/11 (every word has one syllable).
        flesch_reading_ease: 118.51,
        average_sentence_words: 3.67,
      },
      dialogue_ratio: 0.2727,
      warnings: [],
    });
  });

  it("leaves trivial phrases out of the most repeated ones", () => {
    const report = computeQualityReport(brief(20), [{ number: 1, title: "One", scenes: ["It was in the end. It was in the end. The red door shut. The red door shut."] }]);
    expect(report.repetition.most_repeated.map((entry) => entry.phrase)).toEqual(["red door shut", "the red door"]);
  });

  it("lists the most repeated sentences with their counts, and the share of longer sentences used once", () => {
    const scenes = [
      "The lamp by the door went out. “Where were you last night?” he asked. Nobody answered.",
      "“Where were you last night?” she asked again. The lamp by the door went out.\n\nThe lamp by the door went out",
      "The lamp by the door went out. A cart went by in the lane below.",
    ];
    const report = computeQualityReport(brief(60), [{ number: 1, title: "One", scenes }]);
    // Longer sentences: the lamp three times, the question twice, and two used once ("he asked." and "Nobody answered." are short).
    expect(report.repetition.most_repeated_sentences).toEqual([
      { sentence: "The lamp by the door went out.", count: 3 },
      { sentence: "“Where were you last night?”", count: 2 },
    ]);
    // The paragraph's last sentence has no mark, so it differs from the others: 2 of 7 occurrences are of sentences used once.
    expect(report.repetition.unique_sentence_ratio).toBe(0.2857);
    // Three times is still within bounds.
    expect(report.warnings.join(" ")).not.toContain("sentence");

    const overused = computeQualityReport(brief(60), [{ number: 1, title: "One", scenes: [...scenes, "The lamp by the door went out."] }]);
    expect(overused.repetition.most_repeated_sentences[0]).toEqual({ sentence: "The lamp by the door went out.", count: 4 });
    expect(overused.warnings).toContainEqual(expect.stringMatching(/^The prose repeats itself: .*; a sentence occurs more than 3 times \(most often “The lamp by the door went out\.”, 4 times\)\.$/));
  });

  it("splits a scene into the sentences it counts", () => {
    expect(sentencesOf("“Go,” she said. “Now.” He went.\n\nIt was late")).toEqual(["“Go,” she said.", "“Now.”", "He went.", "It was late"]);
  });

  it("warns about length, balance, repetition, dialogue and long sentences", () => {
    const long = Array.from({ length: 40 }, () => "and the long grey road went on and on").join(" ");
    const report = computeQualityReport(brief(1000), [
      { number: 1, title: "One", scenes: [`${long}.`, `${long}.`] },
      { number: 2, title: "Two", scenes: ["Short."] },
      { number: 3, title: "Three", scenes: [] },
    ]);
    expect(report.warnings).toEqual([
      "The manuscript has 721 words, 28 % under the target of 1000.",
      "Chapters without any text: 3.",
      // Chapters of 720, 1 and 0 words: mean 240.3, standard deviation 339.2.
      "Chapter lengths are very uneven (they vary by 141 % around the average of 240 words).",
      // Every trigram of a sentence that repeats itself forty times recurs; "and the long" has only one word that matters.
      "The prose repeats itself: 100 % of its three-word phrases occur more than once (most often “grey road went”, “long grey road”, “road went on”).",
      "There is almost no dialogue (0 % of the words).",
      // 206.835 − 1.015 × 721/3 − 84.6 × 1.
      "The prose is hard to read (Flesch reading ease -122).",
      "Sentences are long (240 words on average).",
    ]);
  });

  it("reads a book of 100 000 words in one pass", () => {
    // Twenty words a paragraph, three of them spoken.
    const scene = "“Where were you?” she asked. He looked away, and for a long moment neither of them said anything at all.\n\n".repeat(125);
    const chapters = Array.from({ length: 20 }, (_, index) => ({ number: index + 1, title: `Chapter ${index + 1}`, scenes: [scene, scene] }));
    const report = computeQualityReport(brief(100_000), chapters);
    expect(report.total_words).toBe(100_000);
    expect(report.dialogue_ratio).toBe(0.15);
    expect(report.warnings).toEqual([expect.stringContaining("repeats itself")]);
  });
});
