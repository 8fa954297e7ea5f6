import type { ProjectBrief, StoryPlan } from "../writer";
import { pastOf, thirdPersonOf } from "./english";
import { randomFor, type Random } from "./random";
import { actorsOf, findActor, storyCore, type Actor, type StoryCore } from "./story";

/**
 * What happens in one scene: who is there, what the point-of-view character
 * wants, what stands in the way and how it ends. The outline states it in
 * summary; the draft turns the same design into prose, so both always agree.
 */
export interface SceneDesign {
  /** What sort of scene it is ("question", "search", "escape", …). */
  kind: SceneKindName;
  core: StoryCore;
  actors: Actor[];
  person: "first" | "third";
  pov: Actor;
  partner: Actor;
  /** A cast member who is not in the scene but is thought of or talked about. */
  absent: Actor;
  place: string;
  /** Another place of the world, for memories and plans. */
  elsewhere: string;
  secret: string;
  prop: string;
  /** An infinitive phrase without "to", the same in any tense: "confront Tomas about the sealed warrant". */
  goal: string;
  conflict: Clause;
  outcome: Clause;
}

/** A clause whose subject and verb are inflected when it is written out. `rest` is a template. */
export interface Clause {
  subject: "pov" | "partner" | "threat";
  verb: string;
  rest: string;
}

type ClauseSpec = readonly [Clause["subject"], string, string];

interface SceneKind {
  goal: string;
  conflicts: readonly ClauseSpec[];
  outcomes: readonly ClauseSpec[];
  /** Which roles make the best scene partner, by weight. */
  partners: Readonly<Record<string, number>>;
}

/**
 * Scene templates. Slots: {Qn} the partner's name, {X} the absent character,
 * {centre}, {secret}, {prop}, {place}, {elsewhere}; and in `rest` also {Po}
 * {Pp} {Pr} for the point-of-view character (object, possessive, reflexive).
 */
export type SceneKindName = "question" | "persuade" | "confront" | "search" | "reconcile" | "escape" | "plan" | "bargain";

const KINDS: Readonly<Record<SceneKindName, SceneKind>> = {
  question: {
    goal: "question {Qn} about {centre}",
    conflicts: [["partner", "refuse", "to talk about {centre} at all"], ["partner", "tell", "lies about {secret}, and badly"], ["threat", "have", "someone watching {place}"], ["partner", "want", "something in return"]],
    outcomes: [["partner", "admit", "a link between {centre} and {secret}"], ["pov", "leave", "with a single name: {X}"], ["partner", "give", "{Po} one name and a warning"], ["pov", "come", "away with nothing but a suspicion"]],
    partners: { mentor: 3, ally: 3, confidant: 3, rival: 2, antagonist: 1, "love interest": 2 },
  },
  persuade: {
    goal: "persuade {Qn} to help",
    conflicts: [["partner", "demand", "an impossible price"], ["partner", "bring", "up old debts"], ["threat", "send", "word that changes everything"], ["partner", "refuse", "to take sides"]],
    outcomes: [["partner", "agree", "to help, for now"], ["partner", "refuse", "outright"], ["partner", "agree", "on one condition: {X} must never know"], ["pov", "win", "{Qn} over, at a cost"]],
    partners: { mentor: 3, ally: 2, rival: 3, confidant: 2, "love interest": 2 },
  },
  confront: {
    goal: "confront {Qn} about {secret}",
    conflicts: [["partner", "turn", "the accusation back on {Po}"], ["partner", "deny", "everything"], ["partner", "produce", "proof against {X}"], ["pov", "lose", "{Pp} temper"]],
    outcomes: [["partner", "confess", "part of the truth"], ["pov", "walk", "out, shaking"], ["partner", "break", "down and tell {Po} everything"], ["pov", "leave", "with the quarrel unresolved"]],
    partners: { antagonist: 4, rival: 3, ally: 1, mentor: 1, "love interest": 1 },
  },
  search: {
    goal: "search {place} for proof of {secret}",
    conflicts: [["threat", "arrive", "without warning"], ["pov", "find", "the place ransacked"], ["partner", "refuse", "to stay a minute longer"], ["pov", "hear", "footsteps close by"]],
    outcomes: [["pov", "find", "{prop} that should not be there"], ["pov", "escape", "with nothing"], ["partner", "find", "it first"], ["pov", "find", "a name carved where no one would look"]],
    partners: { ally: 3, confidant: 3, "love interest": 2, mentor: 1 },
  },
  reconcile: {
    goal: "make peace with {Qn}",
    conflicts: [["partner", "bring", "up {secret}"], ["pov", "say", "the wrong thing"], ["partner", "refuse", "to forgive"], ["partner", "want", "more than an apology"]],
    outcomes: [["pov", "reach", "an uneasy truce with {Qn}"], ["partner", "forgive", "{Po}, almost"], ["pov", "leave", "with the quarrel worse than before"], ["partner", "take", "{Pp} hand, briefly"]],
    partners: { "love interest": 4, ally: 2, rival: 2, mentor: 1, confidant: 2 },
  },
  escape: {
    goal: "get {Qn} out of {place} unseen",
    conflicts: [["threat", "close", "the way out"], ["partner", "refuse", "to leave without {X}"], ["pov", "hear", "footsteps on the stair"], ["threat", "seal", "the doors"]],
    outcomes: [["pov", "get", "{Qn} out with minutes to spare"], ["partner", "stay", "behind to buy time"], ["threat", "see", "them go"], ["pov", "lose", "{prop} in the scramble"]],
    partners: { ally: 3, "love interest": 3, confidant: 2, mentor: 2 },
  },
  plan: {
    goal: "agree on a plan with {Qn}",
    conflicts: [["partner", "want", "to go straight to {elsewhere}"], ["partner", "doubt", "{X}'s loyalty"], ["pov", "keep", "{secret} to {Pr}"], ["partner", "laugh", "at the whole idea"]],
    outcomes: [["pov", "agree", "to meet {Qn} at {elsewhere}"], ["partner", "leave", "to warn {X}"], ["pov", "choose", "the riskier plan"], ["partner", "promise", "to be there"]],
    partners: { ally: 4, mentor: 3, confidant: 3, "love interest": 2 },
  },
  bargain: {
    goal: "strike a bargain with {Qn}",
    conflicts: [["partner", "ask", "for {prop}"], ["partner", "raise", "the price"], ["threat", "make", "a better offer first"], ["partner", "want", "{X} kept out of it"]],
    outcomes: [["pov", "pay", "too much"], ["partner", "accept", "the bargain"], ["pov", "walk", "away from the deal"], ["partner", "take", "the bargain and break it at once"]],
    partners: { rival: 4, antagonist: 2, mentor: 1, confidant: 2 },
  },
};

const KINDS_BY_ACT: Readonly<Record<1 | 2 | 3, readonly SceneKindName[]>> = {
  1: ["question", "persuade", "search", "plan", "question"],
  2: ["confront", "bargain", "search", "escape", "question", "persuade", "reconcile"],
  3: ["confront", "escape", "reconcile", "plan", "confront"],
};

/** Roles that carry a story and may hold the point of view. */
export const MAJOR_ROLES = ["protagonist", "antagonist", "ally", "love interest", "mentor", "rival"];

/** Where in the book a scene falls, 0 to 1. */
function bookPosition(brief: ProjectBrief, chapter: number, scene: number): number {
  const total = Math.max(1, brief.chapters * brief.scenes_per_chapter);
  return ((chapter - 1) * brief.scenes_per_chapter + (scene - 1) + 0.5) / total;
}

function actOf(position: number): 1 | 2 | 3 {
  return position < 0.25 ? 1 : position < 0.75 ? 2 : 3;
}

function pickWeighted(random: Random, actors: readonly Actor[], weights: Readonly<Record<string, number>>): Actor {
  return random.weighted(actors.map((actor) => [actor, weights[actor.character.role] ?? 0.5] as const));
}

export function designScene(
  brief: ProjectBrief,
  plan: Omit<StoryPlan, "outline">,
  chapter: number,
  scene: number,
  povName: string,
  placeName: string,
): SceneDesign {
  const core = storyCore(brief);
  const actors = actorsOf(plan.cast, core.kit, brief.seed);
  const random = randomFor(brief.seed, "design", chapter, scene);
  const [first, second] = actors;
  if (!first || !second) throw new Error("a scene needs at least two characters");
  const pov = findActor(actors, povName) ?? first;
  const kindName = random.pick(KINDS_BY_ACT[actOf(bookPosition(brief, chapter, scene))]);
  const kind = KINDS[kindName];
  const others = actors.filter((actor) => actor !== pov);
  const partner = pickWeighted(random, others, kind.partners);
  const absent = random.pick(others.filter((actor) => actor !== partner).concat(others.length > 1 ? [] : [partner]));
  const otherPlaces = plan.world.places.map((place) => place.name).filter((name) => name !== placeName);
  const elsewhere = random.pick(otherPlaces.length > 0 ? otherPlaces : [placeName]);
  const [conflictSubject, conflictVerb, conflictRest] = random.pick(kind.conflicts);
  const [outcomeSubject, outcomeVerb, outcomeRest] = random.pick(kind.outcomes);
  return {
    kind: kindName,
    core,
    actors,
    person: plan.highConcept.narrative_voice.person,
    pov,
    partner,
    absent,
    place: placeName,
    elsewhere,
    secret: random.pick(core.kit.secrets),
    prop: random.pick(core.kit.props),
    goal: kind.goal,
    conflict: { subject: conflictSubject, verb: conflictVerb, rest: conflictRest },
    outcome: { subject: outcomeSubject, verb: outcomeVerb, rest: outcomeRest },
  };
}

/** True when a noun phrase reads as plural ("the regent's wardens"). */
export function isPlural(phrase: string): boolean {
  const last = phrase.trim().split(/\s+/).pop() ?? "";
  return /[^s'’]s$/.test(last) && !/(?:us|is)$/.test(last);
}

/** A verb agreeing with its subject, in the present or past tense. */
export function inflect(verb: string, tense: "present" | "past", plural: boolean): string {
  if (tense === "past") return verb === "be" ? (plural ? "were" : "was") : pastOf(verb);
  if (plural) return verb === "be" ? "are" : verb;
  return thirdPersonOf(verb);
}
