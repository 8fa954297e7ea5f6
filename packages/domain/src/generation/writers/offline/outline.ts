import type { Outline, ScenePlan } from "../../outputs";
import type { ProjectBrief, StoryPlan } from "../writer";
import { capitalise, inSentence } from "./english";
import { randomFor, type Random } from "./random";
import { designScene, inflect, isPlural, MAJOR_ROLES, type Clause, type SceneDesign } from "./scene-design";
import { firstNameOf, storyCore } from "./story";
import { fill } from "./template";

const TITLE_PATTERNS = ["The {Adj} {Noun}", "{Noun} and {Noun2}", "What the {Noun} Knew", "{Adj} {Noun}", "Before the {Noun}", "After the {Noun}", "The {Noun} at {Town}", "A {Noun} in the {Noun2}", "The Last {Noun}", "{Noun} of {Noun2}"];

const GOAL_FORMS = ["{P} wants to {goal}.", "{P} must {goal}.", "{P} sets out to {goal}.", "{P} needs to {goal}.", "{P} hopes to {goal}."];

/** Distinct chapter titles, drawing on the genre's title words and the world's place names. */
function chapterTitles(random: Random, plan: Omit<StoryPlan, "outline">, count: number, nouns: readonly string[], adjectives: readonly string[]): string[] {
  const towns = plan.world.places.map((place) => place.name).filter((name) => !name.startsWith("The ") && !name.includes(" "));
  const titles: string[] = [];
  const nounUses = new Map<string, number>();
  // Prefer nouns that have been used least, so titles do not keep circling the same word.
  const freshNoun = (exclude: string): string => {
    const least = Math.min(...nouns.map((noun) => nounUses.get(noun) ?? 0));
    const noun = random.pick(nouns.filter((candidate) => (nounUses.get(candidate) ?? 0) === least && candidate !== exclude));
    nounUses.set(noun, (nounUses.get(noun) ?? 0) + 1);
    return noun;
  };
  for (let chapter = 0; chapter < count; chapter++) {
    let title = "";
    for (let attempt = 0; attempt < 20 && (title === "" || titles.includes(title)); attempt++) {
      const pattern = random.pick(towns.length > 0 ? TITLE_PATTERNS : TITLE_PATTERNS.filter((candidate) => !candidate.includes("{Town}")));
      const noun = freshNoun("");
      const values: Record<string, string> = { Noun: noun, Noun2: freshNoun(noun), Adj: random.pick(adjectives), Town: towns.length > 0 ? random.pick(towns) : "" };
      title = fill(pattern, (slot) => values[slot] ?? slot);
    }
    titles.push(titles.includes(title) ? `${title} (${chapter + 1})` : title);
  }
  return titles;
}

/**
 * Scene lengths follow the pacing curve: tense chapters get longer scenes.
 * Largest-remainder rounding makes them add up to the target exactly.
 */
function sceneLengths(brief: ProjectBrief, pacing: readonly number[], random: Random): number[][] {
  const weights: number[][] = Array.from({ length: brief.chapters }, (_, chapter) => {
    const tension = pacing[chapter] ?? 0.5;
    return Array.from({ length: brief.scenes_per_chapter }, () => (0.8 + 0.4 * tension) * (0.9 + 0.2 * random.next()));
  });
  const flat = weights.flat();
  const total = flat.reduce((sum, weight) => sum + weight, 0);
  const budget = Math.max(brief.target_words, flat.length);
  // Every scene gets at least one word; the rest is shared by weight.
  const shares = flat.map((weight) => 1 + ((budget - flat.length) * weight) / total);
  const lengths = shares.map(Math.floor);
  let remainder = budget - lengths.reduce((sum, length) => sum + length, 0);
  const byFraction = shares.map((share, index) => ({ index, fraction: share - Math.floor(share) })).sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of byFraction) {
    if (remainder <= 0) break;
    lengths[index] = (lengths[index] ?? 0) + 1;
    remainder -= 1;
  }
  return weights.map((scenes, chapter) => scenes.map((_, scene) => lengths[chapter * brief.scenes_per_chapter + scene] ?? 1));
}

/** A clause in the present tense, as outlines are written ("Tomas refuses to talk"). */
function presentClause(design: SceneDesign, clause: Clause): string {
  const subject = clause.subject === "pov" ? design.pov.first : clause.subject === "partner" ? design.partner.first : design.core.threat;
  const verb = inflect(clause.verb, "present", clause.subject === "threat" && isPlural(subject));
  return `${capitalise(subject)} ${verb} ${fill(clause.rest, (slot) => summarySlot(design, slot))}.`;
}

/** Slot values for summaries, which name everyone. */
function summarySlot(design: SceneDesign, slot: string): string {
  const values: Record<string, string> = {
    P: design.pov.first,
    Po: design.pov.first,
    Pp: `${design.pov.first}'s`,
    Pr: design.pov.pronouns.reflexive,
    Qn: design.partner.first,
    X: design.absent.first,
    centre: design.core.centre,
    secret: design.secret,
    prop: design.prop,
    place: inSentence(design.place),
    elsewhere: inSentence(design.elsewhere),
  };
  return values[slot] ?? slot;
}

export function buildOutline(brief: ProjectBrief, earlier: Omit<StoryPlan, "outline">): Outline {
  const core = storyCore(brief);
  const random = randomFor(brief.seed, "scene_outline");
  const titles = chapterTitles(random, earlier, brief.chapters, core.kit.titles.nouns, core.kit.titles.adjectives);
  const lengths = sceneLengths(brief, earlier.beats.pacing_curve, random);
  const protagonist = earlier.cast.cast[0]?.name ?? core.protagonist;
  const viewpoints = earlier.cast.cast.filter((member) => MAJOR_ROLES.includes(member.role) && member.name !== protagonist).map((member) => member.name);
  const firstPerson = earlier.highConcept.narrative_voice.person === "first";
  const places = earlier.world.places.map((place) => place.name);
  let previousPlace = "";

  const chapters = titles.map((title, chapterIndex) => {
    const chapter = chapterIndex + 1;
    const scenes = (lengths[chapterIndex] ?? []).map((target_words, sceneIndex): ScenePlan => {
      // A first-person book is told by its protagonist throughout.
      const pov = firstPerson || viewpoints.length === 0 || random.chance(0.65) ? protagonist : random.pick(viewpoints);
      const place = random.pick(places.filter((candidate) => candidate !== previousPlace).concat(places.length === 1 ? places : []));
      previousPlace = place;
      const design = designScene(brief, earlier, chapter, sceneIndex + 1, pov, place);
      return {
        number: sceneIndex + 1,
        pov,
        place,
        goal: fill(random.pick(GOAL_FORMS), (slot) => (slot === "P" ? firstNameOf(pov) : fill(design.goal, (inner) => summarySlot(design, inner)))),
        conflict: presentClause(design, design.conflict),
        outcome: presentClause(design, design.outcome),
        target_words,
      };
    });
    return { number: chapter, title, scenes };
  });
  return { chapters };
}
