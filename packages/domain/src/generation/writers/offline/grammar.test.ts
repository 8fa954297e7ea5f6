import { describe, expect, it } from "vitest";
import { BookPhrasing, Grammar, permute, tidy } from "./grammar";

const grammar = new Grammar({
  sentence: ["{P} [looked|glanced] at <thing>[ <manner>|].", "<thing> [lay|waited] on the table."],
  thing: ["the [old |]key", "the letter"],
  manner: ["for a while", "without a word"],
  loop: ["<loop>"],
});

describe("Grammar", () => {
  it("counts the texts a rule derives and derives each of them exactly once", () => {
    // First template: 2 verbs × 3 things × 3 endings; second: 3 things × 2 verbs.
    expect(grammar.size("sentence")).toBe(24);
    const texts = Array.from({ length: 24 }, (_, index) => grammar.derive("sentence", index).text);
    expect(new Set(texts).size).toBe(24);
    expect(texts).toContain("{P} glanced at the old key without a word.");
    expect(texts).toContain("the letter waited on the table.");
  });

  it("reports which options of each rule a derivation used", () => {
    const { text, picks } = grammar.derive("sentence", 0);
    expect(text).toBe("{P} looked at the old key for a while.");
    expect(picks).toEqual(["sentence#0", "thing#0", "manner#0"]);
  });

  it("refuses rules that are missing or refer to themselves", () => {
    expect(() => grammar.size("nothing")).toThrow(/no rule/);
    expect(() => grammar.size("loop")).toThrow(/refers to itself/);
  });

  it("tidies the spaces and commas that empty choices leave", () => {
    expect(tidy(" She waited ,  and  , then left .")).toBe("She waited, and, then left.");
  });
});

describe("permute", () => {
  it.each([1, 2, 7, 24, 1000, 4099])("is a permutation of 0..%i", (size) => {
    const keys = [11, 22, 33, 44];
    const seen = new Set(Array.from({ length: size }, (_, index) => permute(index, size, keys)));
    expect(seen.size).toBe(size);
    expect([...seen].every((value) => value >= 0 && value < size)).toBe(true);
  });
});

describe("BookPhrasing", () => {
  it("never gives two scenes of a book the same derivation", () => {
    const big = new Grammar({ line: ["[a|b|c|d|e|f|g|h] [1|2|3|4|5|6|7|8] [x|y|z|w]"] });
    const drawn: string[] = [];
    for (let scene = 0; scene < 10; scene++) {
      const phrasing = new BookPhrasing(big, 7, { index: scene, count: 10 });
      for (let use = 0; use < 25; use++) drawn.push(phrasing.next("line"));
    }
    expect(new Set(drawn).size).toBe(drawn.length);
  });

  it("gives the same scene the same sentences, whatever else was written", () => {
    const first = new BookPhrasing(grammar, 3, { index: 2, count: 5 });
    const again = new BookPhrasing(grammar, 3, { index: 2, count: 5 });
    expect([first.next("sentence"), first.next("sentence")]).toEqual([again.next("sentence"), again.next("sentence")]);
  });

  it("avoids repeating, within a scene, an option of a rule meant to be used once per scene", () => {
    const phrasing = new BookPhrasing(grammar, 5, { index: 0, count: 1 }, new Set(["thing"]));
    // <thing> has two options (a key, old or not, and the letter): two sentences use both.
    const things = Array.from({ length: 2 }, () => (phrasing.next("sentence").includes("letter") ? "letter" : "key"));
    expect(new Set(things).size).toBe(2);
  });
});
