import { describe, expect, it } from "vitest";
import { CreateProjectInput, defaultChapterCount, integer, isWriterProvider, KNOWN_GENRES, PROJECT_LIMITS, UpdateProjectInput, WRITER_PROVIDERS } from "./projects";

describe("defaultChapterCount", () => {
  it("divides the length by the genre's typical chapter", () => {
    expect(defaultChapterCount(60_000, "thriller")).toBe(24);
    expect(defaultChapterCount(60_000, "fantasy")).toBe(15);
    expect(defaultChapterCount(60_000, "science fiction")).toBe(17);
  });

  it("reads the genre regardless of case and spacing, and falls back for genres it does not know", () => {
    expect(defaultChapterCount(60_000, "  Thriller ")).toBe(24);
    expect(defaultChapterCount(60_000, "space opera")).toBe(20);
    expect(defaultChapterCount(60_000, "constructor")).toBe(20);
    expect(defaultChapterCount(60_000, "__proto__")).toBe(20);
  });

  it("keeps at least one chapter and at most the limit", () => {
    expect(defaultChapterCount(1_000, "fantasy")).toBe(1);
    expect(defaultChapterCount(PROJECT_LIMITS.maxTargetWords, "thriller")).toBe(PROJECT_LIMITS.maxChapters);
  });

  it("knows a chapter length for each genre it lists", () => {
    expect(KNOWN_GENRES).toEqual(["fantasy", "science fiction", "mystery", "thriller", "romance", "horror", "literary"]);
  });
});

describe("integer", () => {
  it("reads numbers and the digits of a query string, within bounds", () => {
    const stage = integer(1, 12);
    expect(stage.parse(7)).toBe(7);
    expect(stage.parse(" 12 ")).toBe(12);
    expect(stage.safeParse("13").success).toBe(false);
    expect(stage.safeParse("1.5").success).toBe(false);
    expect(stage.safeParse(2.5).success).toBe(false);
  });
});

describe("CreateProjectInput", () => {
  it("needs only a title, and fills the writer's blanks with null", () => {
    expect(CreateProjectInput.parse({ title: " The Lantern Keeper " })).toEqual({ title: "The Lantern Keeper" });
    expect(CreateProjectInput.parse({ title: "t", writer: { provider: "openai" } }).writer).toEqual({ provider: "openai", model: null, base_url: null });
    expect(CreateProjectInput.parse({ title: "t", writer: {} }).writer?.provider).toBe("offline");
  });

  it("takes sizes as numbers or digit strings, within the project limits", () => {
    expect(CreateProjectInput.parse({ title: "t", target_words: "90000", chapters: 30 })).toMatchObject({ target_words: 90_000, chapters: 30 });
    expect(CreateProjectInput.safeParse({ title: "t", target_words: PROJECT_LIMITS.maxTargetWords + 1 }).success).toBe(false);
    expect(CreateProjectInput.safeParse({ title: "t", scenes_per_chapter: 0 }).success).toBe(false);
  });

  it("says what is wrong with a field in words a form can show", () => {
    const messages = (input: unknown) => CreateProjectInput.safeParse(input).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(messages({ title: "" })).toEqual([["title", "Give the project a title."]]);
    expect(messages({ title: "t", writer: { provider: "openai-compatible", base_url: "ftp://example.com" } })).toEqual([
      ["writer.base_url", "Enter a URL starting with http:// or https://."],
    ]);
    expect(messages({ title: "t", synopsis: "s".repeat(10_001) })).toEqual([["synopsis", "Keep the synopsis to 10,000 characters or fewer."]]);
  });

  it("lets an update change any field alone", () => {
    expect(UpdateProjectInput.parse({ id: "p1", seed: "42" })).toEqual({ id: "p1", seed: 42 });
  });
});

describe("isWriterProvider", () => {
  it("knows the four providers and nothing else", () => {
    expect(WRITER_PROVIDERS.every(isWriterProvider)).toBe(true);
    expect(isWriterProvider("ollama")).toBe(false);
  });
});
