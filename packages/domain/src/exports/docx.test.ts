import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadingLevel, Packer, Paragraph, Document as WordDocument } from "docx";
import { strFromU8, unzipSync } from "fflate";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SCENE_BREAK, copyrightLine, type Book } from "./book";
import { DocxExporter } from "./docx";
import { UNICODE_AUTHOR, UNICODE_LINES, UNICODE_TITLE, sampleBook } from "../testing/sample-book";
import { convertToPdfWithLibreOffice, pdfInfo, pdfPages } from "../testing/export-validators";

/** The package's files by path, as text. */
function unzip(bytes: Uint8Array): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, data] of Object.entries(unzipSync(bytes))) files[path] = strFromU8(data);
  return files;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

interface WordParagraph {
  style: string | undefined;
  pageBreakBefore: boolean;
  text: string;
}

/** The paragraphs of a WordprocessingML part, in order (the document has no tables or text boxes to nest them). */
function paragraphsOf(xml: string): WordParagraph[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>/g)].map(([, inner = ""]) => ({
    style: /<w:pStyle w:val="([^"]+)"\/>/.exec(inner)?.[1],
    pageBreakBefore: inner.includes("<w:pageBreakBefore/>"),
    text: unescapeXml([...inner.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map(([, text = ""]) => text).join("")),
  }));
}

/** The definition of a style in `word/styles.xml`, or "" when it has none. */
function styleOf(stylesXml: string, id: string): string {
  return new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>([\\s\\S]*?)</w:style>`).exec(stylesXml)?.[1] ?? "";
}

/** The styles and text the chapters must be written as: a heading, then each scene, unindented after a heading or break. */
function expectedBody(book: Book): Omit<WordParagraph, "pageBreakBefore">[] {
  const expected: Omit<WordParagraph, "pageBreakBefore">[] = [];
  for (const chapter of book.chapters) {
    expected.push({ style: "Heading1", text: chapter.title });
    chapter.scenes.forEach((scene, sceneIndex) => {
      if (sceneIndex > 0) expected.push({ style: "SceneBreak", text: SCENE_BREAK });
      scene.forEach((text, index) => expected.push({ style: index === 0 ? "FirstParagraph" : "BodyText", text }));
    });
  }
  return expected;
}

describe("DocxExporter", () => {
  const exporter = new DocxExporter();

  afterEach(() => {
    vi.useRealTimers();
  });

  it("describes the format", () => {
    expect(exporter.format).toBe("docx");
    expect(exporter.extension).toBe("docx");
    expect(exporter.mimeType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  });

  it("writes the front matter, a table of contents field and every chapter", async () => {
    const book = sampleBook({ chapters: 3, scenes: 4 });
    const files = unzip(await exporter.build(book));
    const documentXml = files["word/document.xml"] ?? "";
    const paragraphs = paragraphsOf(documentXml);

    expect(paragraphs.slice(0, 4)).toEqual([
      { style: "Title", pageBreakBefore: false, text: UNICODE_TITLE },
      { style: "Author", pageBreakBefore: false, text: UNICODE_AUTHOR },
      { style: "Copyright", pageBreakBefore: true, text: copyrightLine(book) },
      { style: "TOCHeading", pageBreakBefore: true, text: "Contents" },
    ]);
    expect(documentXml).toContain(escapeXml(UNICODE_TITLE));
    expect(documentXml).toContain(escapeXml(UNICODE_AUTHOR));

    // A TOC field of the Heading 1 paragraphs, hyperlinked, pre-filled with the chapter titles.
    expect(documentXml).toMatch(/<w:instrText[^>]*>TOC \\h \\o &quot;1-1&quot;<\/w:instrText>/);
    const entries = paragraphs.filter((paragraph) => paragraph.style === "TOC1").map((paragraph) => paragraph.text);
    expect(entries).toEqual(book.chapters.map((chapter) => chapter.title));
    expect(files["word/settings.xml"]).toContain("<w:updateFields/>");

    // The chapters, each heading on a new page, scene breaks between the scenes.
    const firstHeading = paragraphs.findIndex((paragraph) => paragraph.style === "Heading1");
    const body = paragraphs.slice(firstHeading);
    expect(body.map(({ style, text }) => ({ style, text }))).toEqual(expectedBody(book));
    const headings = body.filter((paragraph) => paragraph.style === "Heading1");
    expect(headings.map((heading) => heading.text)).toEqual(["Café at Dawn — Кафе", "The Long Road 2", "The Long Road 3"]);
    expect(headings.every((heading) => heading.pageBreakBefore)).toBe(true);
    const sceneBreaks = paragraphs.filter((paragraph) => paragraph.text === SCENE_BREAK);
    expect(sceneBreaks).toHaveLength(3 * (4 - 1));
    expect(sceneBreaks.every((paragraph) => paragraph.style === "SceneBreak")).toBe(true);

    for (const line of UNICODE_LINES) {
      expect(documentXml).toContain(escapeXml(line));
      expect(paragraphs.map((paragraph) => paragraph.text)).toContain(line);
    }
    expect(documentXml).toContain("Fish &amp; chips &lt;cost&gt; 5 * 3 # [not] a _link_.");
  });

  it("writes the chapters' paragraphs byte for byte as docx itself writes them", async () => {
    const book = sampleBook({ chapters: 2, scenes: 2 });
    const awkward = ['Quotes "straight" and \'single\', <tags> & ampersands; ]]> too', "Control\u0001 characters\u000B dropped,\ttab and\nnewline kept", "   spaces kept   "];
    book.chapters.push({ number: 3, title: 'A "quoted" & <odd> title', scenes: [["Before the break."], awkward] });

    // The chapters as docx writes them when given every paragraph (the way this exporter once built them).
    const paragraphs = book.chapters.flatMap((chapter) => [
      new Paragraph({ text: chapter.title, heading: HeadingLevel.HEADING_1, pageBreakBefore: true }),
      ...chapter.scenes.flatMap((scene, sceneIndex) => [
        ...(sceneIndex > 0 ? [new Paragraph({ text: SCENE_BREAK, style: "SceneBreak" })] : []),
        ...scene.map((text, index) => new Paragraph({ text, style: index === 0 ? "FirstParagraph" : "BodyText" })),
      ]),
    ]);
    const reference = unzip(await Packer.toBuffer(new WordDocument({ sections: [{ children: paragraphs }] })))["word/document.xml"] ?? "";
    const chapters = (xml: string) => xml.slice(xml.indexOf('<w:p><w:pPr><w:pStyle w:val="Heading1"/>'), xml.lastIndexOf("<w:sectPr>"));

    const written = chapters(unzip(await exporter.build(book))["word/document.xml"] ?? "");
    expect(written).toContain("&quot;straight&quot;");
    expect(written).toContain("Control characters dropped");
    expect(written).toBe(chapters(reference));
  });

  it("defines justified, indented body styles once, in the styles part", async () => {
    const files = unzip(await exporter.build(sampleBook()));
    const stylesXml = files["word/styles.xml"] ?? "";

    const bodyText = styleOf(stylesXml, "BodyText");
    expect(bodyText).toContain('<w:jc w:val="both"/>');
    expect(Number(/<w:ind w:firstLine="(\d+)"\/>/.exec(bodyText)?.[1])).toBeGreaterThan(0);
    const firstParagraph = styleOf(stylesXml, "FirstParagraph");
    expect(firstParagraph).toContain('<w:basedOn w:val="BodyText"/>');
    expect(firstParagraph).toContain('<w:ind w:firstLine="0"/>');
    expect(styleOf(stylesXml, "SceneBreak")).toContain('<w:jc w:val="center"/>');
    expect(styleOf(stylesXml, "Heading1")).toContain('<w:name w:val="Heading 1"/>');
    expect(stylesXml).toMatch(/<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Georgia"[^>]*\/>.*<w:lang w:val="en"\/>/);

    // Formatting lives in the styles: the body paragraphs carry nothing but their style.
    const documentXml = files["word/document.xml"] ?? "";
    expect(documentXml).not.toContain("<w:jc ");
    expect(documentXml).not.toContain("<w:ind ");
  });

  it("sizes the page from the trim, and numbers the body's pages but not the front matter's", async () => {
    const sixByNine = unzip(await exporter.build(sampleBook()))["word/document.xml"] ?? "";
    const sizes = [...sixByNine.matchAll(/<w:pgSz w:w="(\d+)" w:h="(\d+)"/g)].map(([, width, height]) => `${width}x${height}`);
    expect(sizes).toEqual(["8640x12960", "8640x12960"]);

    const fiveByEight = unzip(await exporter.build({ ...sampleBook(), trim: "5x8" }))["word/document.xml"] ?? "";
    const smallSizes = [...fiveByEight.matchAll(/<w:pgSz w:w="(\d+)" w:h="(\d+)"/g)].map(([, width, height]) => `${width}x${height}`);
    expect(smallSizes).toEqual(["7200x11520", "7200x11520"]);

    const [frontMatter = "", body = ""] = [...sixByNine.matchAll(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g)].map(([section]) => section);
    expect(frontMatter).not.toContain("<w:footerReference");
    expect(body).toMatch(/<w:footerReference w:type="default"/);
    expect(body).toContain('<w:pgNumType w:start="1"/>');
  });

  it("writes the footer's page number as a PAGE field", async () => {
    const files = unzip(await exporter.build(sampleBook()));
    const footers = Object.keys(files).filter((path) => /^word\/footer\d+\.xml$/.test(path));
    expect(footers).toHaveLength(1);
    expect(files[footers[0] ?? ""]).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
  });

  it("sets the core properties from the book, dated when it last changed", async () => {
    const book = { ...sampleBook(), language: "ru" };
    const core = unzip(await exporter.build(book))["docProps/core.xml"] ?? "";
    expect(core).toContain(`<dc:title>${UNICODE_TITLE}</dc:title>`);
    expect(core).toContain(`<dc:creator>${UNICODE_AUTHOR}</dc:creator>`);
    expect(core).toContain("<dc:language>ru</dc:language>");
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-14T09:26:53Z</dcterms:created>');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-14T09:26:53Z</dcterms:modified>');
  });

  it("builds the same bytes from the same book, whenever it is built", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const first = await exporter.build(sampleBook());
    // A day later, in another process's exporter: the zip entries are dated from the book, not the clock.
    vi.setSystemTime(new Date("2030-01-02T12:00:00Z"));
    const later = await new DocxExporter().build(sampleBook());
    expect(Buffer.from(later).equals(Buffer.from(first))).toBe(true);
  });

  it(
    "converts to a PDF with LibreOffice, on 6x9 pages, with the text intact",
    async () => {
      const book = sampleBook();
      const dir = mkdtempSync(join(tmpdir(), "scriptorium-docx-"));
      try {
        const docxPath = join(dir, "book.docx");
        writeFileSync(docxPath, await exporter.build(book));
        const pdfPath = await convertToPdfWithLibreOffice(docxPath, dir);
        expect((await pdfInfo(pdfPath))["Page size"]).toBe("432 x 648 pts");
        const pages = await pdfPages(pdfPath);
        const all = pages.join(" ");
        expect(all).toContain(UNICODE_TITLE);
        expect(all).toContain(UNICODE_LINES[1]);
        for (const chapter of book.chapters) expect(all).toContain(chapter.title);

        // The title page has no page number; the first chapter's page is page 1.
        expect(pages[0]).toBe(`${UNICODE_TITLE} ${UNICODE_AUTHOR}`);
        const firstChapter = pages.find((page) => page.startsWith(book.chapters[0]?.title ?? "?"));
        expect(firstChapter).toMatch(/ 1$/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
