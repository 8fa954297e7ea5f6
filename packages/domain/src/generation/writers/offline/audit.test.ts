import { beforeAll, describe, expect, it } from "vitest";
import { ContinuityIssueSchema } from "../../outputs";
import type { SceneInput, StoryPlan } from "../writer";
import { ALL_PROFESSIONS } from "./genres";
import { OfflineWriter } from "./index";
import { EYE_COLOURS, factsOf, firstNameOf } from "./story";
import { briefFor, CALL, planFor, sceneRefs } from "../../../testing/offline-book";

const brief = briefFor({ genre: "fantasy", seed: 11 });
let plan: StoryPlan;
let pov: string;
let partner: string;
let here: string;
let elsewhere: string;

beforeAll(async () => {
  plan = await planFor(brief);
  pov = firstNameOf(plan.cast.cast[0]?.name ?? "");
  partner = firstNameOf(plan.cast.cast[1]?.name ?? "");
  here = plan.world.places[0]?.name ?? "";
  elsewhere = (plan.world.places[1]?.name ?? "").replace(/^The /, "the ");
});

function partnerFacts() {
  const character = plan.cast.cast[1];
  if (!character) throw new Error("the cast has no second member");
  return factsOf(character);
}

function input(text: string, previousText: string | null = null, scenePlan: StoryPlan = plan): SceneInput {
  const [first] = sceneRefs(scenePlan);
  if (!first) throw new Error("the outline has no scenes");
  const ref = { ...first, chapter: 2, scene: { ...first.scene, number: 2, pov: plan.cast.cast[0]?.name ?? "", place: here } };
  return { brief, plan: scenePlan, ref, text, previousText };
}

async function audit(text: string, previousText: string | null = null, scenePlan: StoryPlan = plan) {
  return new OfflineWriter().auditScene(input(text, previousText, scenePlan), CALL);
}

/** A scene that agrees with the cast sheet and the world. */
function cleanScene(): string {
  const facts = partnerFacts();
  return [
    `That evening, ${pov} crossed the yard and found ${partner} by the gate.`,
    `${partner}’s ${facts.eyes} eyes gave nothing away. ${partner} was ${facts.age} years old and looked every day of it.`,
    `“You came, then,” ${partner} said.`,
    `“I said I would,” ${pov} said.`,
  ].join("\n\n");
}

describe("continuity audit", () => {
  it("finds nothing in a scene that agrees with the cast, the world and the scene before", async () => {
    const result = await audit(cleanScene(), `That afternoon, ${pov} waited at the gate.`);
    expect(result).toEqual({ text: cleanScene(), issues: [] });
  });

  it("corrects a misspelt cast name", async () => {
    const misspelt = partner.slice(0, 1) + (partner[2] ?? "") + (partner[1] ?? "") + partner.slice(3);
    const text = cleanScene().replace(`found ${partner}`, `found ${misspelt}`);
    const result = await audit(text);
    expect(result.text).toBe(cleanScene());
    expect(result.issues).toEqual([expect.objectContaining({ chapter: 2, scene: 2, kind: "name", description: expect.stringContaining(misspelt) })]);
    for (const issue of result.issues) ContinuityIssueSchema.parse(issue);
  });

  it("corrects a misspelt cast name in the possessive", async () => {
    const misspelt = partner.slice(0, 1) + (partner[2] ?? "") + (partner[1] ?? "") + partner.slice(3);
    const possessive = cleanScene().replace(`found ${partner} by the gate`, `found ${partner}’s horse by the gate`);
    const result = await audit(possessive.replace(`found ${partner}’s`, `found ${misspelt}’s`));
    expect(result.text).toBe(possessive);
    expect(result.issues).toEqual([expect.objectContaining({ kind: "name", fix: `Replaced “${misspelt}” with “${partner}” (1 time).` })]);
  });

  it("gives a line spoken by someone outside the cast to the cast member in the scene", async () => {
    const text = cleanScene().replace(`“You came, then,” ${partner} said.`, "“You came, then,” Bartholomew said.");
    const result = await audit(text);
    expect(result.text).toContain(`“You came, then,” ${partner} said.`);
    expect(result.issues).toEqual([expect.objectContaining({ kind: "name", description: expect.stringContaining("Bartholomew") })]);
  });

  it("moves a scene set earlier in the day than the scene before it to the next day", async () => {
    const text = cleanScene().replace("That evening", "That morning");
    const result = await audit(text, `Late that night, ${pov} was still awake.`);
    expect(result.text.startsWith("The next morning, ")).toBe(true);
    expect(result.issues).toEqual([expect.objectContaining({ kind: "timeline", fix: "Changed “That morning” to “The next morning”." })]);
  });

  it("accepts an earlier time of day once the story has moved to a new day", async () => {
    const text = cleanScene().replace("That evening", "The next morning");
    expect((await audit(text, `Late that night, ${pov} was still awake.`)).issues).toEqual([]);
  });

  it("removes the claim that a character is elsewhere when they speak in the scene", async () => {
    const away = `${partner} was still away at ${elsewhere}, and not expected back for days.`;
    const text = cleanScene().replace(`found ${partner} by the gate.`, `found the gate empty. ${away}`);
    const result = await audit(text);
    expect(result.text).not.toContain(away);
    expect(result.text).toContain("found the gate empty.");
    expect(result.issues).toEqual([expect.objectContaining({ kind: "timeline", description: expect.stringContaining(elsewhere) })]);
  });

  it("corrects an eye colour, an age and a profession that contradict the cast sheet", async () => {
    const facts = partnerFacts();
    const wrongEyes = EYE_COLOURS.find((colour) => colour !== facts.eyes) ?? "";
    const wrongJob = ALL_PROFESSIONS.find((job) => job !== facts.profession) ?? "";
    const text = cleanScene()
      .replace(`${partner}’s ${facts.eyes} eyes`, `${partner}’s ${wrongEyes} eyes`)
      .replace(`${partner} was ${facts.age} years old`, `${partner} was ${(facts.age ?? 0) + 7} years old`)
      .concat(`\n\n${partner} had worked as a ${wrongJob} for most of a lifetime.`);
    const result = await audit(text);
    expect(result.text).toContain(`${partner}’s ${facts.eyes} eyes`);
    expect(result.text).toContain(`${partner} was ${facts.age} years old`);
    expect(result.text).toContain(`${partner} had worked as a ${facts.profession} for most of a lifetime.`);
    expect(result.issues.map((issue) => issue.kind)).toEqual(["fact", "fact", "fact"]);
    expect(result.issues[0]?.description).toContain("cast sheet");
  });

  it("holds a scene to what the scene before established when the cast sheet is silent", async () => {
    const silent: StoryPlan = {
      ...plan,
      cast: { cast: plan.cast.cast.map((member, index) => (index === 1 ? { ...member, traits: member.traits.filter((trait) => !trait.includes("eyes")) } : member)) },
    };
    const result = await audit(`${pov} looked up. ${partner}’s blue eyes were wet.`, `${partner}’s green eyes narrowed.`, silent);
    expect(result.text).toBe(`${pov} looked up. ${partner}’s green eyes were wet.`);
    expect(result.issues).toEqual([expect.objectContaining({ kind: "fact", description: expect.stringContaining("earlier passage") })]);
  });
});
