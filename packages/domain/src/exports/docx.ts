import { randomUUID } from "node:crypto";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  SectionType,
  TableOfContents,
  TextRun,
  type IStylesOptions,
} from "docx";
import { EXPORT_FILE_TYPES, exportContentType } from "@scriptorium/contract";
import { SCENE_BREAK, TRIM_INCHES, copyrightLine, zipTimestamp, type Book, type BookExporter } from "./book";

const TWIPS_PER_INCH = 1440;
/** Ships with Windows and macOS; where it is missing (Linux), LibreOffice substitutes another serif. */
const SERIF = "Georgia";
/** Half-points: 11 pt body text, the usual size for a trade paperback. */
const BODY_SIZE = 22;
/** The first-line indent of body paragraphs: a third of an inch, as printed novels use. */
const FIRST_LINE_INDENT = 480;

/** Style ids, defined once in the document's styles and referred to by every paragraph. */
const STYLE = {
  body: "BodyText",
  firstParagraph: "FirstParagraph",
  sceneBreak: "SceneBreak",
  author: "Author",
  copyright: "Copyright",
  contentsHeading: "TOCHeading",
  contentsEntry: "TOC1",
  footer: "Footer",
} as const;

/** Margins in twips by trim: the smaller trim keeps a usable measure with narrower margins. */
const MARGINS = {
  "6x9": { top: 1080, bottom: 1080, left: 1008, right: 1008, footer: 576 },
  "5x8": { top: 936, bottom: 936, left: 864, right: 864, footer: 504 },
} as const;

/** Every style the document uses, defined once; `language` is the text's, for spelling and hyphenation. */
function styles(language: string): IStylesOptions {
  return {
    default: {
      document: {
        run: { font: SERIF, size: BODY_SIZE, language: { value: language } },
        paragraph: { spacing: { before: 0, after: 0, line: 288, lineRule: LineRuleType.AUTO } },
      },
      title: {
        run: { size: 48 },
        paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 2880, after: 480 } },
      },
      heading1: {
        run: { size: 32 },
        next: STYLE.firstParagraph,
        // Chapters open well down their page (a chapter drop), as books set them.
        paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 2160, after: 720 }, keepNext: true, outlineLevel: 0 },
      },
    },
    paragraphStyles: [
      {
        id: STYLE.body,
        name: "Body Text",
        basedOn: "Normal",
        paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: FIRST_LINE_INDENT } },
      },
      {
        // Books leave the first paragraph after a heading or scene break unindented.
        id: STYLE.firstParagraph,
        name: "First Paragraph",
        basedOn: STYLE.body,
        next: STYLE.body,
        paragraph: { indent: { firstLine: 0 } },
      },
      {
        id: STYLE.sceneBreak,
        name: "Scene Break",
        basedOn: "Normal",
        next: STYLE.firstParagraph,
        paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 }, keepNext: true },
      },
      {
        id: STYLE.author,
        name: "Author",
        basedOn: "Normal",
        run: { size: 28 },
        paragraph: { alignment: AlignmentType.CENTER },
      },
      {
        id: STYLE.copyright,
        name: "Copyright",
        basedOn: "Normal",
        run: { size: 18 },
      },
      {
        id: STYLE.contentsHeading,
        name: "TOC Heading",
        basedOn: "Normal",
        run: { size: 32 },
        paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 2160, after: 720 } },
      },
      {
        id: STYLE.footer,
        name: "footer",
        basedOn: "Normal",
        run: { size: 18 },
        paragraph: { alignment: AlignmentType.CENTER },
      },
    ],
  };
}

/** The main part of the package, which holds the text. */
const DOCUMENT_PART = "word/document.xml";

/** Escapes text for an XML text node. */
function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * The core properties (title, author, language, dates), written by hand in
 * place of docx's, which stamp the clock, so the same book would not build
 * the same bytes, and have no language.
 */
function coreProperties(book: Book): string {
  const modified = book.modifiedAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(book.title)}</dc:title>` +
    `<dc:creator>${escapeXml(book.author)}</dc:creator>` +
    `<dc:language>${escapeXml(book.language)}</dc:language>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${modified}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${modified}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}

/**
 * The table of contents: a TOC field of the Heading 1 paragraphs, which Word
 * fills in with links and page numbers when it updates the field. Until then,
 * and in readers that never update fields, it shows the chapter titles it is
 * pre-filled with. They are written as plain paragraphs because docx's
 * `cachedEntries` put the page number's tab stop where a Letter page's margin
 * is, past a 6x9 page's, and the entries docx makes from the headings link to
 * bookmarks numbered from a counter shared by every document the process
 * builds, so the same book would not build the same document twice.
 */
function tableOfContents(book: Book): TableOfContents {
  const entries = book.chapters.map((chapter) => new Paragraph({ text: chapter.title, style: STYLE.contentsEntry }));
  return new TableOfContents("Contents", { headingStyleRange: "1-1", hyperlink: true, contentChildren: entries });
}

/** The kinds of paragraph the chapters are made of. */
type BodyKind = "heading" | "first" | "body" | "sceneBreak";
const BODY_KINDS: readonly BodyKind[] = ["heading", "first", "body", "sceneBreak"];

/** One paragraph of each kind, as docx is given it; `text` is what it says. */
function bodySample(kind: BodyKind, text: string): Paragraph {
  switch (kind) {
    case "heading":
      return new Paragraph({ text, heading: HeadingLevel.HEADING_1, pageBreakBefore: true });
    case "first":
      return new Paragraph({ text, style: STYLE.firstParagraph });
    case "body":
      return new Paragraph({ text, style: STYLE.body });
    case "sceneBreak":
      return new Paragraph({ text, style: STYLE.sceneBreak });
  }
}

/** A paragraph's XML as docx writes it, on either side of its text. */
interface ParagraphXml {
  before: string;
  after: string;
}

/** `word/document.xml` around the chapters, and the XML of each kind of paragraph in them. */
interface BodyTemplate {
  head: string;
  tail: string;
  paragraphs: Record<BodyKind, ParagraphXml>;
}

/**
 * Splits the document docx wrote with one marked paragraph of each kind in
 * place of the chapters. Each marker is the only one of its kind in the
 * document (the random part cannot come from the book), and the four
 * paragraphs must stand together, where the chapters go: anything else
 * means docx writes paragraphs in a way this does not know, and the build
 * fails rather than write a broken file.
 */
function splitBody(documentXml: string, marker: string): BodyTemplate {
  const paragraphs: Partial<Record<BodyKind, ParagraphXml>> = {};
  let head: string | undefined;
  let end = -1;
  for (const kind of BODY_KINDS) {
    const text = `${marker}-${kind}`;
    const at = documentXml.indexOf(text);
    const start = documentXml.lastIndexOf("<w:p>", at);
    const close = documentXml.indexOf("</w:p>", at);
    if (at < 0 || documentXml.indexOf(text, at + 1) >= 0 || start < 0 || close < 0 || (end >= 0 && start !== end)) {
      throw new Error(`docx wrote the ${kind} paragraph in an unexpected shape`);
    }
    head ??= documentXml.slice(0, start);
    end = close + "</w:p>".length;
    paragraphs[kind] = { before: documentXml.slice(start, at), after: documentXml.slice(at + text.length, end) };
  }
  return { head: head ?? "", tail: documentXml.slice(end), paragraphs: paragraphs as Record<BodyKind, ParagraphXml> };
}

/**
 * Escapes text as docx does for a text node (the five XML entities, and
 * control characters XML 1.0 cannot carry left out), so that the chapters
 * read the same as if docx had written them.
 */
function escapeText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching the control characters is the point
  return text.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (char) => TEXT_ESCAPES[char] ?? "");
}
const TEXT_ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", '"': "&quot;", "'": "&apos;", "<": "&lt;", ">": "&gt;" };

/**
 * `word/document.xml` as UTF-8, the chapters written a chapter at a time
 * from docx's own paragraph XML: each title a Heading 1 on a new page, then
 * its scenes separated by scene breaks. docx would hold an object tree, its
 * formatted copy and the whole XML string of a long book at once (some
 * 200 MiB for 500 000 words); this holds the text of one chapter besides
 * the bytes written.
 */
function documentXml(book: Book, template: BodyTemplate): Uint8Array<ArrayBuffer> {
  const { paragraphs } = template;
  const paragraph = (kind: BodyKind, text: string) => paragraphs[kind].before + escapeText(text) + paragraphs[kind].after;
  const parts: Uint8Array[] = [strToU8(template.head)];
  for (const chapter of book.chapters) {
    let xml = paragraph("heading", chapter.title);
    for (const [sceneIndex, scene] of chapter.scenes.entries()) {
      if (sceneIndex > 0) xml += paragraph("sceneBreak", SCENE_BREAK);
      for (const [index, text] of scene.entries()) xml += paragraph(index === 0 ? "first" : "body", text);
    }
    parts.push(strToU8(xml));
  }
  parts.push(strToU8(template.tail));
  const bytes = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/**
 * The library stamps every zip entry with the clock; the same entries,
 * in the same order, stamped with the text's date instead make the same
 * book build the same bytes (and so the same ETag) every time.
 */
function zipped(entries: Record<string, Uint8Array>, date: Date): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, [data, { mtime: zipTimestamp(date) }]])), { level: 6 });
}

/** Builds a print-ready Word document: front matter, a table of contents Word fills in, and the chapters. */
export class DocxExporter implements BookExporter {
  readonly format = "docx" as const;
  readonly mimeType = exportContentType("docx");
  readonly extension = EXPORT_FILE_TYPES.docx.extension;

  async build(book: Book): Promise<Uint8Array> {
    const marker = randomUUID();
    const trim = TRIM_INCHES[book.trim];
    const page = {
      size: { width: trim.widthIn * TWIPS_PER_INCH, height: trim.heightIn * TWIPS_PER_INCH },
      margin: MARGINS[book.trim],
    };
    const document = new Document({
      // Word asks to update the table of contents on opening, which fills in its page numbers.
      features: { updateFields: true },
      styles: styles(book.language),
      sections: [
        {
          // The front matter has no page numbers; the body counts from 1.
          properties: { page },
          children: [
            new Paragraph({ text: book.title, heading: HeadingLevel.TITLE }),
            new Paragraph({ text: book.author, style: STYLE.author }),
            new Paragraph({ text: copyrightLine(book), style: STYLE.copyright, pageBreakBefore: true }),
            new Paragraph({ text: "Contents", style: STYLE.contentsHeading, pageBreakBefore: true }),
            tableOfContents(book),
          ],
        },
        {
          properties: { type: SectionType.NEXT_PAGE, page: { ...page, pageNumbers: { start: 1 } } },
          footers: {
            default: new Footer({ children: [new Paragraph({ style: STYLE.footer, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }),
          },
          // One marked paragraph of each kind the chapters use, where they go; their XML is the template for the chapters.
          children: BODY_KINDS.map((kind) => bodySample(kind, `${marker}-${kind}`)),
        },
      ],
    });
    const packed = await Packer.toBuffer(document, false, [{ path: "docProps/core.xml", data: coreProperties(book) }]);
    const entries = unzipSync(packed);
    const template = splitBody(strFromU8(entries[DOCUMENT_PART] ?? new Uint8Array()), marker);
    entries[DOCUMENT_PART] = documentXml(book, template);
    return zipped(entries, book.modifiedAt);
  }
}
