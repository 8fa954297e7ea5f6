import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { EXPORT_FILE_TYPES, exportContentType, type TrimSize } from "@scriptorium/contract";
import { copyrightLine, SCENE_BREAK, TRIM_INCHES, type Book, type BookExporter } from "./book";
import { yieldToEventLoop } from "../event-loop";

const POINTS_PER_INCH = 72;

/**
 * Margins in points by trim, the same as the DOCX export's; `folio` is the
 * distance from the bottom edge of the page to the foot of the page number.
 */
const MARGINS: Record<TrimSize, { top: number; bottom: number; left: number; right: number; folio: number }> = {
  "6x9": { top: 54, bottom: 54, left: 50.4, right: 50.4, folio: 28.8 },
  "5x8": { top: 46.8, bottom: 46.8, left: 43.2, right: 43.2, folio: 25.2 },
};

/** Type sizes in points, as the DOCX export sets them. */
const SIZE = { title: 24, author: 14, copyright: 9, heading: 16, body: 11, folio: 9 } as const;
/** Extra space between body lines: DejaVu Serif's large x-height reads better with more than its own 1.16 em. */
const BODY_LINE_GAP = 2.5;
/** The first-line indent of body paragraphs: a third of an inch, as printed novels use. */
const FIRST_LINE_INDENT = 24;
/** Chapters open well down the page, as books set them: 1.5 in below the top margin, as in the DOCX export. */
const CHAPTER_SINK = 108;
const SPACE_AFTER_HEADING = 36;
const SCENE_BREAK_SPACE = 12;
/**
 * Letter spacing of the scene break. Books space its asterisks wide, and
 * text extraction (pdftotext and viewers) infers the spaces of such a short
 * line from the gaps, which a single space of DejaVu Serif is too narrow
 * for. Not word spacing: pdfkit centres a line with word spacing off-centre.
 */
const SCENE_BREAK_LETTER_SPACING = 3;
/** The title page's title starts two inches below the top margin. */
const TITLE_SINK = 144;
/** Title and copyright pages: they carry no page number, and the body counts from 1 after them. */
const FRONT_MATTER_PAGES = 2;

/**
 * DejaVu Serif covers Latin, Greek and Cyrillic; embedding it (pdfkit
 * subsets it) makes the text render and extract the same everywhere.
 * Resolved through the package, not a path next to this file, because this
 * module is bundled into the server with npm packages left external.
 */
const SERIF_PATH = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/ttf/DejaVuSerif.ttf");
let serifFont: Buffer | undefined;

/** The font file, read once per process. */
function serif(): Buffer {
  serifFont ??= readFileSync(SERIF_PATH);
  return serifFont;
}

/** Chunks gathered before they are copied into one block. */
const CHUNKS_PER_BLOCK = 512;

/**
 * Collects the document's bytes; resolves once pdfkit has written the
 * trailer. pdfkit writes many small chunks, and each compressed page stream
 * is a slice of zlib's 16 KiB output buffer: kept as they come, a long book's
 * few megabytes would hold tens of megabytes. Copying them into blocks as
 * they arrive lets those buffers go.
 */
function collect(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  const blocks: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    doc.on("data", (chunk: Uint8Array) => {
      pending.push(chunk);
      if (pending.length < CHUNKS_PER_BLOCK) return;
      blocks.push(Buffer.concat(pending));
      pending = [];
    });
    doc.on("end", () => resolve(Buffer.concat([...blocks, ...pending])));
    doc.on("error", reject);
  });
}

/** Longer strings than this in the layout cache are not words (see `forgetLineLayouts`). */
const LONGEST_WORD = 32;

/**
 * pdfkit keeps the glyph layout of every string it measures, per font, for
 * the whole document. Words recur and are worth keeping, but justified text
 * is also measured a line at a time with its spaces taken out, a string that
 * never recurs: over a 500 000-word book those entries hold some 180 MiB.
 * They are dropped between chapters, and the words stay, so layout keeps
 * its speed (turning the cache off, or clearing all of it, makes a long book
 * two to three times slower). The cache is internal to pdfkit (the current
 * font's `layoutCache`), so it is looked for with care: should a pdfkit
 * version keep it elsewhere, nothing is dropped and the book builds as
 * before, only with more memory. Returns how many entries went, or null
 * when there is no cache to look at.
 */
export function forgetLineLayouts(doc: PDFKit.PDFDocument): number | null {
  const font: unknown = (doc as unknown as { _font?: unknown })._font;
  if (typeof font !== "object" || font === null || !("layoutCache" in font)) return null;
  const cache = font.layoutCache;
  if (typeof cache !== "object" || cache === null) return null;
  let dropped = 0;
  for (const key of Object.keys(cache)) {
    if (key.length <= LONGEST_WORD) continue;
    delete (cache as Record<string, unknown>)[key];
    dropped += 1;
  }
  return dropped;
}

/**
 * A print-ready PDF at the book's trim size: title page, copyright page,
 * then each chapter on a new page, with a bookmark per chapter and page
 * numbers at the foot of every body page.
 */
export class PdfExporter implements BookExporter {
  readonly format = "pdf" as const;
  readonly mimeType = exportContentType("pdf");
  readonly extension = EXPORT_FILE_TYPES.pdf.extension;

  async build(book: Book): Promise<Uint8Array> {
    const trim = TRIM_INCHES[book.trim];
    const margins = MARGINS[book.trim];
    const pageWidth = trim.widthIn * POINTS_PER_INCH;
    const width = pageWidth - margins.left - margins.right;
    const doc = new PDFDocument({
      size: [pageWidth, trim.heightIn * POINTS_PER_INCH],
      margins,
      // Pages are added explicitly, after the font is set.
      autoFirstPage: false,
      lang: book.language,
      displayTitle: true,
      // pdfkit stamps the clock unless given a date, and derives the file ID
      // from these fields: fixing them makes the same book build the same bytes.
      info: { Title: book.title, Author: book.author, CreationDate: book.modifiedAt, ModDate: book.modifiedAt },
    });
    const bytes = collect(doc);
    doc.font(serif());

    let pagesAdded = 0;
    // Drawn as each page opens, so pages need not be buffered to number them
    // at the end. Pages also open in the middle of a paragraph: the position
    // and the body size are restored for the text to carry on.
    doc.on("pageAdded", () => {
      pagesAdded += 1;
      if (pagesAdded <= FRONT_MATTER_PAGES) return;
      const { x, y } = doc;
      const folio = String(pagesAdded - FRONT_MATTER_PAGES);
      doc.fontSize(SIZE.folio);
      const folioX = (pageWidth - doc.widthOfString(folio)) / 2;
      const folioY = doc.page.height - margins.folio - doc.currentLineHeight();
      doc.text(folio, folioX, folioY, { lineBreak: false });
      doc.fontSize(SIZE.body);
      doc.x = x;
      doc.y = y;
    });

    doc.addPage();
    doc.fontSize(SIZE.title).text(book.title, margins.left, margins.top + TITLE_SINK, { width, align: "center" });
    doc.moveDown(1);
    doc.fontSize(SIZE.author).text(book.author, { width, align: "center" });

    doc.addPage();
    doc.fontSize(SIZE.copyright).text(copyrightLine(book), { width });

    const body = { width, align: "justify", lineGap: BODY_LINE_GAP } as const;
    for (const chapter of book.chapters) {
      // Laying out a long book takes a second or two of CPU: give the event
      // loop a turn between chapters rather than hold it for the whole book.
      await yieldToEventLoop();
      forgetLineLayouts(doc);
      doc.addPage();
      doc.outline.addItem(chapter.title);
      doc.fontSize(SIZE.heading).text(chapter.title, margins.left, margins.top + CHAPTER_SINK, { width, align: "center" });
      doc.y += SPACE_AFTER_HEADING;
      doc.fontSize(SIZE.body);
      chapter.scenes.forEach((paragraphs, sceneIndex) => {
        if (sceneIndex > 0) {
          doc.y += SCENE_BREAK_SPACE;
          doc.text(SCENE_BREAK, { width, align: "center", lineGap: BODY_LINE_GAP, characterSpacing: SCENE_BREAK_LETTER_SPACING });
          doc.y += SCENE_BREAK_SPACE;
        }
        // No indent after a heading or a scene break: the space above marks the paragraph.
        paragraphs.forEach((text, index) => doc.text(text, { ...body, indent: index === 0 ? 0 : FIRST_LINE_INDENT }));
      });
    }

    doc.end();
    return bytes;
  }
}
