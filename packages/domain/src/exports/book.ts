import type { ExportFormat, TrimSize } from "@scriptorium/contract";

/** Each trim's page in inches, as the paged formats (DOCX and PDF) lay it out. */
export const TRIM_INCHES: Record<TrimSize, { widthIn: number; heightIn: number }> = {
  "6x9": { widthIn: 6, heightIn: 9 },
  "5x8": { widthIn: 5, heightIn: 8 },
};

export interface BookChapter {
  number: number;
  title: string;
  /** Each scene as its paragraphs, in order; a scene break stands between two scenes. */
  scenes: string[][];
}

/** Everything an exporter needs: a manuscript with its front matter, independent of where it came from. */
export interface Book {
  /** Stable for the project: the EPUB's identifier is derived from it. */
  id: string;
  title: string;
  author: string;
  /** BCP 47 language tag of the text, e.g. `en` or `ru`. */
  language: string;
  genre: string;
  chapters: BookChapter[];
  words: number;
  trim: TrimSize;
  /**
   * When the text last changed. Exporters stamp this, never the clock, so
   * the same text builds the same bytes (and the same ETag) every time.
   */
  modifiedAt: Date;
}

/** Builds one format from a book; one implementation per format. */
export interface BookExporter {
  readonly format: ExportFormat;
  /** The Content-Type of the built file. */
  readonly mimeType: string;
  readonly extension: string;
  build(book: Book): Promise<Uint8Array>;
}

/** The scene-break line every format shows between two scenes. */
export const SCENE_BREAK = "* * *";

/** The copyright line of the front matter. */
export function copyrightLine(book: Book): string {
  return `Copyright © ${book.modifiedAt.getUTCFullYear()} ${book.author}. All rights reserved.`;
}

/**
 * The date to hand fflate for every entry. Zip stores a zone-less wall time
 * and fflate reads it with the local-time getters, so we build the local
 * date that shows `modifiedAt`'s UTC wall time: the bytes then do not depend
 * on the server's time zone (except for a time inside a local DST gap, which
 * no local clock can show).
 */
export function zipTimestamp(date: Date): Date {
  return new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}
