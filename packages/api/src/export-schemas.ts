import { z } from "zod";
import { EXPORT_FORMATS, ExportFormat, Id, TrimSize } from "@scriptorium/contract";
import { Timestamp } from "./schemas";

export const BuildExportsInput = z.object({
  id: Id,
  formats: z
    .array(ExportFormat)
    .min(1, "Name at least one format, or leave formats out to build all of them")
    .max(EXPORT_FORMATS.length)
    .refine((formats) => new Set(formats).size === formats.length, "Each format may be named once")
    .optional()
    .meta({ description: "Default: every format" }),
  trim: TrimSize.optional().meta({ description: "Default: 6x9" }),
});

export const ExportFormatInput = z.object({ id: Id, format: ExportFormat });

export const Export = z
  .object({
    format: ExportFormat,
    filename: z.string().meta({ description: "The download's name: the title's slug and the format's extension" }),
    size_bytes: z.int(),
    sha256: z.string().meta({ description: "Hex SHA-256 of the file; also its ETag" }),
    trim: TrimSize.nullable().meta({ description: "Page size for docx and pdf; null for the other formats" }),
    created_at: Timestamp,
    modified_at: Timestamp,
    stale: z.boolean().meta({ description: "True when the manuscript, title or author changed after the file was built" }),
  })
  .meta({ id: "Export" });

export const ExportList = z.object({ items: z.array(Export) }).meta({ id: "ExportList" });

export const ExportStatus = z
  .object({
    format: ExportFormat,
    exists: z.boolean(),
    filename: z.string().nullable(),
    size_bytes: z.int().nullable(),
    created_at: Timestamp.nullable(),
    modified_at: Timestamp.nullable(),
    stale: z.boolean().nullable().meta({ description: "null when the file has not been built" }),
  })
  .meta({ id: "ExportStatus" });
