import type { BeatSheet, Cast, Character, HighConcept, World } from "../../outputs";
import type { ProjectBrief } from "../writer";
import { numberInWords, withArticle } from "./english";
import { randomFor, type Random } from "./random";
import { EYE_COLOURS, editDistance, firstNameOf, HE, SHE, storyCore, type Pronouns } from "./story";
import { fill } from "./template";

/** Roles in the order they join the cast; a small book keeps the first few. */
const ROLES = ["protagonist", "antagonist", "ally", "mentor", "love interest", "rival", "confidant"];
const ROMANCE_ROLES = ["protagonist", "love interest", "antagonist", "ally", "confidant", "mentor", "rival"];

const PERSONALITY = [
  "stubborn", "quick to laugh", "slow to trust", "proud", "restless", "meticulous", "reckless", "kind to strangers", "secretive",
  "sharp-tongued", "patient", "ambitious", "loyal to a fault", "haunted by an old mistake", "superstitious", "funny when frightened",
  "careful with money", "hungry for approval", "brave in small ways", "easily bored",
];

const SPEECH = [
  "Short sentences and dry understatement; never says please.",
  "Talks too much when nervous and answers questions with questions.",
  "Formal and precise, with an old-fashioned courtesy that can turn cold.",
  "Blunt and profane, and funnier than anyone expects.",
  "Quiet; chooses each word as if it costs money.",
  "Warm and teasing, quick to apologise, slow to mean it.",
  "Speaks in proverbs and half-remembered songs.",
  "Clipped professional jargon that slips when angry.",
];

/** Per role: the goal, and the relationship to the protagonist. Slots: {P} protagonist, {centre}, {threat}, {quest}, {pos} own possessive. */
const ROLE_DETAILS: Readonly<Record<string, { goals: readonly string[]; relations: readonly string[] }>> = {
  protagonist: { goals: ["To {quest}."], relations: [] },
  antagonist: { goals: ["To keep {centre} out of {P}'s hands, whatever it takes.", "To serve {threat} and be rewarded for it.", "To win, and to be proved right about {P}."], relations: ["former friend", "old enemy", "estranged cousin"] },
  ally: { goals: ["To stand by {P}, and to be trusted again.", "To pay back an old debt to {P}.", "To see {threat} brought down."], relations: ["old friend", "comrade", "cousin"] },
  mentor: { goals: ["To see {P} finish what {pos} own generation could not.", "To keep {P} alive long enough to learn.", "To atone for an old failure."], relations: ["teacher", "guardian", "former commander"] },
  "love interest": { goals: ["To protect {centre}, and, against {pos} better judgement, {P}.", "To start again somewhere no one knows {pos} name.", "To make {P} admit what they both already know."], relations: ["former lover", "childhood sweetheart", "new acquaintance"] },
  rival: { goals: ["To get to {centre} before {P} does.", "To prove {pos} worth to everyone who doubted it.", "To settle an old score with {P}."], relations: ["rival", "former partner", "competitor"] },
  confidant: { goals: ["To keep everyone safe, and {pos} own secret hidden.", "To hold the household together.", "To be useful, and to be noticed for it."], relations: ["confidant", "neighbour", "oldest friend"] },
};

/** Ties that read the same from either side ("old friend", unlike "teacher"). */
export const SYMMETRIC_TIES = ["old friend", "comrade", "cousin", "former friend", "old enemy", "estranged cousin", "former lover", "childhood sweetheart", "rival", "former partner", "competitor", "neighbour", "oldest friend", "uneasy ally", "old comrade", "business partner", "bitter rival"];

/** Arcs are built on one of the book's themes. Slots: {first}, {theme}, {pos}, {s}. */
const ARCS = [
  "{first} begins certain and ends humbled, having learned what {theme} really asks of a person.",
  "{first} starts the book hiding from {theme} and ends it facing it, at a price.",
  "A slow thaw: {first} lets people in, and finds that {theme} cuts both ways.",
  "{first} holds on to an old belief about {theme} until it costs too much, then lets it go.",
  "{first} moves from resentment to a hard-won, partial forgiveness.",
  "{first} learns too late that {s} was wrong about {theme}, and has to live with it.",
];

function castSize(chapters: number): number {
  return chapters >= 20 ? 7 : chapters >= 8 ? 6 : 5;
}

/** Name pieces must differ enough that a misspelling of one can never be mistaken for another. */
function tooSimilar(name: string, taken: readonly string[]): boolean {
  const lower = name.toLowerCase();
  return taken.some((other) => editDistance(lower, other.toLowerCase()) <= 2);
}

/**
 * A name unlike every name already taken; first names also prefer an
 * initial no other cast member has, which makes the cast easier to tell apart.
 */
function chooseName(random: Random, options: readonly string[], taken: string[], initials: string[] | null): string {
  const candidates = random.shuffled(options).filter((name) => !taken.includes(name));
  const name =
    candidates.find((candidate) => !tooSimilar(candidate, taken) && !initials?.includes(candidate.charAt(0))) ??
    candidates.find((candidate) => !tooSimilar(candidate, taken)) ??
    candidates[0] ??
    random.pick(options);
  taken.push(name);
  initials?.push(name.charAt(0));
  return name;
}

function ageFor(role: string, random: Random): number {
  if (role === "mentor") return random.between(55, 74);
  if (role === "protagonist" || role === "love interest") return random.between(24, 44);
  return random.between(20, 62);
}

function character(
  random: Random,
  role: string,
  name: string,
  pronouns: Pronouns,
  values: { protagonist: string; centre: string; threat: string; quest: string; themes: readonly string[] },
  profession: string,
): Character {
  const details = ROLE_DETAILS[role] ?? ROLE_DETAILS.ally;
  const slotValues: Record<string, string> = {
    P: firstNameOf(values.protagonist),
    centre: values.centre,
    threat: values.threat,
    quest: values.quest,
    pos: pronouns.possessive,
    first: firstNameOf(name),
    s: pronouns.subject,
    theme: random.pick(values.themes),
  };
  const slots = (slot: string): string => slotValues[slot] ?? slot;
  return {
    name,
    role,
    goal: fill(random.pick(details?.goals ?? ["To survive."]), slots),
    arc: fill(random.pick(ARCS), slots),
    voice: random.pick(SPEECH),
    traits: [
      `${pronouns.subject}/${pronouns.object}`,
      `${random.pick(EYE_COLOURS)} eyes`,
      `${numberInWords(ageFor(role, random))} years old`,
      `${withArticle(profession)} by trade`,
      ...random.sample(PERSONALITY, 2),
    ],
    relationships: [],
  };
}

export function buildCast(brief: ProjectBrief, earlier: { highConcept: HighConcept; world: World; beats: BeatSheet }): Cast {
  const core = storyCore(brief);
  const { kit } = core;
  const random = randomFor(brief.seed, "characters");
  const roles = (kit.key === "romance" ? ROMANCE_ROLES : ROLES).slice(0, castSize(brief.chapters));
  // Place names share the prose with character names, so they must not look alike either.
  const taken = earlier.world.places.flatMap((place) => place.name.split(/\s+/)).filter((word) => /^[A-Z]/.test(word) && word !== "The");
  taken.push(...core.protagonist.split(/\s+/));
  const initials = [core.protagonist.charAt(0)];
  const values = { protagonist: core.protagonist, centre: core.centre, threat: core.threat, quest: core.quest, themes: earlier.highConcept.themes };
  const usedProfessions = [core.protagonistProfession];

  const cast = roles.map((role) => {
    if (role === "protagonist") return character(random, role, core.protagonist, core.protagonistPronouns, values, core.protagonistProfession);
    const pronouns = role === "love interest" ? (core.protagonistPronouns === SHE ? HE : SHE) : random.chance(0.5) ? SHE : HE;
    const first = chooseName(random, pronouns === SHE ? kit.names.female : kit.names.male, taken, initials);
    const family = chooseName(random, kit.names.family, taken, null);
    const profession = random.pick(kit.professions.filter((candidate) => !usedProfessions.includes(candidate)));
    usedProfessions.push(profession);
    return character(random, role, `${first} ${family}`, pronouns, values, profession);
  });

  const [protagonist, ...others] = cast;
  if (protagonist) {
    for (const member of others) {
      const kind = random.pick(ROLE_DETAILS[member.role]?.relations ?? ["acquaintance"]);
      member.relationships.push({ with: protagonist.name, kind });
      protagonist.relationships.push({ with: member.name, kind });
    }
  }
  // One tie between two secondary characters, so the cast is a web and not a star.
  const [a, b] = random.sample(others, 2);
  if (a && b) {
    const kind = random.pick(["uneasy ally", "old comrade", "former lover", "cousin", "business partner", "bitter rival"]);
    a.relationships.push({ with: b.name, kind });
    b.relationships.push({ with: a.name, kind });
  }
  return { cast };
}
