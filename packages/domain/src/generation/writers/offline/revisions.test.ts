import { beforeAll, describe, expect, it } from "vitest";
import { countWords } from "../../quality";
import type { ProjectBrief, SceneInput, StoryPlan } from "../writer";
import { OfflineWriter } from "./index";
import { firstNameOf } from "./story";
import { briefFor, CALL, planFor, sceneRefs } from "../../../testing/offline-book";
import { VOICE_PROFILES } from "./voices";

const writer = new OfflineWriter();
const brief = briefFor({ genre: "fantasy", seed: 5, target_words: 12_000, chapters: 4 });
let plan: StoryPlan;
let draft: string;
let pov: string;
let partner: string;

beforeAll(async () => {
  plan = await planFor(brief);
  draft = await writer.draftScene(input(""), CALL);
  pov = firstNameOf(plan.cast.cast[0]?.name ?? "");
  partner = firstNameOf(plan.cast.cast[1]?.name ?? "");
});

/** The first scene of the book, told by the protagonist, with the given text and plan. */
function input(text: string, scenePlan: StoryPlan = plan, sceneBrief: ProjectBrief = brief): SceneInput {
  const [first] = sceneRefs(scenePlan);
  if (!first) throw new Error("the outline has no scenes");
  const ref = { ...first, scene: { ...first.scene, pov: scenePlan.cast.cast[0]?.name ?? "" } };
  return { brief: sceneBrief, plan: scenePlan, ref, text, previousText: null };
}

/** The plan with another narrative voice. */
function withVoice(person: "first" | "third", tense: "past" | "present", description: string): StoryPlan {
  return { ...plan, highConcept: { ...plan.highConcept, narrative_voice: { person, tense, description } } };
}

function narration(text: string): string {
  return text.replace(/“[^”]*”/g, "“”");
}

function speech(text: string): string[] {
  return text.match(/“[^”]*”/g) ?? [];
}

function sentences(text: string): string[] {
  return narration(text)
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !sentence.includes("“"));
}

function withinFivePercent(before: string, after: string): void {
  expect(Math.abs(countWords(after) - countWords(before)) / countWords(before)).toBeLessThanOrEqual(0.05);
}

describe("self-refine", () => {
  it("cuts filler, strengthens weak verbs, fixes doubled words and joins sentences that open alike", async () => {
    const rough = [
      `${pov} walked slowly over to the gate. It was very cold, and ${pov} really wanted to be somewhere else. Suddenly, the bell began to ring.`,
      `She looked at the the door. She waited.`,
      `“I really mean it,” ${partner} said.`,
    ].join("\n\n");
    const text = `${rough}\n\n${draft}`;
    const refined = await writer.reviseScene("self_refine", input(text), CALL);
    const [first, second, third] = refined.split("\n\n");
    expect(first).toBe(`${pov} ambled over to the gate. It was freezing, and ${pov} wanted to be somewhere else. The bell rang.`);
    expect(second).toBe("She looked at the door, and waited.");
    // Speech keeps its own way of talking.
    expect(third).toBe(`“I really mean it,” ${partner} said.`);
    withinFivePercent(text, refined);
  });

  it("changes a drafted scene without changing its length much", async () => {
    const refined = await writer.reviseScene("self_refine", input(draft), CALL);
    expect(refined).not.toBe(draft);
    withinFivePercent(draft, refined);
  });
});

describe("dialogue pass", () => {
  it("asks questions, varies repeated tags, turns some tags into beats and adds the listener's reaction", async () => {
    const exchange = [
      `“Where were you last night?” ${pov} said.`,
      `“Out,” ${partner} said.`,
      `“Out where?” ${pov} said.`,
      `“Does it matter?” ${partner} said.`,
      `“It matters to me,” ${pov} said.`,
      `“Then you should have asked sooner,” ${partner} said.`,
      `“I am asking now,” ${pov} said.`,
      `“And I am not answering,” ${partner} said.`,
    ];
    const text = `${exchange.join("\n\n")}\n\n${draft}`;
    const thirdPerson = withVoice("third", "past", plan.highConcept.narrative_voice.description);
    const revised = await writer.reviseScene("dialogue_pass", input(text, thirdPerson), CALL);
    const lines = revised.split("\n\n").slice(0, exchange.length);
    expect(lines[0]).toBe(`“Where were you last night?” ${pov} asked.`);
    const tags = lines.map((line) => /” \p{Lu}\p{L}* (\p{Ll}+)\.$/u.exec(line)?.[1] ?? null);
    tags.forEach((tag, index) => {
      if (tag !== null && index > 0) expect(tag).not.toBe(tags[index - 1]);
    });
    const beats = lines.filter((line) => /^“[^”]*[.?!]” \p{Lu}\p{L}* (?!said|asked|replied|answered)\p{Ll}+/u.test(line));
    expect(beats.length).toBeGreaterThan(0);
    expect(revised.split("\n\n").some((paragraph) => paragraph.includes("”") && new RegExp(`” .*\\. .*${pov}`).test(paragraph))).toBe(true);
    // The words spoken do not change.
    expect(speech(revised).filter((line) => speech(text).includes(line)).length).toBeGreaterThan(speech(text).length * 0.7);
    withinFivePercent(text, revised);
  });
});

describe("voice pass", () => {
  it("moves narration into the present tense and leaves speech alone", async () => {
    const voice = VOICE_PROFILES.find((profile) => profile.key === "wry")?.description ?? "";
    const present = withVoice("third", "present", `Close third person, present tense; ${voice}.`);
    const past = await writer.draftScene(input("", present), CALL);
    const revised = await writer.reviseScene("voice_pass", input(past, present), CALL);
    expect(narration(past)).toMatch(/\bwas\b/);
    expect(narration(revised)).not.toMatch(/\b(?:was|were)\b/);
    expect(narration(revised)).toMatch(/\bis\b/);
    expect(speech(revised)).toEqual(speech(past));
    withinFivePercent(past, revised);
  });

  it("gives a terse voice short sentences and plain words", async () => {
    const terse = withVoice("third", "past", "Close third person, past tense; terse and clipped: short declarative sentences, plain words, no ornament.");
    const text = `${pov} gazed at the river for a long moment, and the light on the water moved slowly toward the far bank, where nobody waited.\n\n${draft}`;
    const revised = await writer.reviseScene("voice_pass", input(text, terse), CALL);
    expect(revised.split("\n\n")[0]).toBe(`${pov} looked at the river a moment. The light on the water moved toward the far bank, where nobody waited.`);
    const average = (value: string) => countWords(sentences(value).join(" ")) / sentences(value).length;
    expect(average(revised)).toBeLessThan(average(text));
  });

  it("gives a lyrical voice its own words, longer sentences and codas", async () => {
    const profile = VOICE_PROFILES.find((candidate) => candidate.key === "lyrical");
    const lyrical = withVoice("third", "past", `Close third person, past tense; ${profile?.description ?? ""}.`);
    const text = `${pov} looked at the door. The rain eased. ${pov} walked to the gate.\n\n${draft}`;
    const revised = await writer.reviseScene("voice_pass", input(text, lyrical), CALL);
    expect(revised.split("\n\n")[0]).toBe(`${pov} gazed at the door, and the rain eased. ${pov} wandered to the gate.`);
    expect(profile?.codas.some((coda) => revised.includes(coda))).toBe(true);
    expect(narration(revised)).not.toMatch(/\blooked at\b/);
  });
});

describe("motif infusion", () => {
  it("weaves the high concept's motifs into the narration, in the book's tense", async () => {
    const count = (text: string) => plan.highConcept.motifs.reduce((sum, motif) => sum + text.split(motif).length - 1, 0);
    const woven = await writer.reviseScene("motif_infusion", input(draft), CALL);
    expect(count(woven)).toBeGreaterThan(count(draft));
    expect(speech(woven)).toEqual(speech(draft));
    withinFivePercent(draft, woven);

    const present = withVoice("third", "present", "Close third person, present tense; warm and intimate.");
    const wovenNow = await writer.reviseScene("motif_infusion", input(draft, present), CALL);
    const added = sentences(wovenNow).filter((sentence) => !sentences(draft).includes(sentence));
    expect(added.length).toBeGreaterThan(0);
    for (const sentence of added) expect(sentence).not.toMatch(/\b(?:was|were|had|thought)\b/);
  });
});
