import { countWords } from "../../quality";
import type { SceneInput } from "../writer";
import { earlierSameDayMarker, sceneTime, type TimeOfDay } from "./clock";
import { capitalise, inSentence, numberInWords, withArticle } from "./english";
import * as phrases from "./phrasebook";
import { randomFor, type Random } from "./random";
import { designScene, inflect, isPlural, type Clause, type SceneDesign } from "./scene-design";
import { SYMMETRIC_TIES } from "./cast";
import { EYE_COLOURS, FIRST_PERSON, firstNameOf, settingOf, shortName, type Actor, type Setting } from "./story";
import { fill, vary } from "./template";
import { escapeRegExp } from "./text";

/**
 * Scene drafting (stage 6): turns a scene's design into prose of the
 * planned length. A scene opens on its time and place, brings in the scene
 * partner, alternates conversation with action, thought and description,
 * meets its conflict about halfway and closes on its outcome.
 *
 * Like any first draft it has a few flaws for the later stages to find:
 * filler words and doubled words for self-refine, plain "said" tags for the
 * dialogue pass, and now and then a continuity slip (a misspelt name, a
 * wrong eye colour, a muddled time of day, a character placed in two
 * places) for the continuity audit.
 */

/** One template's worth of text. */
interface Piece {
  text: string;
  words: number;
  /** Pieces that can go if the scene runs long. */
  removable: boolean;
}

interface Paragraph {
  pieces: Piece[];
  speech: boolean;
}

type Slip = "none" | "name" | "eyes" | "time" | "absent";

/** Scenes shorter than this are written as vignettes. */
const SHORT_SCENE_WORDS = 150;

/** How much of a scene may differ from its planned length (the stage promises 3 %; drafts aim tighter). */
const LENGTH_TOLERANCE = 0.015;

const DAYPART: Readonly<Record<TimeOfDay, string>> = { dawn: "morning", morning: "morning", noon: "afternoon", afternoon: "afternoon", evening: "evening", night: "night" };

class SceneWriter {
  private readonly random: Random;
  private readonly design: SceneDesign;
  private readonly setting: Setting;
  private readonly firstPerson: boolean;
  private readonly daypart: string;
  private readonly relation: string | null;
  private readonly marker: string;
  private readonly slip: Slip;
  private readonly used = new Set<string>();
  private readonly saidInFull = new Set<string>();
  private readonly paragraphs: Paragraph[] = [];
  /** Who was named last in the paragraph being written, so the next mention can be a pronoun. */
  private lastMentioned: Actor | null = null;
  private featureTurn = 0;
  private relationMentioned = false;
  private conversationTurn = 0;

  constructor(private readonly input: SceneInput) {
    const { brief, plan, ref } = input;
    this.random = randomFor(brief.seed, "scene_drafting", ref.chapter, ref.scene.number);
    this.design = designScene(brief, plan, ref.chapter, ref.scene.number, ref.scene.pov, ref.scene.place);
    this.setting = settingOf(this.design.core.kit, plan.world, ref.scene.place);
    this.firstPerson = this.design.person === "first" && this.design.pov.character.name === plan.cast.cast[0]?.name;
    const time = sceneTime(brief.seed, ref.chapter, ref.scene.number, brief.scenes_per_chapter);
    this.daypart = time.time ? DAYPART[time.time] : "day";
    this.relation = this.relationBetween(this.design.pov, this.design.partner);
    this.slip = this.random.weighted<Slip>([["none", 0.8], ["name", 0.08], ["eyes", 0.05], ["time", 0.04], ["absent", 0.03]]);
    const previous = ref.scene.number > 1 ? sceneTime(brief.seed, ref.chapter, ref.scene.number - 1, brief.scenes_per_chapter).time : null;
    const slipMarker = this.slip === "time" && previous ? earlierSameDayMarker(previous) : null;
    this.marker = slipMarker ?? time.marker;
  }

  write(): string {
    const target = this.input.ref.scene.target_words;
    // A very short scene is a vignette: time and place, a few lines, the turn and the outcome.
    const short = target < SHORT_SCENE_WORDS;
    this.opening(short);
    this.partnerArrives(short);
    let obstacleDone = false;
    let absentSlipDone = this.slip !== "absent";
    // Reserve room for the closing paragraph.
    const closingReserve = Math.min(45, target * 0.15);
    for (let block = 0; this.wordCount() + closingReserve < target && block < 400; block++) {
      if (!obstacleDone && this.wordCount() >= target * 0.45) {
        this.obstacle(false);
        obstacleDone = true;
      } else if (block % 2 === 0) {
        this.conversation(this.random.between(2, 4));
      } else {
        this.narration();
        if (!absentSlipDone) {
          this.addPiece(this.lastNarration(), this.narrate(phrases.ABSENT_SLIP), false);
          absentSlipDone = true;
        }
      }
    }
    if (!obstacleDone) this.obstacle(short);
    this.closing();
    this.fitLength(target);
    let text = this.paragraphs
      .filter((paragraph) => paragraph.pieces.length > 0)
      .map((paragraph) => paragraph.pieces.map((piece) => piece.text).join(" "))
      .join("\n\n");
    if (this.slip === "name") text = this.misspellPartner(text);
    if (this.random.chance(0.15)) text = text.replace(/(?<=[a-z,] )the (?=[a-z])/, "the the ");
    return text.replace(/'/g, "’");
  }

  // ----- building blocks -----

  private opening(short: boolean): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.narrate(this.take(phrases.OPENINGS)), false);
    if (!short) this.addPiece(paragraph, this.narrate(this.take(phrases.ARRIVALS)), true);
    if (!short && this.random.chance(0.6)) this.addPiece(paragraph, this.narrate(this.take(phrases.SENSES)), true);
    this.addPiece(paragraph, this.narrate(this.take(phrases.GOALS)), true);
  }

  private partnerArrives(short: boolean): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.narrate(this.take(phrases.PARTNER_ARRIVALS)), false);
    if (short) return;
    const facts = this.design.partner.facts;
    if (this.slip === "eyes" && facts.eyes) {
      const wrong = this.random.pick(EYE_COLOURS.filter((colour) => colour !== facts.eyes));
      this.addPiece(paragraph, this.narrate(this.take(phrases.EYES_LINES), { eyes: wrong }), false);
    } else if (this.random.chance(0.35)) {
      const options = [
        ...(facts.eyes ? [() => this.narrate(this.take(phrases.EYES_LINES), { eyes: facts.eyes ?? "" })] : []),
        ...(facts.age !== null ? [() => this.narrate(this.take(phrases.AGE_LINES), { age: numberInWords(facts.age ?? 0) })] : []),
        ...(facts.profession ? [() => this.narrate(this.take(phrases.JOB_LINES), { job: withArticle(facts.profession ?? "") })] : []),
      ];
      if (options.length > 0) this.addPiece(paragraph, this.random.pick(options)(), true);
    }
    if (this.random.chance(0.5)) this.addPiece(paragraph, this.narrate(this.take(phrases.PARTNER_ACTIONS)), true);
  }

  private narration(): void {
    const paragraph = this.newParagraph(false);
    const kinds = this.random.shuffled([phrases.THOUGHTS, phrases.SENSES, phrases.ACTIONS, phrases.THOUGHTS, phrases.PARTNER_ACTIONS, phrases.SENSES]);
    const count = this.random.weighted([[1, 1], [2, 2], [3, 4], [4, 3], [5, 1]] as const);
    for (let i = 0; i < count; i++) {
      const aboutRelation = i === 1 && this.relation !== null && !this.relationMentioned && this.random.chance(0.4);
      if (aboutRelation) this.relationMentioned = true;
      const templates = aboutRelation ? phrases.RELATION_THOUGHTS : (kinds[i] ?? phrases.THOUGHTS);
      this.addPiece(paragraph, this.narrate(this.take(templates)), i > 0);
    }
  }

  private obstacle(short: boolean): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.clause(this.design.conflict), false);
    this.addPiece(paragraph, this.narrate(this.take(phrases.SETBACKS)), true);
    if (!short && this.random.chance(0.5)) this.addPiece(paragraph, this.narrate(this.take(phrases.THOUGHTS)), true);
    this.conversation(short ? 2 : this.random.between(2, 3));
  }

  private closing(): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.clause(this.design.outcome), false);
    this.addPiece(paragraph, this.narrate(this.take(phrases.CLOSINGS)), true);
  }

  /** A few lines of talk between the point-of-view character and the partner. */
  private conversation(lines: number): void {
    const { pov, partner } = this.design;
    for (let line = 0; line < lines; line++) {
      const [part, who] = phrases.CONVERSATION[this.conversationTurn % phrases.CONVERSATION.length] ?? ["react", "pov"];
      // After the first round the conversation circles back to questions instead of greeting again.
      this.conversationTurn = this.conversationTurn + 1 === phrases.CONVERSATION.length ? 1 : this.conversationTurn + 1;
      const speaker = who === "pov" ? pov : partner;
      const listener = who === "pov" ? partner : pov;
      const paragraph = this.newParagraph(true);
      // The first exchange of a scene stays whole; later lines may go if the scene runs long.
      this.addPiece(paragraph, this.speechParagraph(speaker, listener, this.speech(part, listener), line), this.conversationTurn > 2);
    }
  }

  private speech(part: keyof typeof phrases.SPEECH, listener: Actor): string {
    const line = fill(vary(this.take(phrases.SPEECH[part]), this.random), (slot) => {
      if (slot === "L") return listener.first;
      if (slot === "oath") return this.random.pick(this.design.core.kit.oaths);
      return this.storySlot(slot);
    });
    return capitaliseSentences(line);
  }

  /** A line of speech with its tag or beat, in one of several shapes. */
  private speechParagraph(speaker: Actor, listener: Actor, line: string, index: number): string {
    // Drafts tag plainly; the dialogue pass varies the tags later.
    const tag = line.endsWith("?") && this.random.chance(0.8) ? "asked" : "said";
    const sentences = line.match(/[^.!?]+[.!?]+/g) ?? [line];
    const canSplit = sentences.length > 1;
    const shape = this.random.weighted([
      ["tag", 5],
      ["inverted", speaker === this.design.pov && this.firstPerson ? 0 : 1],
      ["beat-before", 2],
      ["beat-after", 2],
      ["bare", index > 1 ? 1 : 0],
      ["split", canSplit ? 3 : 0],
      ["tail", 1],
    ] as const);
    const withComma = (text: string): string => (text.endsWith(".") ? `${text.slice(0, -1)},` : text);
    switch (shape) {
      case "inverted":
        this.lastMentioned = speaker;
        return `“${withComma(line)}” said ${speaker.first}.`;
      case "beat-before":
        return `${this.beat(speaker, listener)} “${line}”`;
      case "beat-after":
        return `“${line}” ${this.beat(speaker, listener)}`;
      case "bare":
        return `“${line}”`;
      case "split": {
        const [first = line, ...rest] = sentences.map((sentence) => sentence.trim());
        return `“${withComma(first)}” ${this.tagSpeaker(speaker)} ${first.endsWith("?") ? "asked" : "said"}. “${rest.join(" ")}”`;
      }
      case "tail":
        return `“${withComma(line)}” ${this.tagSpeaker(speaker)} ${tag}, ${this.fillSpeaker(this.take(phrases.TAG_TAILS), speaker, listener)}.`;
      default:
        return `“${withComma(line)}” ${this.tagSpeaker(speaker)} ${tag}.`;
    }
  }

  private beat(speaker: Actor, listener: Actor): string {
    return capitaliseSentences(this.fillSpeaker(vary(this.take(phrases.BEATS), this.random), speaker, listener));
  }

  private fillSpeaker(template: string, speaker: Actor, listener: Actor): string {
    return fill(template, (slot) => {
      if (slot === "S") return this.tagSpeaker(speaker);
      if (slot === "Sp") return this.pronouns(speaker).possessive;
      if (slot === "Sr") return this.pronouns(speaker).reflexive;
      if (slot === "Lo") return this.mention(listener, "object");
      if (slot === "Lp") return this.mention(listener, "possessive");
      return this.storySlot(slot);
    });
  }

  /** How a tag names its speaker: "I", a pronoun when it cannot be mistaken, else the name. */
  private tagSpeaker(speaker: Actor): string {
    if (speaker === this.design.pov && this.firstPerson) return "I";
    const other = speaker === this.design.pov ? this.design.partner : this.design.pov;
    const clear = this.lastMentioned === speaker || (this.pronouns(other) !== speaker.pronouns && this.random.chance(0.5));
    this.lastMentioned = speaker;
    return clear ? speaker.pronouns.subject : speaker.first;
  }

  /** The scene's conflict or outcome as a sentence. */
  private clause(clause: Clause): string {
    const { design } = this;
    let subject: string;
    let plural = false;
    if (clause.subject === "pov") subject = this.mention(design.pov, "subject");
    else if (clause.subject === "partner") subject = this.mention(design.partner, "subject");
    else {
      plural = isPlural(design.core.threat);
      subject = this.onceInFull("threat", design.core.threat);
    }
    const rest = fill(clause.rest, (slot) => this.slot(slot));
    return capitalise(`${subject} ${inflect(clause.verb, "past", plural)} ${rest}.`);
  }

  // ----- slots and mentions -----

  private narrate(template: string, extra: Record<string, string> = {}): string {
    return capitaliseSentences(fill(vary(template, this.random), (slot) => extra[slot] ?? this.slot(slot)));
  }

  private slot(name: string): string {
    const { pov, partner } = this.design;
    switch (name) {
      case "P":
        return this.mention(pov, "subject");
      case "Po":
        return this.mention(pov, "object");
      case "Pp":
        return this.mention(pov, "possessive");
      case "Pr":
        return this.pronouns(pov).reflexive;
      case "Q":
        return this.mention(partner, "subject");
      case "Qo":
        return this.mention(partner, "object");
      case "Qp":
        return this.mention(partner, "possessive");
      case "Qn":
        this.lastMentioned = partner;
        return partner.first;
      case "Time":
        return this.marker;
      case "daypart":
        return this.daypart;
      case "relation":
        return this.relation ?? "friend";
      case "feature":
        return this.feature();
      default:
        return this.storySlot(name);
    }
  }

  /** Slots that name the story's things rather than its people. */
  private storySlot(name: string): string {
    const { design } = this;
    const senses = design.core.kit.senses;
    switch (name) {
      case "X":
        return design.absent.first;
      case "place":
        return inSentence(design.place);
      case "elsewhere":
        return inSentence(design.elsewhere);
      case "centre":
        return this.onceInFull("centre", design.core.centre);
      case "threat":
        return this.onceInFull("threat", design.core.threat);
      case "secret":
        return design.secret;
      case "prop":
        return design.prop;
      case "goal":
        return fill(design.goal, (slot) => (slot === "Qn" ? design.partner.first : this.storySlot(slot)));
      case "sound":
        return this.take(senses.sounds);
      case "smell":
      case "smell2":
        return this.take(senses.smells);
      case "light":
        return this.take(senses.lights);
      case "texture":
        return this.take(senses.textures);
      case "weather":
        return this.take(senses.weather);
      case "feature":
        return this.feature();
      default:
        return name;
    }
  }

  /** A story name in full the first time a scene says it, and shortened after that. */
  private onceInFull(key: string, name: string): string {
    if (!this.saidInFull.has(key)) {
      this.saidInFull.add(key);
      return name;
    }
    return shortName(name);
  }

  private pronouns(actor: Actor) {
    return actor === this.design.pov && this.firstPerson ? FIRST_PERSON : actor.pronouns;
  }

  /** A name the first time in a paragraph (or after someone else), a pronoun after that. */
  private mention(actor: Actor, form: "subject" | "object" | "possessive"): string {
    const pronouns = this.pronouns(actor);
    if (pronouns === FIRST_PERSON) return pronouns[form];
    const clear = this.lastMentioned === actor;
    this.lastMentioned = actor;
    if (clear) return pronouns[form];
    return form === "possessive" ? `${actor.first}’s` : actor.first;
  }

  private feature(): string {
    const features = this.setting.features;
    const feature = features[(this.featureTurn + this.random.int(2)) % features.length] ?? "the doorway";
    this.featureTurn += 1;
    return feature;
  }

  /** A template not yet used in this scene, when there is one. */
  private take(templates: readonly string[]): string {
    const fresh = templates.filter((template) => !this.used.has(template));
    const template = this.random.pick(fresh.length > 0 ? fresh : templates);
    this.used.add(template);
    return template;
  }

  private relationBetween(pov: Actor, partner: Actor): string | null {
    const tie = pov.character.relationships.find((relationship) => firstNameOf(relationship.with) === partner.first);
    // Ties are written from the protagonist's side; from anyone else's only the symmetric ones read right.
    const isProtagonist = pov.character.name === this.input.plan.cast.cast[0]?.name;
    return tie && (isProtagonist || SYMMETRIC_TIES.includes(tie.kind)) ? tie.kind : null;
  }

  // ----- assembling -----

  private newParagraph(speech: boolean): Paragraph {
    const paragraph: Paragraph = { pieces: [], speech };
    // The point-of-view character carries over from one narration paragraph to the next; anyone else is named again.
    if (speech || this.lastMentioned !== this.design.pov) this.lastMentioned = null;
    this.paragraphs.push(paragraph);
    return paragraph;
  }

  private lastNarration(): Paragraph {
    return [...this.paragraphs].reverse().find((paragraph) => !paragraph.speech) ?? this.newParagraph(false);
  }

  private addPiece(paragraph: Paragraph, text: string, removable: boolean): void {
    paragraph.pieces.push({ text, words: countWords(text), removable });
  }

  private wordCount(): number {
    return this.paragraphs.reduce((sum, paragraph) => sum + paragraph.pieces.reduce((inner, piece) => inner + piece.words, 0), 0);
  }

  /** Trims or pads the scene until it is within the tolerance of its planned length. */
  private fitLength(target: number): void {
    const tolerance = Math.max(2, Math.round(target * LENGTH_TOLERANCE));
    for (let round = 0; round < 200; round++) {
      const total = this.wordCount();
      if (Math.abs(total - target) <= tolerance) return;
      if (total > target) {
        if (!this.removeBestPiece(total, target)) return;
      } else {
        this.addBestFiller(total, target);
      }
    }
  }

  /** Removes the piece that brings the scene closest to its length, narration before speech. */
  private removeBestPiece(total: number, target: number): boolean {
    for (const speech of [false, true]) {
      let best: { paragraph: Paragraph; index: number; distance: number } | null = null;
      for (const paragraph of this.paragraphs.filter((candidate) => candidate.speech === speech)) {
        for (const [index, piece] of paragraph.pieces.entries()) {
          const distance = Math.abs(total - piece.words - target);
          if (piece.removable && (best === null || distance < best.distance)) best = { paragraph, index, distance };
        }
      }
      if (best && best.distance < Math.abs(total - target)) {
        best.paragraph.pieces.splice(best.index, 1);
        return true;
      }
    }
    return false;
  }

  private addBestFiller(total: number, target: number): void {
    const narration = this.paragraphs.filter((paragraph) => !paragraph.speech && paragraph.pieces.length > 0);
    // Pad a middle paragraph, so the opening and the closing lines stay where they are.
    const middle = narration.slice(1, -1);
    const paragraph = this.random.pick(middle.length > 0 ? middle : narration);
    this.lastMentioned = null;
    const missing = target - total;
    const pool = missing > 12 ? [...phrases.THOUGHTS, ...phrases.SENSES, ...phrases.ACTIONS] : phrases.SHORT_FILLERS;
    const fresh = pool.filter((template) => !this.used.has(template));
    const candidates = this.random.sample(fresh.length > 0 ? fresh : pool, 6).map((template) => ({ template, text: this.narrate(template) }));
    const fit = (text: string): number => Math.abs(missing - countWords(text));
    const best = candidates.reduce((chosen, candidate) => (fit(candidate.text) < fit(chosen.text) ? candidate : chosen));
    this.used.add(best.template);
    // Insert before the paragraph's last piece, which may be the line the paragraph ends on.
    const piece: Piece = { text: best.text, words: countWords(best.text), removable: true };
    paragraph.pieces.splice(Math.max(1, paragraph.pieces.length - 1), 0, piece);
  }

  /** A continuity slip: one mid-sentence mention of the partner's name with two letters swapped. */
  private misspellPartner(text: string): string {
    const name = this.design.partner.first;
    const known = this.design.actors.flatMap((actor) => actor.character.name.split(/\s+/));
    // Swap two inner letters, never the first: a typo, not another name.
    const misspellings = Array.from({ length: Math.max(0, name.length - 3) }, (_, index) => index + 1)
      .map((at) => name.slice(0, at) + (name[at + 1] ?? "") + (name[at] ?? "") + name.slice(at + 2))
      .filter((candidate) => candidate !== name && !known.includes(candidate));
    const pattern = new RegExp(`(?<=[a-z,] )${escapeRegExp(name)}\\b`);
    if (misspellings.length === 0 || !pattern.test(text)) return text;
    return text.replace(pattern, this.random.pick(misspellings));
  }
}

/** Capitalises the first letter of every sentence in a piece of narration or speech. */
function capitaliseSentences(text: string): string {
  return capitalise(text).replace(/([.!?] )([a-z])/g, (_, end: string, letter: string) => end + letter.toUpperCase());
}

export function draftScene(input: SceneInput): string {
  return new SceneWriter(input).write();
}
