import { countWords } from "../../quality";
import type { SceneInput } from "../writer";
import { randomFor, type Random } from "./random";
import { actorsOf, findActor, firstNameOf, storyCore, type Actor } from "./story";
import { fill } from "./template";
import { hasSpeech, joinParagraphs, splitParagraphs } from "./text";

/**
 * Dialogue pass (stage 9): dialogue and psychological realism.
 * - a question tagged "said" is "asked"; when two neighbouring lines share
 *   a tag verb, an answer is "replied" and anything else gets a beat;
 * - about a third of the plain "said" tags become action beats
 *   (“Go,” Tomas said. → “Go.” Tomas folded his arms.);
 * - now and then the point-of-view character's reaction follows a line:
 *   what they hear under the words.
 * Additions stop at 2.5 % of the scene's words.
 */

const MAX_ADDED = 0.025;
const TAG_VERBS = "said|asked|replied|answered|admitted|added|murmured|whispered|muttered|insisted|called|snapped|pressed|demanded";
/** “Line,” Tomas said. — a tag after the speech. */
const TAG_AFTER = new RegExp(`“([^”]*?)([,?!])” (\\p{Lu}[\\p{L}’'-]*|he|she|they|we) (${TAG_VERBS})([.,])`, "u");
/** “Line,” said Tomas. — an inverted tag. */
const TAG_INVERTED = new RegExp(`“([^”]*?)([,?!])” (${TAG_VERBS}) (\\p{Lu}[\\p{L}’'-]*)\\.`, "u");

/** Tags for a line that answers a question. */
const ANSWER_TAGS = ["replied", "answered", "said"];

/** Beats that need no pronoun. {S} is the speaker as the tag named them. */
const PLAIN_BEATS = ["{S} glanced toward the window.", "{S} shrugged.", "{S} looked at the floor.", "{S} waited.", "{S} turned away.", "{S} exhaled.", "{S} tapped the table twice.", "{S} straightened up.", "{S} kept very still."];
/** Beats with the speaker's possessive, {p}. */
const POSSESSIVE_BEATS = ["{S} rubbed {p} jaw.", "{S} opened {p} hands.", "{S} ran a thumb along {p} sleeve.", "{S} looked down at {p} hands.", "{S} pressed {p} lips together.", "{S} lifted {p} chin."];

/** The point-of-view character's reaction to someone else's line. {P} is them, {S} the speaker, {Sp} the speaker's possessive. */
const SUBTEXT = [
  "{P} heard what {S} was not saying.",
  "It was not an answer, and they both knew it.",
  "{P} filed that away for later.",
  "Something in {S}’s voice did not match the words.",
  "{P} wondered how long {S} had been waiting to say that.",
  "{P} did not believe a word of it, and did not say so.",
  "Under the words, {P} could hear something else: fear, or shame.",
  "{P} watched {S}’s hands instead of {Sp} face. The hands were more honest.",
];
/** The point-of-view character's reaction to their own line. */
const SELF_SUBTEXT = ["It came out harder than {P} had meant.", "{P} regretted it as soon as it was said.", "{P} heard {own} voice shake, and hated it."];

const POSSESSIVE_OF_PRONOUN: Readonly<Record<string, string>> = { I: "my", he: "his", she: "her", they: "their", we: "our", He: "his", She: "her", They: "their", We: "our" };

interface Tag {
  speaker: string;
  verb: string;
  /** The whole match, to be replaced. */
  match: string;
  line: string;
  punctuation: string;
  /** What ends the tag: "." ends the sentence, "," leads into more. */
  end: string;
  inverted: boolean;
}

function findTag(paragraph: string): Tag | null {
  const after = TAG_AFTER.exec(paragraph);
  if (after) return { line: after[1] ?? "", punctuation: after[2] ?? ",", speaker: after[3] ?? "", verb: after[4] ?? "said", end: after[5] ?? ".", match: after[0], inverted: false };
  const inverted = TAG_INVERTED.exec(paragraph);
  if (inverted) return { line: inverted[1] ?? "", punctuation: inverted[2] ?? ",", verb: inverted[3] ?? "said", speaker: inverted[4] ?? "", end: ".", match: inverted[0], inverted: true };
  return null;
}

class DialogueReviser {
  private readonly random: Random;
  private readonly actors: Actor[];
  private readonly pov: Actor | undefined;
  private readonly firstPerson: boolean;
  private readonly addLimit: number;
  private added = 0;
  private partnerLines = 0;

  constructor(private readonly input: SceneInput) {
    const { brief, plan, ref } = input;
    this.random = randomFor(brief.seed, "dialogue_pass", ref.chapter, ref.scene.number);
    this.actors = actorsOf(plan.cast, storyCore(brief).kit, brief.seed);
    this.pov = findActor(this.actors, ref.scene.pov);
    this.firstPerson = plan.highConcept.narrative_voice.person === "first" && this.pov?.character.name === plan.cast.cast[0]?.name;
    this.addLimit = Math.floor(countWords(input.text) * MAX_ADDED);
  }

  revise(): string {
    let previousVerb: string | null = null;
    let previousWasQuestion = false;
    const paragraphs = splitParagraphs(this.input.text).map((paragraph) => {
      if (!hasSpeech(paragraph)) {
        previousVerb = null;
        previousWasQuestion = false;
        return paragraph;
      }
      const tag = findTag(paragraph);
      let revised = paragraph;
      if (tag) {
        const verb = tag.verb === "said" && tag.punctuation === "?" ? "asked" : tag.verb;
        const canBeat = !tag.inverted && tag.end === ".";
        if (verb === previousVerb) {
          // The same tag twice in a row: an answer "replies"; anything else gets a beat instead.
          if (previousWasQuestion && tag.punctuation !== "?") revised = this.retag(paragraph, tag, this.random.pick(ANSWER_TAGS.filter((option) => option !== previousVerb)));
          else if (canBeat) revised = this.toBeat(paragraph, tag);
        } else if (verb === "said" && canBeat && this.random.chance(0.3)) {
          revised = this.toBeat(paragraph, tag);
        } else {
          revised = this.retag(paragraph, tag, verb);
        }
        previousVerb = findTag(revised)?.verb ?? null;
      } else {
        previousVerb = null;
      }
      previousWasQuestion = /\?”[^“]*$/.test(paragraph);
      return this.addSubtext(revised, tag);
    });
    return joinParagraphs(paragraphs);
  }

  private retag(paragraph: string, tag: Tag, verb: string): string {
    if (verb === tag.verb) return paragraph;
    const replacement = tag.inverted ? `“${tag.line}${tag.punctuation}” ${verb} ${tag.speaker}.` : `“${tag.line}${tag.punctuation}” ${tag.speaker} ${verb}${tag.end}`;
    return this.tryAdd(paragraph, paragraph.replace(tag.match, replacement));
  }

  /** Replaces a closing "said" tag with something the speaker does. */
  private toBeat(paragraph: string, tag: Tag): string {
    const possessive = POSSESSIVE_OF_PRONOUN[tag.speaker] ?? findActor(this.actors, tag.speaker)?.pronouns.possessive;
    const template = this.random.pick(possessive ? [...PLAIN_BEATS, ...POSSESSIVE_BEATS] : PLAIN_BEATS);
    const speaker = tag.speaker.charAt(0).toUpperCase() + tag.speaker.slice(1);
    const beat = fill(template, (slot) => (slot === "S" ? speaker : (possessive ?? "")));
    const punctuation = tag.punctuation === "," ? "." : tag.punctuation;
    return this.tryAdd(paragraph, paragraph.replace(tag.match, `“${tag.line}${punctuation}” ${beat}`));
  }

  /** Who speaks a paragraph, as far as its tag or beat says. */
  private speakerOf(paragraph: string, tag: Tag | null): Actor | undefined {
    const named = tag?.speaker ?? /” (\p{Lu}[\p{L}’'-]*) /u.exec(paragraph)?.[1] ?? /^(\p{Lu}[\p{L}’'-]*) /u.exec(paragraph)?.[1];
    if (!named) return undefined;
    if (named === "I") return this.firstPerson ? this.pov : undefined;
    const actor = findActor(this.actors, named);
    if (actor) return actor;
    // A pronoun names the point-of-view character only when nobody else in the cast shares it.
    const pronoun = named.toLowerCase();
    const matching = this.actors.filter((candidate) => candidate.pronouns.subject === pronoun);
    return this.pov && matching.length === 1 && matching[0] === this.pov ? this.pov : undefined;
  }

  private addSubtext(paragraph: string, tag: Tag | null): string {
    const speaker = this.speakerOf(paragraph, tag);
    if (!speaker || !this.pov) return paragraph;
    const own = speaker === this.pov;
    if (!own) this.partnerLines += 1;
    // Every fourth line from someone else, and now and then one's own, gets a reaction.
    const wanted = own ? this.random.chance(0.06) : this.partnerLines % 4 === 2;
    if (!wanted) return paragraph;
    const povName = this.firstPerson ? "I" : this.pov.first;
    const reaction = fill(this.random.pick(own ? SELF_SUBTEXT : SUBTEXT), (slot) => {
      if (slot === "P") return povName;
      if (slot === "own") return this.firstPerson ? "my" : (this.pov?.pronouns.possessive ?? "their");
      if (slot === "Sp") return speaker.pronouns.possessive;
      return firstNameOf(speaker.character.name);
    });
    return this.tryAdd(paragraph, `${paragraph} ${reaction.charAt(0).toUpperCase()}${reaction.slice(1)}`);
  }

  private tryAdd(before: string, after: string): string {
    const added = countWords(after) - countWords(before);
    if (this.added + added > this.addLimit) return before;
    this.added += added;
    return after;
  }
}

export function infuseDialogue(input: SceneInput): string {
  return new DialogueReviser(input).revise();
}
