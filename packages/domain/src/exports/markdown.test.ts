import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { copyrightLine, SCENE_BREAK } from "./book";
import { MarkdownExporter } from "./markdown";
import { sampleBook, UNICODE_AUTHOR, UNICODE_LINES, UNICODE_TITLE } from "../testing/sample-book";
import { TextExporter } from "./text";

const run = promisify(execFile);

/** Renders Markdown with pandoc (CommonMark) and returns what a reader would see, as HTML. */
async function render(markdown: Uint8Array): Promise<string> {
  const child = run("pandoc", ["--from", "commonmark", "--to", "html"]);
  child.child.stdin?.end(Buffer.from(markdown));
  return (await child).stdout;
}

describe("MarkdownExporter", () => {
  it("renders in a CommonMark reader as the book: one title, chapter headings, literal text and scene breaks", async () => {
    const book = sampleBook();
    const html = await render(await new MarkdownExporter().build(book));
    expect(html.match(/<h1[^>]*>([^<]*)<\/h1>/g)).toEqual([expect.stringContaining(UNICODE_TITLE)]);
    expect([...html.matchAll(/<h2[^>]*>([^<]*)<\/h2>/g)].map((match) => match[1])).toEqual(book.chapters.map((chapter) => chapter.title));
    expect(html).toContain(`<em>by ${UNICODE_AUTHOR}</em>`);
    // Asterisks, underscores, brackets and angle brackets stay text: no emphasis, links or tags appear.
    expect(html).toContain("Fish &amp; chips &lt;cost&gt; 5 * 3 # [not] a _link_.");
    for (const line of UNICODE_LINES.slice(0, 2)) expect(html).toContain(line);
    expect(html.split(`<p>${SCENE_BREAK}</p>`).length - 1).toBe(book.chapters.length * (book.chapters[0]?.scenes.length ?? 0) - book.chapters.length);
    expect(html).not.toContain("<hr");
  });
});

describe("TextExporter", () => {
  it("writes underlined headings, one paragraph per line and the scene breaks", async () => {
    const book = sampleBook();
    const text = Buffer.from(await new TextExporter().build(book)).toString("utf8");
    expect(text.startsWith(`${UNICODE_TITLE}\n${"=".repeat([...UNICODE_TITLE].length)}\n\nby ${UNICODE_AUTHOR}\n\n${copyrightLine(book)}\n`)).toBe(true);
    for (const chapter of book.chapters) expect(text).toContain(`\n${chapter.title}\n${"-".repeat([...chapter.title].length)}\n`);
    for (const line of UNICODE_LINES) expect(text).toContain(`\n${line}\n`);
    expect(text.split(`\n${SCENE_BREAK}\n`).length - 1).toBe(book.chapters.length * 2);
  });
});
