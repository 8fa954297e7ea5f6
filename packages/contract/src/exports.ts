import { z } from "zod";

/** In the order the server builds and lists them. */
export const EXPORT_FORMATS = ["docx", "epub", "pdf", "md", "txt"] as const;

export const ExportFormat = z.enum(EXPORT_FORMATS).meta({
  id: "ExportFormat",
  description: "docx: Word (6×9 in or 5×8 in); epub: EPUB 3; pdf: print-ready PDF (6×9 in or 5×8 in); md: Markdown; txt: plain UTF-8 text",
});
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Each format's file: its media type (with the charset text formats are written in) and its extension. */
export const EXPORT_FILE_TYPES = {
  docx: { mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", charset: null, extension: "docx" },
  epub: { mediaType: "application/epub+zip", charset: null, extension: "epub" },
  pdf: { mediaType: "application/pdf", charset: null, extension: "pdf" },
  md: { mediaType: "text/markdown", charset: "utf-8", extension: "md" },
  txt: { mediaType: "text/plain", charset: "utf-8", extension: "txt" },
} as const satisfies Record<ExportFormat, { mediaType: string; charset: string | null; extension: string }>;

/** The Content-Type a download of `format` is served with. */
export function exportContentType(format: ExportFormat): string {
  const { mediaType, charset } = EXPORT_FILE_TYPES[format];
  return charset ? `${mediaType}; charset=${charset}` : mediaType;
}

/** Page sizes of the paged formats (DOCX and PDF), width by height in inches: the two common trade-paperback trims. */
export const TRIM_SIZES = ["6x9", "5x8"] as const;

export const TrimSize = z.enum(TRIM_SIZES).meta({
  id: "TrimSize",
  description: "Page size of the DOCX and PDF, in inches (width x height)",
});
export type TrimSize = z.infer<typeof TrimSize>;

export const DEFAULT_TRIM_SIZE: TrimSize = "6x9";

export function isTrimSize(value: string): value is TrimSize {
  return (TRIM_SIZES as readonly string[]).includes(value);
}
