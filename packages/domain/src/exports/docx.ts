import { unzipSync, zipSync } from "fflate";
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

/** The chapters: each title a Heading 1 on a new page, then its scenes separated by scene breaks. */
function bodyParagraphs(book: Book): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  for (const chapter of book.chapters) {
    paragraphs.push(new Paragraph({ text: chapter.title, heading: HeadingLevel.HEADING_1, pageBreakBefore: true }));
    for (const [sceneIndex, scene] of chapter.scenes.entries()) {
      if (sceneIndex > 0) paragraphs.push(new Paragraph({ text: SCENE_BREAK, style: STYLE.sceneBreak }));
      for (const [index, text] of scene.entries()) {
        paragraphs.push(new Paragraph({ text, style: index === 0 ? STYLE.firstParagraph : STYLE.body }));
      }
    }
  }
  return paragraphs;
}

/** Builds a print-ready Word document: front matter, a table of contents Word fills in, and the chapters. */
/**
 * The library stamps every zip entry with the clock; the same entries,
 * in the same order, stamped with the text's date instead make the same
 * book build the same bytes (and so the same ETag) every time.
 */
function restamped(packed: Uint8Array, date: Date): Uint8Array {
  const entries = unzipSync(packed);
  return zipSync(Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, [data, { mtime: zipTimestamp(date) }]])), { level: 6 });
}

export class DocxExporter implements BookExporter {
  readonly format = "docx" as const;
  readonly mimeType = exportContentType("docx");
  readonly extension = EXPORT_FILE_TYPES.docx.extension;

  async build(book: Book): Promise<Uint8Array> {
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
          children: bodyParagraphs(book),
        },
      ],
    });
    const packed = await Packer.toBuffer(document, false, [{ path: "docProps/core.xml", data: coreProperties(book) }]);
    return restamped(packed, book.modifiedAt);
  }
}
