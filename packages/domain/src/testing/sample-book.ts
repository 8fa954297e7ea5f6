import type { Book, BookChapter } from "../exports/book";

/**
 * Text that every format must carry through unchanged: accents, Cyrillic,
 * curly quotes, an em dash, an ellipsis, and characters that mean something
 * in XML and Markdown.
 */
export const UNICODE_TITLE = "Élodie’s Road — Дорога домой";
export const UNICODE_AUTHOR = "Zoë Ångström";
export const UNICODE_LINES = [
  "“Déjà vu,” said Zoë — and the café went quiet…",
  "Наташа открыла окно: «Мы вернёмся домой».",
  "Fish & chips <cost> 5 * 3 # [not] a _link_.",
] as const;

const WORDS = (
  "the river ran cold under the old stone bridge while lanterns swung in the wind and " +
  "somewhere past the market a bell counted the hours nobody wanted to keep"
).split(" ");

/** A paragraph of `count` words from a fixed vocabulary, varied by `seed`. */
function paragraph(seed: number, count: number): string {
  const words: string[] = [];
  for (let index = 0; index < count; index += 1) words.push(WORDS[(seed * 7 + index * 3) % WORDS.length] ?? "and");
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * A book for tests and benchmarks: `chapters` chapters of `scenes` scenes,
 * about `words` words in all, its first chapter holding the Unicode lines.
 */
export function sampleBook(options: { words?: number; chapters?: number; scenes?: number } = {}): Book {
  const { words = 3_000, chapters = 3, scenes = 3 } = options;
  const paragraphWords = 60;
  const paragraphsPerScene = Math.max(1, Math.round(words / (chapters * scenes * paragraphWords)));
  const bookChapters: BookChapter[] = [];
  let total = 0;
  for (let number = 1; number <= chapters; number += 1) {
    const chapterScenes: string[][] = [];
    for (let scene = 1; scene <= scenes; scene += 1) {
      const paragraphs: string[] = [];
      for (let index = 0; index < paragraphsPerScene; index += 1) paragraphs.push(paragraph(number * 31 + scene * 7 + index, paragraphWords));
      total += paragraphsPerScene * paragraphWords;
      chapterScenes.push(paragraphs);
    }
    bookChapters.push({ number, title: number === 1 ? "Café at Dawn — Кафе" : `The Long Road ${number}`, scenes: chapterScenes });
  }
  const first = bookChapters[0];
  if (first) first.scenes[0] = [...UNICODE_LINES, ...(first.scenes[0] ?? [])];
  return {
    id: "4f1c2a9e-7b3d-4e8a-9c21-5d6e7f809a1b",
    title: UNICODE_TITLE,
    author: UNICODE_AUTHOR,
    language: "en",
    genre: "literary",
    chapters: bookChapters,
    words: total,
    trim: "6x9",
    modifiedAt: new Date("2026-03-14T09:26:53Z"),
  };
}
