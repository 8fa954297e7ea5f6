import { EXPORT_FILE_TYPES, exportContentType } from "@scriptorium/contract";
import { copyrightLine, SCENE_BREAK, type Book, type BookExporter } from "./book";

/** Underlines a heading the way plain-text books and e-mail do. */
function underlined(text: string, rule: string): string {
  return `${text}\n${rule.repeat([...text].length)}`;
}

/**
 * Plain UTF-8 text: paragraphs are single lines separated by a blank line
 * (no hard wrapping, which readers and editors do better themselves).
 */
export class TextExporter implements BookExporter {
  readonly format = "txt" as const;
  readonly mimeType = exportContentType("txt");
  readonly extension = EXPORT_FILE_TYPES.txt.extension;

  build(book: Book): Promise<Uint8Array> {
    const parts: string[] = [underlined(book.title, "="), `by ${book.author}`, copyrightLine(book)];
    for (const chapter of book.chapters) {
      parts.push("", underlined(chapter.title, "-"));
      chapter.scenes.forEach((paragraphs, index) => {
        if (index > 0) parts.push(SCENE_BREAK);
        parts.push(...paragraphs);
      });
    }
    return Promise.resolve(Buffer.from(`${parts.join("\n\n")}\n`, "utf8"));
  }
}
