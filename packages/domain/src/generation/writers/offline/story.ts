import type { Cast, Character, World } from "../../outputs";
import type { ProjectBrief } from "../writer";
import { NUMBER_PATTERN, parseNumber } from "./english";
import { genreKit, type GenreKit } from "./genres";
import { randomFor, type Random } from "./random";

/**
 * The story's fixed points, derived from the brief alone so that every
 * stage agrees on them: the genre's vocabulary, the protagonist, what the
 * book turns on and who stands in the way.
 */
export interface StoryCore {
  kit: GenreKit;
  protagonist: string;
  protagonistPronouns: Pronouns;
  protagonistProfession: string;
  centre: string;
  /** What the protagonist sets out to do, as an infinitive phrase without "to". */
  quest: string;
  threat: string;
  stakes: string;
  incident: string;
  setting: { name: string; era: string; description: string };
  /** Generated proper names for the world's places, all distinct. */
  townNames: string[];
}

const QUESTS = ["learn the truth about {centre}", "settle the matter of {centre} once and for all", "decide what {centre} is really worth", "see {centre} safely through to the end"];

export interface Pronouns {
  subject: string;
  object: string;
  possessive: string;
  reflexive: string;
}

export const SHE: Pronouns = { subject: "she", object: "her", possessive: "her", reflexive: "herself" };
export const HE: Pronouns = { subject: "he", object: "him", possessive: "his", reflexive: "himself" };
export const FIRST_PERSON: Pronouns = { subject: "I", object: "me", possessive: "my", reflexive: "myself" };

export const EYE_COLOURS = ["grey", "blue", "green", "brown", "hazel", "amber", "black", "violet"] as const;

export function storyCore(brief: ProjectBrief): StoryCore {
  const kit = genreKit(brief.genre);
  const random = randomFor(brief.seed, "core");
  const given = brief.protagonist.trim();
  const pronouns = given ? pronounsForName(given.split(/\s+/)[0] ?? given, kit, brief.seed) : random.chance(0.5) ? SHE : HE;
  const protagonist = given || `${random.pick(pronouns === SHE ? kit.names.female : kit.names.male)} ${random.pick(kit.names.family)}`;
  const centre = random.pick(kit.centres);
  const [settingTown = "", ...placeTowns] = townNames(kit, random, 10);
  return {
    kit,
    protagonist,
    protagonistPronouns: pronouns,
    protagonistProfession: random.pick(kit.professions),
    centre,
    quest: random.pick(QUESTS).replace("{centre}", centre),
    threat: random.pick(kit.threats),
    stakes: random.pick(kit.stakes),
    incident: random.pick(kit.incidents),
    setting: {
      name: random.pick(kit.setting.patterns).replace("{town}", settingTown),
      era: random.pick(kit.setting.eras),
      description: random.pick(kit.setting.descriptions),
    },
    townNames: placeTowns,
  };
}

function townNames(kit: GenreKit, random: Random, count: number): string[] {
  const names = new Set<string>();
  for (let attempt = 0; names.size < count && attempt < 200; attempt++) {
    names.add(`${random.pick(kit.townParts.first)}${random.pick(kit.townParts.second)}`);
  }
  return [...names];
}

/** A name's pronouns as the genre tables know them; unknown names get a stable guess. */
function pronounsForName(firstName: string, kit: GenreKit, seed: number): Pronouns {
  if (kit.names.female.includes(firstName)) return SHE;
  if (kit.names.male.includes(firstName)) return HE;
  return randomFor(seed, "pronouns", firstName).chance(0.5) ? SHE : HE;
}

/**
 * A shorter way to say a story name once it has been said in full: its head
 * noun ("the sleeping dragon's egg" → "the egg", "the list of names" → "the
 * list"). Names that do not start with "the" stay whole.
 */
export function shortName(phrase: string): string {
  if (!phrase.startsWith("the ")) return phrase;
  const head = phrase.split(/ (?:of|that|who|in|on|beneath|inside|under|from|called) /)[0] ?? phrase;
  return `the ${head.split(" ").pop() ?? head}`;
}

/** First word of a name. */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** What the cast sheet states about a character, for the prose and the continuity audit. */
export interface Facts {
  eyes: string | null;
  age: number | null;
  profession: string | null;
}

/** A cast member as the prose uses them. */
export interface Actor {
  character: Character;
  first: string;
  pronouns: Pronouns;
  facts: Facts;
}

const EYES_TRAIT = new RegExp(`\\b(${EYE_COLOURS.join("|")}|gray)\\s+eyes\\b`, "i");
const AGE_TRAIT = new RegExp(`\\b(${NUMBER_PATTERN})\\s+years?\\s+old\\b|\\baged\\s+(${NUMBER_PATTERN})\\b`, "i");
const PROFESSION_TRAIT = /^(?:an?\s+)?(.+?)\s+by\s+trade$|^works?\s+as\s+an?\s+(.+)$|^profession:\s*(.+)$/i;

export function normaliseEyeColour(colour: string): string {
  const lower = colour.toLowerCase();
  return lower === "gray" ? "grey" : lower;
}

export function factsOf(character: Character): Facts {
  const facts: Facts = { eyes: null, age: null, profession: null };
  for (const trait of character.traits) {
    const eyes = EYES_TRAIT.exec(trait);
    if (eyes?.[1]) facts.eyes = normaliseEyeColour(eyes[1]);
    const age = AGE_TRAIT.exec(trait);
    const ageText = age?.[1] ?? age?.[2];
    if (ageText) facts.age = parseNumber(ageText);
    const profession = PROFESSION_TRAIT.exec(trait.trim());
    const professionText = profession?.[1] ?? profession?.[2] ?? profession?.[3];
    if (professionText) facts.profession = professionText.toLowerCase();
  }
  return facts;
}

/**
 * A character's pronouns: from a "she/her"-style trait, else from the
 * pronouns their own descriptions use, else from the genre name tables.
 */
function pronounsOf(character: Character, kit: GenreKit, seed: number): Pronouns {
  const traits = character.traits.map((trait) => trait.toLowerCase());
  if (traits.some((trait) => /\bshe\s*\/\s*her\b/.test(trait))) return SHE;
  if (traits.some((trait) => /\bhe\s*\/\s*him\b/.test(trait))) return HE;
  const about = ` ${character.goal} ${character.arc} `.toLowerCase();
  const female = about.match(/\b(she|her|herself)\b/g)?.length ?? 0;
  const male = about.match(/\b(he|him|his|himself)\b/g)?.length ?? 0;
  if (female !== male) return female > male ? SHE : HE;
  return pronounsForName(firstNameOf(character.name), kit, seed);
}

export function actorsOf(cast: Cast, kit: GenreKit, seed: number): Actor[] {
  return cast.cast.map((character) => ({
    character,
    first: firstNameOf(character.name),
    pronouns: pronounsOf(character, kit, seed),
    facts: factsOf(character),
  }));
}

/** The cast member a name refers to (full name or first name), if any. */
export function findActor(actors: readonly Actor[], name: string): Actor | undefined {
  const wanted = name.trim().toLowerCase();
  return actors.find((actor) => actor.character.name.toLowerCase() === wanted) ?? actors.find((actor) => actor.first.toLowerCase() === firstNameOf(wanted));
}

/** A place as the prose mentions it mid-sentence, and what it contains. */
export interface Setting {
  name: string;
  features: readonly string[];
}

/**
 * The things a scene can show in a world place: the features of the genre's
 * matching place kind when the name follows one of its patterns, else
 * generic ones.
 */
export function settingOf(kit: GenreKit, world: World, placeName: string): Setting {
  const place = world.places.find((candidate) => candidate.name === placeName) ?? { name: placeName, description: "" };
  let best: { features: readonly string[]; fixedLength: number } | null = null;
  for (const kind of kit.places) {
    const [before = "", after] = kind.pattern.split("{town}");
    const matches = after === undefined ? kind.pattern === place.name : place.name.startsWith(before) && place.name.endsWith(after);
    // A bare "{town}" pattern matches any name: prefer the kind whose fixed words match the most.
    const fixedLength = before.length + (after ?? "").length;
    if (matches && (best === null || fixedLength > best.fixedLength)) best = { features: kind.features, fixedLength };
  }
  return { name: place.name, features: best?.features ?? ["the doorway", "the far wall", "the window", "the table"] };
}

/** Optimal-string-alignment distance: edits, with a swap of neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[] = new Array<number>(rows * columns).fill(0);
  const at = (i: number, j: number): number => table[i * columns + j] ?? 0;
  for (let i = 0; i < rows; i++) table[i * columns] = i;
  for (let j = 0; j < columns; j++) table[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      table[i * columns + j] = best;
    }
  }
  return at(a.length, b.length);
}
