import { describe, expect, it } from "vitest";
import { genreKit } from "./genres";
import { proseGrammar } from "./prose";

/** Slots every scene stage can fill: the story's places, things and absent people. */
const STORY = ["X", "place", "elsewhere", "feature", "centre", "threat", "secret", "prop", "goal", "daypart", "memory"];
/** Narration also names the point-of-view character, the partner, the scene's time and events. */
const NARRATION = [...STORY, "P", "Po", "Pp", "Pr", "Q", "Qo", "Qp", "Qn", "Time", "relation", "memoryWho", "memoryWhere", "event", "eventWho", "eventWhere", "eyes", "age", "job", "clause"];

/** Each rule a stage draws sentences from, with the slots that stage fills. */
const RULES: readonly (readonly [string, readonly string[]])[] = [
  ...["opening", "arrival", "goal", "partner_arrival", "eyes_line", "age_line", "job_line", "relation_thought", "partner_action", "action", "sense", "thought"].map((rule) => [rule, NARRATION] as const),
  ...["conflict", "outcome", "setback", "closing", "filler", "recall", "intro_after"].map((rule) => [rule, NARRATION] as const),
  ...["clue", "wound", "betrayal", "ruin", "death", "promise", "warning"].flatMap((kind) => [[`recall_${kind}`, NARRATION] as const, [`intro_${kind}`, NARRATION] as const]),
  ...["open", "ask", "deflect", "push", "reveal", "warn", "react", "close", "ask_memory", "tell_memory"].map((rule) => [rule, [...STORY, "L", "oath"]] as const),
  ["beat", [...STORY, "S", "Sp", "Sr", "Lo", "Lp"]],
  ["pass_beat", ["S", "Sp"]],
  ["subtext", ["P", "Pp", "S", "Sp", "So"]],
  ["self_subtext", ["P", "Pp", "own"]],
  ["motif_line", ["P", "Po", "Pp", "motif", "was"]],
  ["theme_line", ["P", "Po", "Pp", "theme"]],
];

/** Rules a scene draws from many times: they need many sentences to go round a book without repeating. */
const FREQUENT = ["thought", "sense", "action", "partner_action", "beat", "open", "ask", "deflect", "push", "reveal", "warn", "react"];

describe("the prose grammar", () => {
  it.each(["fantasy", "science fiction", "mystery", "thriller", "romance", "horror", "literary"])("uses only the slots its stage fills, for %s", (genre) => {
    const grammar = proseGrammar(genreKit(genre));
    for (const [rule, allowed] of RULES) {
      expect(grammar.size(rule), rule).toBeGreaterThan(0);
      expect([...grammar.slots(rule)].filter((slot) => !allowed.includes(slot)), rule).toEqual([]);
    }
  });

  it("has a thousand sentences or more in every rule a scene draws from often", () => {
    const grammar = proseGrammar(genreKit("thriller"));
    for (const rule of FREQUENT) expect(grammar.size(rule), rule).toBeGreaterThanOrEqual(1_000);
  });

  it("derives English sentences: capitalised or slotted starts, one closing mark, no leftover brackets", () => {
    const grammar = proseGrammar(genreKit("mystery"));
    for (const [rule] of RULES) {
      const size = grammar.size(rule);
      for (let index = 0; index < size; index += Math.max(1, Math.floor(size / 50))) {
        const { text } = grammar.derive(rule, index);
        expect(text, rule).not.toMatch(/[[\]<>|]/);
        expect(text, rule).toMatch(/^(?:\p{Lu}|\{|<|[a-z])/u);
        expect(text, rule).toMatch(/[.?!]$|\{clause\}|^[a-z]/);
      }
    }
  });
});
