import { countWords } from "../../quality";
import type { SceneInput } from "../writer";
import { capitalise } from "./english";
import { BookPhrasing, tidy } from "./grammar";
import { sceneMemory } from "./memory";
import { proseGrammar } from "./prose";
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
 * Beats and reactions come from the prose grammar's own rules for this
 * pass, numbered across the book like the draft's sentences.
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
  private readonly phrasing: BookPhrasing;
  private readonly actors: Actor[];
  private readonly pov: Actor | undefined;
  private readonly firstPerson: boolean;
  private readonly addLimit: number;
  private added = 0;
  private partnerLines = 0;

  constructor(private readonly input: SceneInput) {
    const { brief, plan, ref } = input;
    this.random = randomFor(brief.seed, "dialogue_pass", ref.chapter, ref.scene.number);
    const kit = storyCore(brief).kit;
    this.phrasing = new BookPhrasing(proseGrammar(kit), brief.seed, sceneMemory(brief, plan, ref.chapter, ref.scene.number).position);
    this.actors = actorsOf(plan.cast, kit, brief.seed);
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
    const possessive = POSSESSIVE_OF_PRONOUN[tag.speaker] ?? findActor(this.actors, tag.speaker)?.pronouns.possessive ?? "their";
    const beat = capitalise(tidy(fill(this.phrasing.next("pass_beat"), (slot) => (slot === "S" ? tag.speaker : possessive))));
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
    const povPossessive = this.firstPerson ? "my" : this.pov.pronouns.possessive;
    const reaction = fill(this.phrasing.next(own ? "self_subtext" : "subtext"), (slot) => {
      if (slot === "P") return povName;
      if (slot === "Pp" || slot === "own") return povPossessive;
      if (slot === "Sp") return speaker.pronouns.possessive;
      if (slot === "So") return speaker.pronouns.object;
      return firstNameOf(speaker.character.name);
    });
    return this.tryAdd(paragraph, `${paragraph} ${capitalise(tidy(reaction))}`);
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
