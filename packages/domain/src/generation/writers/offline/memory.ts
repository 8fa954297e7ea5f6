import type { ProjectBrief, StoryPlan } from "../writer";
import { inSentence } from "./english";
import type { BookPosition } from "./grammar";
import { randomFor, type Random } from "./random";
import { designScene, type SceneDesign, type SceneKindName } from "./scene-design";
import { editDistance, firstNameOf, settingOf } from "./story";

/**
 * The book's memory: what happens in each scene that later scenes can
 * remember. Every scene introduces one concrete thing (a clue found, a
 * wound, a betrayal, a place burned, a death, a promise, a warning left
 * somewhere), and recalls one or two things from earlier scenes by name.
 *
 * The record is worked out from the plan alone, scene by scene in outline
 * order, before any prose: drafting a scene reads its entry here, so the
 * record and the prose always agree, and the book's memory is the same
 * however its scenes are scheduled, paused or resumed.
 */

export type StoryEventKind = "clue" | "wound" | "betrayal" | "ruin" | "death" | "promise" | "warning";

export interface StoryEvent {
  kind: StoryEventKind;
  /** The scene that introduces it. */
  chapter: number;
  scene: number;
  /** How later scenes name it; a scene that recalls the event says these exact words. */
  mention: string;
  /**
   * How the introducing scene first describes it: indefinite and with its
   * details ("a charred glove with Wren’s initials stitched inside"; "a cut
   * across his palm", said of its owner; a promise by its terms, "to keep
   * Wren out of it").
   */
  introduction: string;
  /** The person it concerns, by first name (a cast member) or full name (a minor figure); null for things and places. */
  who: string | null;
  /** Where it happened, as the prose says it mid-sentence. */
  place: string;
}

export interface SceneMemory {
  chapter: number;
  scene: number;
  /** What happens in this scene that later scenes may remember. */
  introduces: StoryEvent[];
  /** Things from earlier scenes this scene names. */
  recalls: StoryEvent[];
}

export interface BookMemory {
  /** Every scene in outline order. */
  scenes: SceneMemory[];
  /** Where each scene is in `scenes`, by "chapter:scene". */
  indexOf: ReadonlyMap<string, number>;
}

/** Scenes shorter than this recall one earlier thing; longer ones two. */
const TWO_RECALLS_WORDS = 450;

/** Which kind of event each kind of scene tends to produce, by weight. */
const EVENTS_BY_SCENE: Readonly<Record<SceneKindName, readonly (readonly [StoryEventKind, number])[]>> = {
  question: [["warning", 2], ["death", 2], ["clue", 2], ["betrayal", 1]],
  persuade: [["promise", 3], ["betrayal", 1], ["warning", 1]],
  confront: [["betrayal", 3], ["wound", 2], ["promise", 1]],
  search: [["clue", 4], ["ruin", 1], ["warning", 1]],
  reconcile: [["promise", 3], ["wound", 1], ["betrayal", 1]],
  escape: [["wound", 3], ["ruin", 3], ["clue", 1]],
  plan: [["promise", 2], ["warning", 2], ["death", 1]],
  bargain: [["promise", 2], ["betrayal", 2], ["clue", 1], ["death", 1]],
};

/** Small things a scene can turn up, by what they are made of, with the words that suit each. */
const CLUE_THINGS: readonly { nouns: readonly string[]; marks: readonly string[] }[] = [
  { nouns: ["glove", "ribbon", "handkerchief", "scarf", "sleeve"], marks: ["torn", "charred", "bloodstained", "muddy", "scorched", "water-stained"] },
  { nouns: ["page", "letter", "note", "map", "envelope"], marks: ["torn", "charred", "water-stained", "bloodstained", "crumpled", "half-burnt"] },
  { nouns: ["key", "ring", "button", "coin", "buckle", "locket"], marks: ["bent", "tarnished", "broken", "bloodstained", "silver", "brass", "cracked"] },
];

/** How a clue was left, with {X} the absent character, {elsewhere} another place, {threat}. */
const CLUE_DETAILS = [
  "with {X}’s initials stitched inside",
  "that should have been at {elsewhere}",
  "with a name scratched into it",
  "stained with something dark",
  "wrapped in oilcloth",
  "tucked where nobody would think to look",
  "bearing the mark of {threat}",
  "that {X} had sworn was lost",
  "with a date on it that made no sense",
];

const WOUNDS: readonly (readonly [string, string, string])[] = [
  ["cut", "across", "palm"],
  ["burn", "on", "wrist"],
  ["bruise", "along", "jaw"],
  ["gash", "above", "eye"],
  ["cut", "on", "cheek"],
  ["graze", "on", "knuckles"],
  ["sprain", "in", "ankle"],
  ["split", "in", "lip"],
];

const BETRAYALS = ["lie", "betrayal", "double-dealing", "broken word", "deceit"];

const RUINS: readonly (readonly [string, string])[] = [
  ["fire", "at"],
  ["break-in", "at"],
  ["raid", "on"],
];

const PROMISE_TERMS = ["to say nothing about {secret}", "to keep {X} out of it", "to come to {elsewhere} when it mattered", "to see it through to the end", "to tell the truth next time"];

const WARNINGS = ["warning", "message", "chalk mark", "scrawled threat"];

/** A minor figure of the world: someone the cast knows, who does not hold a point of view. */
interface Figure {
  name: string;
  profession: string;
}

class MemoryBuilder {
  private readonly scenes: SceneMemory[] = [];
  private readonly events: { event: StoryEvent; index: number; recalled: number }[] = [];
  private readonly mentions = new Set<string>();
  private readonly figures: Figure[] = [];
  private readonly takenNames: string[];
  private readonly narrator: string | null;

  constructor(
    private readonly brief: ProjectBrief,
    private readonly plan: StoryPlan,
  ) {
    const placeWords = plan.world.places.flatMap((place) => place.name.split(/\s+/)).filter((word) => /^\p{Lu}/u.test(word));
    this.takenNames = [...plan.cast.cast.flatMap((member) => member.name.split(/\s+/)), ...placeWords];
    const protagonist = plan.cast.cast[0]?.name ?? "";
    this.narrator = plan.highConcept.narrative_voice.person === "first" ? firstNameOf(protagonist) : null;
  }

  build(): BookMemory {
    for (const chapter of this.plan.outline.chapters) {
      for (const scene of chapter.scenes) {
        const design = designScene(this.brief, this.plan, chapter.number, scene.number, scene.pov, scene.place);
        const random = randomFor(this.brief.seed, "memory", chapter.number, scene.number);
        const recalls = this.recall(random, design, scene.target_words < TWO_RECALLS_WORDS ? 1 : 2);
        const event = this.introduce(random, design, chapter.number, scene.number);
        this.scenes.push({ chapter: chapter.number, scene: scene.number, introduces: event ? [event] : [], recalls });
        if (event) this.events.push({ event, index: this.scenes.length - 1, recalled: 0 });
      }
    }
    return { scenes: this.scenes, indexOf: new Map(this.scenes.map((entry, index) => [`${entry.chapter}:${entry.scene}`, index])) };
  }

  /** Earlier events this scene names: those of the people in it, of its place, recent ones, and ones never recalled yet. */
  private recall(random: Random, design: SceneDesign, count: number): StoryEvent[] {
    const here = this.scenes.length;
    const present = [design.pov.first, design.partner.first];
    const chosen: StoryEvent[] = [];
    const candidates = [...this.events];
    for (let turn = 0; turn < count && candidates.length > 0; turn++) {
      const pick = random.weighted(
        candidates.map((entry) => {
          const { event } = entry;
          let weight = 1;
          if (event.who && present.includes(event.who)) weight += 3;
          if (event.place === inSentence(design.place)) weight += 2;
          if (here - entry.index <= 4) weight += 2;
          if (entry.recalled === 0) weight += 2;
          return [entry, weight] as const;
        }),
      );
      candidates.splice(candidates.indexOf(pick), 1);
      pick.recalled += 1;
      chosen.push(pick.event);
    }
    return chosen;
  }

  private introduce(random: Random, design: SceneDesign, chapter: number, scene: number): StoryEvent | null {
    const kinds = random.shuffled(EVENTS_BY_SCENE[design.kind].flatMap(([kind, weight]) => Array.from({ length: weight }, () => kind)));
    // The scene's own kinds first, then any other, so that a book that has used up its promises still remembers something.
    const order = [...new Set([...kinds, ...random.shuffled<StoryEventKind>(["clue", "ruin", "warning", "death", "wound", "betrayal", "promise"])])];
    for (const kind of order) {
      const event = this.eventOf(kind, random, design, chapter, scene);
      if (event && !this.mentions.has(event.mention)) {
        this.mentions.add(event.mention);
        return event;
      }
    }
    return null;
  }

  private eventOf(kind: StoryEventKind, random: Random, design: SceneDesign, chapter: number, scene: number): StoryEvent | null {
    const base = { kind, chapter, scene };
    const here = inSentence(design.place);
    const slots = (text: string) =>
      text
        .replace("{X}", design.absent.first)
        .replace("{elsewhere}", inSentence(design.elsewhere))
        .replace("{threat}", design.core.threat)
        .replace("{secret}", design.secret)
        .replace(/'/g, "’");
    // Someone in the scene other than a first-person narrator, who cannot name themselves.
    const people = [design.partner, design.pov].filter((actor) => actor.first !== this.narrator);
    switch (kind) {
      case "clue": {
        for (let attempt = 0; attempt < 8; attempt++) {
          const group = random.pick(CLUE_THINGS);
          const thing = `${random.pick(group.marks)} ${random.pick(group.nouns)}`;
          const mention = `the ${thing}`;
          if (this.mentions.has(mention)) continue;
          return { ...base, mention, introduction: slots(`${/^[aeiou]/.test(thing) ? "an" : "a"} ${thing} ${random.pick(CLUE_DETAILS)}`), who: null, place: here };
        }
        return null;
      }
      case "wound": {
        const who = random.pick(people.length > 0 ? people : [design.partner]);
        for (const [injury, preposition, part] of random.shuffled(WOUNDS)) {
          const mention = `the ${injury} ${preposition} ${who.first}’s ${part}`;
          const introduction = `${/^[aeiou]/.test(injury) ? "an" : "a"} ${injury} ${preposition} ${who.pronouns.possessive} ${part}`;
          if (!this.mentions.has(mention)) return { ...base, mention, introduction, who: who.first, place: here };
        }
        return null;
      }
      case "betrayal": {
        const who = design.partner.first === this.narrator ? design.pov.first : design.partner.first;
        const noun = random.pick(BETRAYALS);
        return { ...base, mention: `${who}’s ${noun}`, introduction: slots(`${who}’s ${noun} about {secret}`), who, place: here };
      }
      case "ruin": {
        const places = this.plan.world.places.map((place) => inSentence(place.name)).filter((name) => name !== here);
        const [damage, preposition] = random.pick(RUINS);
        const where = random.pick(places.length > 0 ? places : [here]);
        const mention = `the ${damage} ${preposition} ${where}`.replace(/'/g, "’");
        return { ...base, mention, introduction: mention.replace(/^the /, damage === "raid" ? "a " : /^[aeiou]/.test(damage) ? "an " : "a "), who: null, place: where };
      }
      case "death": {
        const figure = this.newFigure(random, design);
        if (!figure) return null;
        return { ...base, mention: `${figure.name}’s death`, introduction: `${figure.name}, ${/^[aeiou]/.test(figure.profession) ? "an" : "a"} ${figure.profession}`, who: figure.name, place: here };
      }
      case "promise": {
        const who = design.partner.first === this.narrator ? design.pov.first : design.partner.first;
        return { ...base, mention: `${who}’s promise`, introduction: slots(random.pick(PROMISE_TERMS)), who, place: here };
      }
      case "warning": {
        const feature = random.pick(settingOf(design.core.kit, this.plan.world, design.place).features).replace(/'/g, "’");
        const noun = random.pick(WARNINGS);
        const mention = `the ${noun} by ${feature}`;
        return { ...base, mention, introduction: `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun} by ${feature}`, who: null, place: here };
      }
    }
  }

  /** A new minor figure with a name no one in the book shares, or nearly shares. */
  private newFigure(random: Random, design: SceneDesign): Figure | null {
    const { names, professions } = design.core.kit;
    for (let attempt = 0; attempt < 12; attempt++) {
      const first = random.pick(random.chance(0.5) ? names.female : names.male);
      const family = random.pick(names.family);
      const clashes = (word: string) => this.takenNames.some((taken) => editDistance(word.toLowerCase(), taken.toLowerCase()) <= 2);
      if (clashes(first) || clashes(family)) continue;
      const figure = { name: `${first} ${family}`, profession: random.pick(professions) };
      this.takenNames.push(first, family);
      this.figures.push(figure);
      return figure;
    }
    return null;
  }
}

/** Memories already worked out, per plan: every scene call of a stage shares one plan. */
const memories = new WeakMap<StoryPlan, Map<string, BookMemory>>();

/**
 * The book's memory: for every scene, what it introduces and what earlier
 * things it names. A pure function of the brief and the plan (memoised per
 * plan, since every scene of a stage asks for it).
 */
export function storyMemory(brief: ProjectBrief, plan: StoryPlan): BookMemory {
  let byBrief = memories.get(plan);
  if (!byBrief) {
    byBrief = new Map();
    memories.set(plan, byBrief);
  }
  const key = JSON.stringify(brief);
  let memory = byBrief.get(key);
  if (!memory) {
    memory = new MemoryBuilder(brief, plan).build();
    byBrief.set(key, memory);
  }
  return memory;
}

/** A scene's place in the book and its memory. */
export function sceneMemory(brief: ProjectBrief, plan: StoryPlan, chapter: number, scene: number): { position: BookPosition; memory: SceneMemory } {
  const { scenes, indexOf } = storyMemory(brief, plan);
  const index = indexOf.get(`${chapter}:${scene}`) ?? 0;
  const memory = scenes[index] ?? { chapter, scene, introduces: [], recalls: [] };
  return { position: { index, count: Math.max(1, scenes.length) }, memory };
}
