import { EXPORT_FILE_TYPES, exportContentType } from "@scriptorium/contract";
import { copyrightLine, SCENE_BREAK, type Book, type BookExporter } from "./book";

/**
 * Backslash-escapes the characters Markdown would read as markup (emphasis,
 * headings, lists, links, HTML), so text arrives exactly as written.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, "\\$&").replace(/^(\s*)([-+]|\d+[.)])(\s)/, "$1\\$2$3");
}

/** CommonMark: the title as the only `#` heading, chapters as `##`, scene breaks as centred-looking asterisks. */
export class MarkdownExporter implements BookExporter {
  readonly format = "md" as const;
  readonly mimeType = exportContentType("md");
  readonly extension = EXPORT_FILE_TYPES.md.extension;

  build(book: Book): Promise<Uint8Array> {
    const parts: string[] = [`# ${escapeMarkdown(book.title)}`, `*by ${escapeMarkdown(book.author)}*`, escapeMarkdown(copyrightLine(book))];
    for (const chapter of book.chapters) {
      parts.push(`## ${escapeMarkdown(chapter.title)}`);
      chapter.scenes.forEach((paragraphs, index) => {
        // Escaped so it stays text, not a thematic break that renderers draw as a rule.
        if (index > 0) parts.push(escapeMarkdown(SCENE_BREAK));
        for (const paragraph of paragraphs) parts.push(escapeMarkdown(paragraph));
      });
    }
    return Promise.resolve(Buffer.from(`${parts.join("\n\n")}\n`, "utf8"));
  }
}
