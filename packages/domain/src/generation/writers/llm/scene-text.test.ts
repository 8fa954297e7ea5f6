import { describe, expect, it } from "vitest";
import { normalizeSceneText } from "./scene-text";

describe("normalizeSceneText", () => {
  it("keeps plain paragraphs as they are", () => {
    const text = "She climbed.\n\n“Who is there?” she asked.";
    expect(normalizeSceneText(text)).toBe(text);
  });

  it("drops headings, scene breaks and code fences, and separates paragraphs with one blank line", () => {
    const raw = "```\n# Chapter 1\n## Scene 2\r\nThe lamp turned.\nThe sea kept on.\n\n\n* * *\n---\nMorning came.\n```";
    expect(normalizeSceneText(raw)).toBe("The lamp turned.\n\nThe sea kept on.\n\nMorning came.");
  });

  it("turns straight quotes typographic and strips emphasis markers", () => {
    expect(normalizeSceneText('"No," he said. "Not *that* ledger."')).toBe("“No,” he said. “Not that ledger.”");
    expect(normalizeSceneText('She said—"Go."')).toBe("She said—“Go.”");
  });
});
