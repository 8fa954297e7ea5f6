import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import {
  chapterHeading,
  DocxExporter,
  EpubExporter,
  MarkdownExporter,
  paragraphsOf,
  PdfExporter,
  type Book,
  type BookExporter,
  type ProjectBrief,
} from "@scriptorium/domain";
import { writeBookOffline } from "./generation";
import type { BenchResult } from "./report";

const run = promisify(execFile);
const RUNS = 3;
const BRIEF: ProjectBrief = {
  title: "Élodie’s Road — Дорога домой",
  author: "Zoë Ångström",
  genre: "literary",
  synopsis: "",
  protagonist: "",
  tone: "",
  language: "en",
  target_words: 100_000,
  chapters: 30,
  scenes_per_chapter: 3,
  seed: 20_261_123,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall time of each of `RUNS` calls, the first one (cold, in a process that has not built this format yet) included. */
async function timed(work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * A 100 000-word offline manuscript exported to each format, against
 * pandoc converting the same text (as the Markdown export writes it) to
 * DOCX and EPUB, in the same run.
 */
export async function benchExports(): Promise<BenchResult[]> {
  const written = await writeBookOffline(BRIEF);
  const book: Book = {
    id: "7d3f6a1e-2b4c-4d5e-8f90-a1b2c3d4e5f6",
    title: BRIEF.title,
    author: BRIEF.author,
    language: "en",
    genre: BRIEF.genre,
    chapters: written.chapters.map((chapter) => ({ number: chapter.number, title: chapterHeading(chapter.number, chapter.title), scenes: chapter.scenes.map(paragraphsOf) })),
    words: written.chapters.reduce((sum, chapter) => sum + chapter.scenes.reduce((words, scene) => words + scene.split(/\s+/).length, 0), 0),
    trim: "6x9",
    modifiedAt: new Date("2026-11-23T12:00:00Z"),
  };
  const dir = mkdtempSync(join(tmpdir(), "scriptorium-bench-exports-"));
  try {
    const markdown = join(dir, "book.md");
    writeFileSync(markdown, await new MarkdownExporter().build(book));
    const ours = async (exporter: BookExporter) => timed(() => exporter.build(book));
    const pandoc = async (format: "docx" | "epub") =>
      timed(() => run("pandoc", ["--from", "commonmark", "--metadata", `title=${book.title}`, "--toc", "--output", join(dir, `pandoc.${format}`), markdown]));

    const results: BenchResult[] = [];
    for (const [exporter, format] of [
      [new DocxExporter(), "docx"],
      [new EpubExporter(), "epub"],
    ] as const) {
      const mine = await ours(exporter);
      const theirs = await pandoc(format);
      results.push({
        name: `export ${format.toUpperCase()}, ${book.words.toLocaleString("en-US")} words`,
        value: `median ${seconds(median(mine))} (first ${seconds(mine[0] ?? 0)})`,
        comparison: `pandoc median ${seconds(median(theirs))}; ${(median(theirs) / median(mine)).toFixed(1)}× faster`,
        target: "faster than pandoc on the same text",
        pass: median(mine) < median(theirs),
      });
    }
    const pdf = await ours(new PdfExporter());
    results.push({
      name: `export PDF, ${book.words.toLocaleString("en-US")} words`,
      value: `median ${seconds(median(pdf))} (first ${seconds(pdf[0] ?? 0)})`,
      comparison: `slowest of ${RUNS}: ${seconds(Math.max(...pdf))}`,
      target: "≤ 5 s",
      pass: Math.max(...pdf) <= 5_000,
    });
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
