import { describe, expect, it } from "vitest";
import { DEFAULT_TRIM_SIZE, EXPORT_FILE_TYPES, EXPORT_FORMATS, exportContentType, isTrimSize, TRIM_SIZES } from "./exports";

describe("export file types", () => {
  it("serves text formats with their charset and binary formats as they are", () => {
    expect(exportContentType("md")).toBe("text/markdown; charset=utf-8");
    expect(exportContentType("txt")).toBe("text/plain; charset=utf-8");
    expect(exportContentType("epub")).toBe("application/epub+zip");
    expect(exportContentType("docx")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  });

  it("names each format's files with the format as extension", () => {
    expect(EXPORT_FORMATS.map((format) => EXPORT_FILE_TYPES[format].extension)).toEqual([...EXPORT_FORMATS]);
  });
});

describe("trim sizes", () => {
  it("defaults to one of the trims it knows", () => {
    expect(TRIM_SIZES).toContain(DEFAULT_TRIM_SIZE);
    expect(isTrimSize("5x8")).toBe(true);
    expect(isTrimSize("A4")).toBe(false);
  });
});
