import type { RouterOutputs } from "@scriptorium/api";
import type { ExportFormat, TrimSize } from "@scriptorium/contract";

export type ExportInfo = RouterOutputs["exports"]["list"]["items"][number];

export const EXPORT_FORMAT_DETAILS: Record<ExportFormat, { label: string; description: string }> = {
  docx: { label: "Word document", description: "DOCX with title page, table of contents and each chapter on a new page" },
  epub: { label: "EPUB e-book", description: "EPUB 3 for e-readers, checked clean by EPUBCheck" },
  pdf: { label: "PDF", description: "Print-ready, with page numbers and chapter bookmarks" },
  md: { label: "Markdown", description: "Chapter headings and scene breaks, for editors and converters" },
  txt: { label: "Plain text", description: "UTF-8 text, one paragraph per line" },
};

export const TRIM_SIZE_LABELS: Record<TrimSize, string> = {
  "6x9": "6 × 9 in (trade)",
  "5x8": "5 × 8 in (digest)",
};

/** The download's address; the session cookie authorizes it, so a plain link works. */
export function exportDownloadHref(projectId: string, format: ExportFormat): string {
  return `/api/v2/projects/${encodeURIComponent(projectId)}/export/${format}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
