import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyrightLine, SCENE_BREAK } from "./book";
import { forgetLineLayouts, PdfExporter } from "./pdf";
import { sampleBook, UNICODE_AUTHOR, UNICODE_LINES, UNICODE_TITLE } from "../testing/sample-book";

const run = promisify(execFile);

/** Runs one of poppler's tools and returns what it printed. */
async function poppler(tool: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(tool, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Collapses whitespace: lines wrap wherever the layout breaks them. */
function normalise(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** One field of pdfinfo's report, e.g. `Title`. */
function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s+(.*)$`, "m").exec(info)?.[1];
}

function decodeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** A line of text as poppler sees it, in points from the top left corner of its page. */
interface Line {
  top: number;
  left: number;
  width: number;
  text: string;
}

interface Layout {
  /** Each page's lines, top to bottom. */
  pages: Line[][];
  outline: { page: number; title: string }[];
}

/**
 * The lines of every page and the outline, from `pdftohtml -xml` (poppler
 * 22.12 prints `<text top left width height font>` per run of text and
 * `<outline><item page="N">title</item>`). Runs at the same height are
 * joined into one line, since poppler may split a justified line at a wide
 * gap; whitespace is collapsed, since it may widen a wide gap to several spaces.
 */
async function layoutOf(path: string): Promise<Layout> {
  const xml = await poppler("pdftohtml", "-xml", "-stdout", "-i", "-zoom", "1", path);
  const pages = [...xml.matchAll(/<page number="\d+"[^>]*>([\s\S]*?)<\/page>/g)].map(([, body = ""]) => {
    const lines = new Map<number, Line>();
    for (const [, top, left, width, text = ""] of body.matchAll(/<text top="([\d.]+)" left="([\d.]+)" width="([\d.]+)"[^>]*>(.*?)<\/text>/g)) {
      const piece = { top: Number(top), left: Number(left), width: Number(width), text: normalise(decodeXml(text.replace(/<[^>]+>/g, ""))) };
      const line = lines.get(piece.top);
      if (!line) {
        lines.set(piece.top, piece);
        continue;
      }
      const [first, second] = line.left <= piece.left ? [line, piece] : [piece, line];
      lines.set(piece.top, { top: piece.top, left: first.left, width: second.left + second.width - first.left, text: `${first.text} ${second.text}` });
    }
    return [...lines.values()].sort((a, b) => a.top - b.top);
  });
  const outline = [...xml.matchAll(/<item page="(\d+)">(.*?)<\/item>/g)].map(([, page, title = ""]) => ({ page: Number(page), title: decodeXml(title) }));
  return { pages, outline };
}

/** 6 x 9 in pages with 0.7 in side margins and 0.75 in top and bottom margins, in points. */
const PAGE = { left: 50.4, measure: 331.2, textBottom: 594, indent: 24 };

/** pdftohtml rounds positions to whole points. */
function expectNear(actual: number | undefined, expected: number, tolerance = 1): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(tolerance);
}

describe("PdfExporter", () => {
  const exporter = new PdfExporter();
  const book = sampleBook();
  let dir: string;
  let path: string;
  let path5x8: string;
  let layout: Layout;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "scriptorium-pdf-"));
    path = join(dir, "book.pdf");
    path5x8 = join(dir, "book-5x8.pdf");
    await writeFile(path, await exporter.build(book));
    await writeFile(path5x8, await exporter.build({ ...book, trim: "5x8" }));
    layout = await layoutOf(path);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("describes itself as a PDF", () => {
    expect([exporter.format, exporter.mimeType, exporter.extension]).toEqual(["pdf", "application/pdf", "pdf"]);
  });

  it("sets the trim size, the title, the author and the book's date, on enough pages for its chapters", async () => {
    const info = await poppler("pdfinfo", "-enc", "UTF-8", "-isodates", path);
    expect(infoField(info, "Page size")).toBe("432 x 648 pts");
    expect(infoField(info, "Title")).toBe(UNICODE_TITLE);
    expect(infoField(info, "Author")).toBe(UNICODE_AUTHOR);
    const modified = book.modifiedAt.toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(infoField(info, "CreationDate")).toBe(modified);
    expect(infoField(info, "ModDate")).toBe(modified);
    expect(Number(infoField(info, "Pages"))).toBeGreaterThanOrEqual(book.chapters.length + 2);
  });

  it("sets a 5x8 book on 360 x 576 pt pages, more of them for the same text", async () => {
    const info = await poppler("pdfinfo", path5x8);
    const info6x9 = await poppler("pdfinfo", path);
    expect(infoField(info, "Page size")).toBe("360 x 576 pts");
    expect(Number(infoField(info, "Pages"))).toBeGreaterThan(Number(infoField(info6x9, "Pages")));
  });

  it("embeds DejaVu Serif, and no other font", async () => {
    const report = await poppler("pdffonts", path);
    // Rows follow the dashed rule; the last five columns are emb, sub, uni, object and generation.
    const rows = report.split("\n").slice(2).filter((row) => row.trim() !== "").map((row) => row.trim().split(/\s+/));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row[0]).toMatch(/^[A-Z]{6}\+DejaVuSerif$/);
      expect(row.at(-5)).toBe("yes");
    }
  });

  it("carries the text, Unicode included, through to text extraction", async () => {
    const text = normalise(await poppler("pdftotext", "-enc", "UTF-8", path, "-"));
    for (const expected of [UNICODE_TITLE, UNICODE_AUTHOR, copyrightLine(book), ...UNICODE_LINES, ...book.chapters.map((chapter) => chapter.title)]) {
      expect(text).toContain(expected);
    }
    const sceneBreaks = book.chapters.reduce((count, chapter) => count + chapter.scenes.length - 1, 0);
    expect(text.split(SCENE_BREAK).length - 1).toBe(sceneBreaks);
  });

  it("opens each chapter on a new page under its title, with a bookmark to that page", () => {
    expect(layout.outline.map((item) => item.title)).toEqual(book.chapters.map((chapter) => chapter.title));
    let previous = 2;
    for (const { page, title } of layout.outline) {
      expect(page).toBeGreaterThan(previous);
      expect(layout.pages[page - 1]?.[0]?.text).toBe(title);
      previous = page;
    }
  });

  it("numbers every page after the title and copyright pages at its foot, counting from 1", () => {
    expect(layout.pages.length).toBeGreaterThan(3);
    layout.pages.forEach((lines, index) => {
      const foot = lines.filter((line) => line.top > PAGE.textBottom).map((line) => line.text);
      expect(foot).toEqual(index < 2 ? [] : [String(index - 1)]);
    });
  });

  it("justifies body paragraphs and indents all but the first after a heading or scene break", () => {
    const chapterPages = new Set(layout.outline.map((item) => item.page));
    const firstChapter = layout.pages[(layout.outline[0]?.page ?? 0) - 1] ?? [];
    const paragraphStart = (text: string) => firstChapter.find((line) => line.text.startsWith(text.slice(0, 20)))?.left;
    expectNear(paragraphStart(UNICODE_LINES[0]), PAGE.left);
    expectNear(paragraphStart(UNICODE_LINES[1]), PAGE.left + PAGE.indent);

    let sceneBreaks = 0;
    let fullLines = 0;
    layout.pages.forEach((lines, index) => {
      const page = index + 1;
      if (page <= 2) return;
      // The text block: the page number below it left out, and a chapter's heading.
      const body = lines.filter((line) => line.top < PAGE.textBottom).slice(chapterPages.has(page) ? 1 : 0);
      body.forEach((line, lineIndex) => {
        const next = body[lineIndex + 1];
        if (line.text === SCENE_BREAK) {
          // Centred, within the letter spacing pdfkit leaves after the last asterisk.
          expectNear(line.left + line.width / 2, PAGE.left + PAGE.measure / 2, 2);
          expectNear(next?.left, PAGE.left);
          sceneBreaks += 1;
        } else if (next && next.text !== SCENE_BREAK && Math.abs(next.left - PAGE.left) <= 1) {
          // The paragraph goes on unindented on the next line, so this is not its last: it ends flush right.
          expectNear(line.left + line.width, PAGE.left + PAGE.measure, 1.5);
          fullLines += 1;
        }
      });
    });
    expect(sceneBreaks).toBe(book.chapters.reduce((count, chapter) => count + chapter.scenes.length - 1, 0));
    expect(fullLines).toBeGreaterThan(100);
  });

  it("builds the same bytes from the same book", async () => {
    const [first, second] = await Promise.all([exporter.build(book), exporter.build(book)]);
    expect(Buffer.compare(first, second)).toBe(0);
  });

  it("drops the layouts of justified lines between chapters, and keeps the words'", () => {
    // The cache is internal to pdfkit: this fails if a pdfkit version moves it, which would let a long book's layouts pile up again.
    const doc = new PDFDocument({ autoFirstPage: false });
    doc.font(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSerif.ttf")).fontSize(11);
    doc.addPage();
    const paragraph = "The lantern swung on its hook while the rain came down over the harbour and the boats knocked together. ".repeat(4);
    doc.text(paragraph, { width: 300, align: "justify" });
    const cache = (doc as unknown as { _font: { layoutCache: Record<string, unknown> } })._font.layoutCache;
    expect(Object.keys(cache)).toContain("lantern ");
    const lines = Object.keys(cache).filter((key) => key.length > 32).length;
    expect(lines).toBeGreaterThan(0);

    expect(forgetLineLayouts(doc)).toBe(lines);
    expect(Object.keys(cache)).toContain("lantern ");
    expect(Object.keys(cache).every((key) => key.length <= 32)).toBe(true);
    doc.end();
  });
});
