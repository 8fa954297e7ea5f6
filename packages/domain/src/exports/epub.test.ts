import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync, zipSync, type Zippable } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { SCENE_BREAK, type Book } from "./book";
import { EpubExporter } from "./epub";
import { sampleBook, UNICODE_AUTHOR, UNICODE_LINES, UNICODE_TITLE } from "../testing/sample-book";
import { epubcheck, epubcheckProblems, type EpubCheckReport } from "../testing/export-validators";

const exporter = new EpubExporter();
const dir = mkdtempSync(join(tmpdir(), "scriptorium-epub-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs EPUBCheck on the bytes and returns its parsed JSON report. */
function check(name: string, epub: Uint8Array): Promise<EpubCheckReport> {
  const file = join(dir, `${name}.epub`);
  writeFileSync(file, epub);
  return epubcheck(file);
}

function expectValid(report: EpubCheckReport): void {
  expect(epubcheckProblems(report)).toEqual([]);
  expect([report.checker.nFatal, report.checker.nError, report.checker.nWarning]).toEqual([0, 0, 0]);
}

/** The archive's entries as text, in archive order. */
async function entries(book: Book): Promise<Record<string, string>> {
  const text: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(await exporter.build(book)))) text[name] = strFromU8(data);
  return text;
}

function entry(files: Record<string, string>, name: string): string {
  const text = files[name];
  if (text === undefined) throw new Error(`${name} is missing; the archive has ${Object.keys(files).join(", ")}`);
  return text;
}

/** The first capture group of `pattern` in `text`, failing if absent. */
function capture(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`${pattern} not found`);
  return match[1];
}

/** A book whose metadata and text carry every XML-special character, a control character and an untitled chapter. */
function awkwardBook(chapters: number): Book {
  const book = sampleBook({ chapters });
  return {
    ...book,
    title: `Tom & "Jerry's" <Tale> > all`,
    author: `O'Brien & <Sons>`,
    chapters: book.chapters.map((chapter, index) =>
      index === 1 ? { ...chapter, title: "  " } : index === 2 ? { ...chapter, title: `"Quoted" & <angled> 'apostrophes'`, scenes: [["bell\u0007 rang > twice"], ...chapter.scenes] } : chapter,
    ),
  };
}

describe("EpubExporter", () => {
  it("declares the EPUB format", () => {
    expect([exporter.format, exporter.mimeType, exporter.extension]).toEqual(["epub", "application/epub+zip", "epub"]);
  });

  describe("EPUBCheck", () => {
    it("passes the sample book with no fatal error, error or warning", async () => {
      expectValid(await check("sample", await exporter.build(sampleBook())));
    }, 60_000);

    it("passes a 20-chapter book whose text and metadata hold XML-special characters", async () => {
      expectValid(await check("awkward", await exporter.build(awkwardBook(20))));
    }, 60_000);

    it("passes a book without chapters", async () => {
      expectValid(await check("empty", await exporter.build({ ...sampleBook(), chapters: [] })));
    }, 60_000);

    it("reports a compressed mimetype and a nav link to a missing chapter, so the checks above can fail", async () => {
      const files: Zippable = {};
      for (const [name, data] of Object.entries(unzipSync(await exporter.build(sampleBook())))) {
        files[name] = name === "EPUB/nav.xhtml" ? new TextEncoder().encode(strFromU8(data).replace('href="chapter-002.xhtml"', 'href="chapter-999.xhtml"')) : data;
      }
      const report = await check("broken", zipSync(files, { level: 6 }));
      const ids = report.messages.filter((message) => message.severity === "ERROR").map((message) => message.ID);
      expect(ids).toContain("PKG-007");
      expect(ids).toContain("RSC-007");
      expect(report.checker.nError).toBeGreaterThanOrEqual(2);
    }, 60_000);
  });

  describe("archive", () => {
    it("starts with a stored mimetype entry, as OCF requires, dated from modifiedAt in UTC", async () => {
      const bytes = await exporter.build(sampleBook());
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const nameLength = view.getUint16(26, true);
      expect(view.getUint32(0, true)).toBe(0x04034b50); // a local file header
      expect(view.getUint16(8, true)).toBe(0); // compression method: stored
      expect(view.getUint16(28, true)).toBe(0); // no extra field
      expect(strFromU8(bytes.subarray(30, 30 + nameLength))).toBe("mimetype");
      expect(strFromU8(bytes.subarray(30 + nameLength, 30 + nameLength + 20))).toBe("application/epub+zip");
      // DOS time and date of 2026-03-14T09:26:53Z; the format keeps seconds in steps of two.
      expect(view.getUint16(10, true)).toBe((9 << 11) | (26 << 5) | (52 >> 1));
      expect(view.getUint16(12, true)).toBe(((2026 - 1980) << 9) | (3 << 5) | 14);
    });

    it("holds the container, package, nav, NCX, stylesheet, front matter and one XHTML per chapter, in that order", async () => {
      const files = await entries(sampleBook({ chapters: 5 }));
      expect(Object.keys(files)).toEqual([
        "mimetype",
        "META-INF/container.xml",
        "EPUB/package.opf",
        "EPUB/toc.ncx",
        "EPUB/styles.css",
        "EPUB/title.xhtml",
        "EPUB/copyright.xhtml",
        "EPUB/nav.xhtml",
        "EPUB/chapter-001.xhtml",
        "EPUB/chapter-002.xhtml",
        "EPUB/chapter-003.xhtml",
        "EPUB/chapter-004.xhtml",
        "EPUB/chapter-005.xhtml",
      ]);
      expect(entry(files, "META-INF/container.xml")).toContain('<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>');
    });

    it("writes the package metadata from the book", async () => {
      const opf = entry(await entries(sampleBook()), "EPUB/package.opf");
      const idRef = capture(opf, /<package [^>]*unique-identifier="([^"]+)"/);
      expect(capture(opf, new RegExp(`<dc:identifier id="${idRef}">([^<]+)</dc:identifier>`))).toBe("urn:uuid:4f1c2a9e-7b3d-4e8a-9c21-5d6e7f809a1b");
      expect(capture(opf, /<dc:title>([^<]+)<\/dc:title>/)).toBe(UNICODE_TITLE);
      expect(capture(opf, /<dc:creator>([^<]+)<\/dc:creator>/)).toBe(UNICODE_AUTHOR);
      expect(capture(opf, /<dc:language>([^<]+)<\/dc:language>/)).toBe("en");
      expect(capture(opf, /<meta property="dcterms:modified">([^<]+)<\/meta>/)).toBe("2026-03-14T09:26:53Z");
      expect(capture(opf, /<spine toc="([^"]+)">/)).toBe("ncx");
      const spine = [...opf.matchAll(/<itemref idref="([^"]+)"\/>/g)].map((match) => match[1]);
      expect(spine).toEqual(["title-page", "copyright", "nav", "chapter-001", "chapter-002", "chapter-003"]);
    });

    it("lists every chapter title, in order, in the nav and the NCX", async () => {
      const book = sampleBook({ chapters: 12 });
      const files = await entries(book);
      const nav = capture(entry(files, "EPUB/nav.xhtml"), /<nav epub:type="toc" id="toc">([\s\S]*?)<\/nav>/);
      const navLinks = [...nav.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((match) => [match[1], match[2]]);
      expect(navLinks).toEqual(book.chapters.map((chapter, index) => [`chapter-${String(index + 1).padStart(3, "0")}.xhtml`, chapter.title]));
      const ncxLabels = [...entry(files, "EPUB/toc.ncx").matchAll(/<navLabel><text>([^<]*)<\/text><\/navLabel>/g)].map((match) => match[1]);
      expect(ncxLabels).toEqual(book.chapters.map((chapter) => chapter.title));
      const landmarks = capture(entry(files, "EPUB/nav.xhtml"), /<nav epub:type="landmarks"[^>]*>([\s\S]*?)<\/nav>/);
      expect([...landmarks.matchAll(/epub:type="([^"]+)"/g)].map((match) => match[1])).toEqual(["titlepage", "copyright-page", "toc", "bodymatter"]);
    });

    it("gives each chapter its title as <h1>, its paragraphs as <p> and a literal scene break between scenes", async () => {
      const book = sampleBook({ chapters: 2, scenes: 3 });
      const files = await entries(book);
      for (const [index, chapter] of book.chapters.entries()) {
        const xhtml = entry(files, `EPUB/chapter-${String(index + 1).padStart(3, "0")}.xhtml`);
        const headings = [...xhtml.matchAll(/<h1>([^<]*)<\/h1>/g)].map((match) => match[1]);
        expect(headings).toEqual([chapter.title]);
        const paragraphs = [...xhtml.matchAll(/<p( class="scene-break" role="separator")?>([^<]*)<\/p>/g)].map((match) => (match[1] ? "BREAK" : "TEXT"));
        const expected = chapter.scenes.flatMap((scene, sceneIndex) => [...(sceneIndex > 0 ? ["BREAK"] : []), ...scene.map(() => "TEXT")]);
        expect(paragraphs).toEqual(expected);
        // Text extraction (tags stripped) keeps the break as its own line.
        expect(xhtml.replace(/<[^>]+>/g, "").split("\n").filter((line) => line === SCENE_BREAK)).toHaveLength(2);
      }
    });

    it("carries the Unicode lines through, escaping only what XML requires", async () => {
      const chapter = entry(await entries(sampleBook()), "EPUB/chapter-001.xhtml");
      expect(chapter).toContain(`<p>${UNICODE_LINES[0]}</p>`);
      expect(chapter).toContain(`<p>${UNICODE_LINES[1]}</p>`);
      expect(chapter).toContain("<p>Fish &amp; chips &lt;cost&gt; 5 * 3 # [not] a _link_.</p>");
      expect(chapter).not.toContain("<cost>");
    });

    it("escapes quotes, apostrophes and angle brackets in metadata, headings and attributes, and drops control characters", async () => {
      const files = await entries(awkwardBook(3));
      const escapedTitle = "Tom &amp; &quot;Jerry&#39;s&quot; &lt;Tale&gt; &gt; all";
      expect(entry(files, "EPUB/package.opf")).toContain(`<dc:title>${escapedTitle}</dc:title>`);
      expect(entry(files, "EPUB/package.opf")).toContain("<dc:creator>O&#39;Brien &amp; &lt;Sons&gt;</dc:creator>");
      expect(entry(files, "EPUB/title.xhtml")).toContain(`<title>${escapedTitle}</title>`);
      expect(entry(files, "EPUB/copyright.xhtml")).toContain("<p>Copyright © 2026 O&#39;Brien &amp; &lt;Sons&gt;. All rights reserved.</p>");
      const third = entry(files, "EPUB/chapter-003.xhtml");
      expect(third).toContain("<h1>&quot;Quoted&quot; &amp; &lt;angled&gt; &#39;apostrophes&#39;</h1>");
      expect(third).toContain("<p>bell rang &gt; twice</p>");
      // A blank chapter title falls back to a numbered one, so heading and nav link are never empty.
      expect(entry(files, "EPUB/chapter-002.xhtml")).toContain("<h1>Chapter 2</h1>");
      expect(entry(files, "EPUB/nav.xhtml")).toContain('<a href="chapter-002.xhtml">Chapter 2</a>');
    });

    it("marks every XHTML root and the package with the book's language", async () => {
      const files = await entries({ ...sampleBook(), language: "ru" });
      const xhtml = Object.keys(files).filter((name) => name.endsWith(".xhtml"));
      expect(xhtml).toHaveLength(6);
      for (const name of xhtml) expect(entry(files, name)).toMatch(/<html xmlns="http:\/\/www\.w3\.org\/1999\/xhtml" xmlns:epub="http:\/\/www\.idpf\.org\/2007\/ops" xml:lang="ru" lang="ru">/);
      expect(entry(files, "EPUB/package.opf")).toContain("<dc:language>ru</dc:language>");
    });

    it("references no remote resource, font or script: the only URLs are XML namespaces", async () => {
      const namespaces = [
        "http://www.w3.org/1999/xhtml",
        "http://www.idpf.org/2007/ops",
        "http://www.idpf.org/2007/opf",
        "http://purl.org/dc/elements/1.1/",
        "http://www.daisy.org/z3986/2005/ncx/",
      ];
      const files = await entries(sampleBook());
      for (const [name, text] of Object.entries(files)) {
        const urls = [...text.matchAll(/https?:\/\/[^"'\s<>)]+/g)].map((match) => match[0]);
        expect(urls.filter((url) => !namespaces.includes(url)), name).toEqual([]);
        expect(text, name).not.toMatch(/<script|@font-face|@import|url\(/);
      }
      expect(entry(files, "EPUB/package.opf")).not.toMatch(/media-type="(font|application\/(x-)?font|application\/javascript)/);
    });

    it("styles paragraphs justified with first-line indents, none after headings and scene breaks", async () => {
      const css = entry(await entries(sampleBook()), "EPUB/styles.css");
      expect(css).toMatch(/^p \{[^}]*text-indent: 1\.5em;[^}]*text-align: justify;/m);
      expect(css).toMatch(/^h1 \+ p, p\.scene-break \+ p \{ text-indent: 0; \}/m);
      expect(css).toMatch(/^p\.scene-break \{[^}]*text-align: center;/m);
    });
  });

  describe("determinism", () => {
    it("builds byte-identical output from the same book", async () => {
      const first = await exporter.build(sampleBook({ chapters: 8 }));
      const second = await exporter.build(sampleBook({ chapters: 8 }));
      expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    });

    it("builds the same bytes whatever the server's time zone", async () => {
      const zone = process.env.TZ;
      try {
        process.env.TZ = "UTC";
        const utc = await exporter.build(sampleBook());
        process.env.TZ = "Asia/Kathmandu";
        const kathmandu = await exporter.build(sampleBook());
        process.env.TZ = "America/Los_Angeles";
        const losAngeles = await exporter.build(sampleBook());
        expect(Buffer.from(kathmandu).equals(Buffer.from(utc))).toBe(true);
        expect(Buffer.from(losAngeles).equals(Buffer.from(utc))).toBe(true);
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });
  });
});
