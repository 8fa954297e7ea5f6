import { strToU8, zipSync, type Zippable } from "fflate";
import { EXPORT_FILE_TYPES, exportContentType } from "@scriptorium/contract";
import { copyrightLine, SCENE_BREAK, zipTimestamp, type Book, type BookChapter, type BookExporter } from "./book";

/**
 * EPUB 3 export: an OCF zip holding a package document, a navigation
 * document (with an NCX for EPUB 2 reading systems), a title page, a
 * copyright page, one XHTML file per chapter and one stylesheet. Everything
 * is built as strings in a fixed order, so the same book gives the same bytes.
 */

/** Where the publication's files live inside the zip; container.xml points here. */
const ROOT = "EPUB";
const PACKAGE_PATH = `${ROOT}/package.opf`;

const STYLESHEET = `body { margin: 0 5%; }
h1 { margin: 3em 0 2em; font-size: 1.6em; line-height: 1.3; text-align: center; page-break-after: avoid; break-after: avoid; }
p { margin: 0; text-indent: 1.5em; text-align: justify; }
h1 + p, p.scene-break + p { text-indent: 0; }
p.scene-break { margin: 1em 0; text-indent: 0; text-align: center; }
.title-page { margin-top: 30%; text-align: center; }
.title-page h1 { margin-bottom: 1em; }
.title-page p, .copyright-page p { text-indent: 0; text-align: center; }
.copyright-page { margin-top: 50%; font-size: 0.85em; }
nav ol { list-style: none; padding: 0; }
`;

const CONTAINER = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="${PACKAGE_PATH}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;

/** A content document of the spine, with the manifest id, file name and properties it is listed under. */
interface ContentDocument {
  id: string;
  href: string;
  xhtml: string;
  properties?: string;
}

/** One line of the table of contents, shared by the nav document and the NCX. */
interface TocEntry {
  label: string;
  href: string;
}

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text as XML character data, safe in elements and in quoted attributes.
 * Control characters are dropped: XML 1.0 forbids them, and a single one
 * would make a reading system reject the whole chapter.
 */
function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching the control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/** The `YYYY-MM-DDThh:mm:ssZ` form that `dcterms:modified` requires (no milliseconds). */
function epubTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A chapter's heading; an untitled chapter still needs text for its heading and nav link. */
function chapterTitle(chapter: BookChapter): string {
  return chapter.title.trim() === "" ? `Chapter ${chapter.number}` : chapter.title;
}

/** An XHTML 5 content document in the book's language; `body` is already escaped markup. */
function xhtmlDocument(book: Book, title: string, body: string): string {
  const language = escapeXml(book.language);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<!DOCTYPE html>",
    `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${language}" lang="${language}">`,
    "<head>",
    `<title>${escapeXml(title)}</title>`,
    '<link rel="stylesheet" type="text/css" href="styles.css"/>',
    "</head>",
    body,
    "</html>",
    "",
  ].join("\n");
}

function titlePage(book: Book): string {
  return xhtmlDocument(
    book,
    book.title,
    [
      '<body epub:type="frontmatter">',
      '<section class="title-page" epub:type="titlepage">',
      `<h1 epub:type="fulltitle">${escapeXml(book.title)}</h1>`,
      `<p>${escapeXml(book.author)}</p>`,
      "</section>",
      "</body>",
    ].join("\n"),
  );
}

function copyrightPage(book: Book): string {
  return xhtmlDocument(
    book,
    book.title,
    ['<body epub:type="frontmatter">', '<section class="copyright-page" epub:type="copyright-page">', `<p>${escapeXml(copyrightLine(book))}</p>`, "</section>", "</body>"].join("\n"),
  );
}

function chapterPage(book: Book, chapter: BookChapter, title: string): string {
  const lines = ['<body epub:type="bodymatter">', '<section epub:type="chapter">', `<h1>${escapeXml(title)}</h1>`];
  chapter.scenes.forEach((paragraphs, index) => {
    // The literal asterisks stay in the text so that copying or extracting it shows the break.
    if (index > 0) lines.push(`<p class="scene-break" role="separator">${SCENE_BREAK}</p>`);
    for (const paragraph of paragraphs) lines.push(`<p>${escapeXml(paragraph)}</p>`);
  });
  lines.push("</section>", "</body>");
  return xhtmlDocument(book, title, lines.join("\n"));
}

/**
 * The navigation document: the table of contents shown as a page after the
 * copyright page, and landmarks, hidden, that reading systems put in their
 * menus. Its fixed labels are English and marked so.
 */
function navDocument(book: Book, toc: TocEntry[], firstChapterHref: string | undefined): string {
  const landmarks = [
    '<li><a epub:type="titlepage" href="title.xhtml">Title Page</a></li>',
    '<li><a epub:type="copyright-page" href="copyright.xhtml">Copyright</a></li>',
    '<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>',
  ];
  if (firstChapterHref !== undefined) landmarks.push(`<li><a epub:type="bodymatter" href="${firstChapterHref}">Start</a></li>`);
  return xhtmlDocument(
    book,
    book.title,
    [
      '<body epub:type="frontmatter">',
      '<nav epub:type="toc" id="toc">',
      '<h1 xml:lang="en" lang="en">Contents</h1>',
      "<ol>",
      ...toc.map((entry) => `<li><a href="${entry.href}">${escapeXml(entry.label)}</a></li>`),
      "</ol>",
      "</nav>",
      '<nav epub:type="landmarks" id="landmarks" hidden="hidden" xml:lang="en" lang="en">',
      "<ol>",
      ...landmarks,
      "</ol>",
      "</nav>",
      "</body>",
    ].join("\n"),
  );
}

/** The EPUB 2 table of contents, for reading systems that ignore the nav document. */
function ncxDocument(book: Book, identifier: string, toc: TocEntry[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${escapeXml(book.language)}">`,
    "<head>",
    `<meta name="dtb:uid" content="${escapeXml(identifier)}"/>`,
    '<meta name="dtb:depth" content="1"/>',
    '<meta name="dtb:totalPageCount" content="0"/>',
    '<meta name="dtb:maxPageNumber" content="0"/>',
    "</head>",
    `<docTitle><text>${escapeXml(book.title)}</text></docTitle>`,
    `<docAuthor><text>${escapeXml(book.author)}</text></docAuthor>`,
    "<navMap>",
    ...toc.map(
      (entry, index) =>
        `<navPoint id="nav-${index + 1}" playOrder="${index + 1}"><navLabel><text>${escapeXml(entry.label)}</text></navLabel><content src="${entry.href}"/></navPoint>`,
    ),
    "</navMap>",
    "</ncx>",
    "",
  ].join("\n");
}

function packageDocument(book: Book, identifier: string, spine: ContentDocument[]): string {
  const language = escapeXml(book.language);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${language}">`,
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
    `<dc:identifier id="book-id">${escapeXml(identifier)}</dc:identifier>`,
    `<dc:title>${escapeXml(book.title)}</dc:title>`,
    `<dc:creator>${escapeXml(book.author)}</dc:creator>`,
    `<dc:language>${language}</dc:language>`,
    `<meta property="dcterms:modified">${epubTimestamp(book.modifiedAt)}</meta>`,
    "</metadata>",
    "<manifest>",
    '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
    '<item id="css" href="styles.css" media-type="text/css"/>',
    ...spine.map((doc) => {
      const properties = doc.properties === undefined ? "" : ` properties="${doc.properties}"`;
      return `<item id="${doc.id}" href="${doc.href}" media-type="application/xhtml+xml"${properties}/>`;
    }),
    "</manifest>",
    '<spine toc="ncx">',
    ...spine.map((doc) => `<itemref idref="${doc.id}"/>`),
    "</spine>",
    "</package>",
    "",
  ].join("\n");
}

export class EpubExporter implements BookExporter {
  readonly format = "epub" as const;
  readonly mimeType = exportContentType("epub");
  readonly extension = EXPORT_FILE_TYPES.epub.extension;

  async build(book: Book): Promise<Uint8Array> {
    const identifier = `urn:uuid:${book.id}`;
    const chapters: (ContentDocument & TocEntry)[] = book.chapters.map((chapter, index) => {
      // Named by position, not by `chapter.number`, so file names stay unique even if numbers repeat.
      const id = `chapter-${String(index + 1).padStart(3, "0")}`;
      const label = chapterTitle(chapter);
      return { id, href: `${id}.xhtml`, label, xhtml: chapterPage(book, chapter, label) };
    });
    // A nav list must not be empty: a book without chapters lists its title page instead.
    const toc: TocEntry[] = chapters.length > 0 ? chapters : [{ label: book.title, href: "title.xhtml" }];
    const spine: ContentDocument[] = [
      { id: "title-page", href: "title.xhtml", xhtml: titlePage(book) },
      { id: "copyright", href: "copyright.xhtml", xhtml: copyrightPage(book) },
      { id: "nav", href: "nav.xhtml", properties: "nav", xhtml: navDocument(book, toc, chapters[0]?.href) },
      ...chapters,
    ];

    // Insertion order is zip order: OCF requires `mimetype` first, stored, so
    // tools can sniff the type at a fixed offset.
    const files: Zippable = {
      mimetype: [strToU8(this.mimeType), { level: 0 }],
      "META-INF/container.xml": strToU8(CONTAINER),
      [PACKAGE_PATH]: strToU8(packageDocument(book, identifier, spine)),
      [`${ROOT}/toc.ncx`]: strToU8(ncxDocument(book, identifier, toc)),
      [`${ROOT}/styles.css`]: strToU8(STYLESHEET),
    };
    for (const doc of spine) files[`${ROOT}/${doc.href}`] = strToU8(doc.xhtml);
    return zipSync(files, { level: 6, mtime: zipTimestamp(book.modifiedAt) });
  }
}
