import { countWords, SHORT_SENTENCE_CHARACTERS } from "../../quality";
import type { SceneInput } from "../writer";
import { earlierSameDayMarker, sceneTime, type TimeOfDay } from "./clock";
import { BASE_OF_PAST, capitalise, inSentence, numberInWords, withArticle } from "./english";
import { BookPhrasing, tidy } from "./grammar";
import { sceneMemory, type SceneMemory, type StoryEvent } from "./memory";
import { ONCE_PER_SCENE, proseGrammar } from "./prose";
import { randomFor, type Random } from "./random";
import { designScene, inflect, isPlural, type Clause, type SceneDesign, type SceneKindName } from "./scene-design";
import { SYMMETRIC_TIES } from "./cast";
import { EYE_COLOURS, FIRST_PERSON, firstNameOf, settingOf, shortName, type Actor, type Setting } from "./story";
import { fill } from "./template";
import { escapeRegExp } from "./text";

/**
 * Scene drafting (stage 6): turns a scene's design into prose of the
 * planned length. A scene opens on its time and place, brings in the scene
 * partner, remembers what earlier scenes left behind, alternates
 * conversation with action, thought and description, meets its conflict
 * about halfway, lets its own event happen and closes on its outcome.
 *
 * Every sentence comes from the prose grammar (prose.ts), numbered across
 * the book so that no two scenes say the same thing; what earlier scenes
 * introduced, and what this one introduces, comes from the book's memory
 * (memory.ts).
 *
 * Like any first draft it has a few flaws for the later stages to find:
 * filler words and doubled words for self-refine, plain "said" tags for the
 * dialogue pass, and now and then a continuity slip (a misspelt name, a
 * wrong eye colour, a muddled time of day, a character placed in two
 * places) for the continuity audit.
 */

/** One sentence's worth of text. */
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
type Speaker = "pov" | "partner";

/** Scenes shorter than this are written as vignettes. */
const SHORT_SCENE_WORDS = 150;

/** How much of a scene may differ from its planned length (the stage promises 3 %; drafts aim tighter). */
const LENGTH_TOLERANCE = 0.015;

const DAYPART: Readonly<Record<TimeOfDay, string>> = { dawn: "morning", morning: "morning", noon: "afternoon", afternoon: "afternoon", evening: "evening", night: "night" };

/** A continuity slip some drafts make: the partner placed somewhere else while they are in the scene. */
const ABSENT_SLIP = "{Qn} was still away at {elsewhere}, and not expected back for days.";

/**
 * How conversations run in each kind of scene: which part comes next and
 * who says it. A long scene goes round again from the second line.
 */
const CONVERSATIONS: Readonly<Record<SceneKindName, readonly (readonly [string, Speaker])[]>> = {
  question: [["open", "partner"], ["ask", "pov"], ["deflect", "partner"], ["push", "pov"], ["reveal", "partner"], ["ask_memory", "pov"], ["tell_memory", "partner"], ["react", "pov"], ["warn", "partner"], ["ask", "pov"], ["deflect", "partner"], ["close", "partner"]],
  persuade: [["open", "partner"], ["push", "pov"], ["deflect", "partner"], ["tell_memory", "pov"], ["react", "partner"], ["push", "pov"], ["warn", "partner"], ["ask", "pov"], ["reveal", "partner"], ["close", "partner"]],
  confront: [["open", "partner"], ["ask_memory", "pov"], ["deflect", "partner"], ["push", "pov"], ["react", "partner"], ["tell_memory", "pov"], ["reveal", "partner"], ["react", "pov"], ["warn", "partner"], ["close", "pov"]],
  search: [["open", "pov"], ["ask", "partner"], ["reveal", "pov"], ["warn", "partner"], ["ask_memory", "pov"], ["tell_memory", "partner"], ["react", "pov"], ["push", "partner"], ["close", "pov"]],
  reconcile: [["open", "partner"], ["tell_memory", "pov"], ["react", "partner"], ["push", "pov"], ["deflect", "partner"], ["ask_memory", "pov"], ["reveal", "partner"], ["react", "pov"], ["close", "partner"]],
  escape: [["warn", "partner"], ["ask", "pov"], ["deflect", "partner"], ["push", "pov"], ["tell_memory", "partner"], ["react", "pov"], ["warn", "partner"], ["close", "pov"]],
  plan: [["open", "partner"], ["ask", "pov"], ["reveal", "partner"], ["ask_memory", "pov"], ["tell_memory", "partner"], ["warn", "pov"], ["react", "partner"], ["push", "pov"], ["close", "partner"]],
  bargain: [["open", "partner"], ["push", "pov"], ["deflect", "partner"], ["ask", "pov"], ["reveal", "partner"], ["react", "pov"], ["tell_memory", "partner"], ["warn", "pov"], ["close", "partner"]],
};

/** Lines of 20 characters or fewer that may open a line of speech, by its part: the small change of talk. */
const SHORT_LINES: Readonly<Record<string, readonly string[]>> = {
  open: ["You came, then.", "There you are.", "You’re late.", "Well.", "At last."],
  ask: ["One thing.", "Wait.", "Tell me.", "And?", "Listen."],
  deflect: ["No.", "Don’t.", "Not now.", "Leave it.", "I can’t."],
  push: ["Please.", "Don’t.", "I mean it.", "Look at me.", "No more lies."],
  reveal: ["All right.", "Fine.", "You want it?", "Listen.", "Here it is."],
  warn: ["Careful.", "Listen to me.", "One more thing.", "Don’t."],
  react: ["No.", "God.", "I see.", "Of course.", "Is that all?"],
  close: ["Enough.", "Go.", "That’s all.", "We’re done."],
  ask_memory: ["Wait.", "Tell me.", "Be honest."],
  tell_memory: ["Listen.", "I keep thinking.", "You know why."],
};

/** Words a first draft leans on, which self-refine cuts. */
const FILLERS = ["just", "really"];
/** Verbs a filler word would read wrong before ("She just was"). */
const AUXILIARIES = new Set(["was", "were", "had", "did"]);

/** Narration kinds a paragraph draws on, shuffled per paragraph. */
const NARRATION = ["thought", "sense", "action", "thought", "partner_action", "sense"];

class SceneWriter {
  private readonly random: Random;
  private readonly phrasing: BookPhrasing;
  private readonly design: SceneDesign;
  private readonly memory: SceneMemory;
  private readonly setting: Setting;
  private readonly firstPerson: boolean;
  private readonly daypart: string;
  private readonly relation: string | null;
  private readonly marker: string;
  private readonly slip: Slip;
  private readonly saidInFull = new Set<string>();
  private readonly paragraphs: Paragraph[] = [];
  /** Who was named last in the paragraph being written, so the next mention can be a pronoun. */
  private lastMentioned: Actor | null = null;
  /** Who has been named in the paragraph being written: with a "he" and a "she" in the scene, a pronoun names either of them clearly. */
  private namedInParagraph = new Set<Actor>();
  private featureTurn = 0;
  private relationMentioned = false;
  private conversationTurn = 0;
  /** The earlier event the sentence being written recalls. */
  private memoryEvent: StoryEvent | null;

  constructor(private readonly input: SceneInput) {
    const { brief, plan, ref } = input;
    this.random = randomFor(brief.seed, "scene_drafting", ref.chapter, ref.scene.number);
    this.design = designScene(brief, plan, ref.chapter, ref.scene.number, ref.scene.pov, ref.scene.place);
    const { position, memory } = sceneMemory(brief, plan, ref.chapter, ref.scene.number);
    this.memory = memory;
    this.memoryEvent = memory.recalls[0] ?? null;
    this.phrasing = new BookPhrasing(proseGrammar(this.design.core.kit), brief.seed, position, ONCE_PER_SCENE);
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
    this.remember();
    let obstacleDone = false;
    let eventDone = this.memory.introduces.length === 0;
    let absentSlipDone = this.slip !== "absent";
    // Reserve room for the closing paragraph.
    const closingReserve = Math.min(45, target * 0.15);
    for (let block = 0; this.wordCount() + closingReserve < target && block < 400; block++) {
      if (!obstacleDone && this.wordCount() >= target * 0.45) {
        this.obstacle(false);
        obstacleDone = true;
      } else if (obstacleDone && !eventDone && this.wordCount() >= target * 0.65) {
        this.introduceEvent(false);
        eventDone = true;
      } else if (block % 2 === 0) {
        this.conversation(this.random.between(2, 4));
      } else {
        this.narration();
        if (!absentSlipDone) {
          this.addPiece(this.lastNarration(), this.narrate(ABSENT_SLIP), false);
          absentSlipDone = true;
        }
      }
    }
    if (!obstacleDone) this.obstacle(short);
    if (!eventDone) this.introduceEvent(short);
    this.closing();
    this.fitLength(target);
    // After the fitting, so none of them is trimmed away: a word or three over is well within the tolerance.
    this.addFillers(target < 300 ? 1 : this.random.between(2, 3));
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
    this.addPiece(paragraph, this.line("opening"), false);
    if (!short) this.addPiece(paragraph, this.line("arrival"), true);
    if (!short && this.random.chance(0.6)) this.addPiece(paragraph, this.line("sense"), true);
    this.addPiece(paragraph, this.line("goal"), true);
  }

  private partnerArrives(short: boolean): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.line("partner_arrival"), false);
    if (short) return;
    const facts = this.design.partner.facts;
    if (this.slip === "eyes" && facts.eyes) {
      const wrong = this.random.pick(EYE_COLOURS.filter((colour) => colour !== facts.eyes));
      this.addPiece(paragraph, this.line("eyes_line", { eyes: wrong }), false);
    } else if (this.random.chance(0.35)) {
      const options = [
        ...(facts.eyes ? [() => this.line("eyes_line", { eyes: facts.eyes ?? "" })] : []),
        ...(facts.age !== null ? [() => this.line("age_line", { age: numberInWords(facts.age ?? 0) })] : []),
        ...(facts.profession ? [() => this.line("job_line", { job: withArticle(facts.profession ?? "") })] : []),
      ];
      if (options.length > 0) this.addPiece(paragraph, this.random.pick(options)(), true);
    }
    if (this.random.chance(0.5)) this.addPiece(paragraph, this.line("partner_action"), true);
  }

  /** What earlier scenes left behind: the first thing this scene remembers, said early and kept whatever the length. */
  private remember(): void {
    const [first] = this.memory.recalls;
    if (!first) return;
    const paragraph = this.newParagraph(false);
    this.memoryEvent = first;
    this.addPiece(paragraph, this.line(this.random.chance(0.5) ? "recall" : `recall_${first.kind}`), false);
  }

  private narration(): void {
    const paragraph = this.newParagraph(false);
    const kinds = this.random.shuffled(NARRATION);
    const count = this.random.weighted([[1, 1], [2, 2], [3, 4], [4, 3], [5, 1]] as const);
    for (let i = 0; i < count; i++) {
      const aboutRelation = i === 1 && this.relation !== null && !this.relationMentioned && this.random.chance(0.4);
      if (aboutRelation) this.relationMentioned = true;
      this.addPiece(paragraph, this.line(aboutRelation ? "relation_thought" : (kinds[i] ?? "thought")), i > 0);
    }
  }

  private obstacle(short: boolean): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.clauseLine("conflict", this.design.conflict), false);
    this.addPiece(paragraph, this.line("setback"), true);
    if (!short && this.random.chance(0.5)) this.addPiece(paragraph, this.line("thought"), true);
    this.conversation(short ? 2 : this.random.between(2, 3));
  }

  /** The scene's own event: what later scenes will remember. */
  private introduceEvent(short: boolean): void {
    const [event] = this.memory.introduces;
    if (!event) return;
    const paragraph = this.newParagraph(false);
    const who = event.who ? this.introducedPerson(event.who) : "";
    this.addPiece(paragraph, this.line(`intro_${event.kind}`, { event: event.introduction, eventWho: who, eventWhere: event.place }), false);
    if (!short) this.addPiece(paragraph, this.line("intro_after"), true);
  }

  /** A person an event concerns, as the sentence that introduces it names them. */
  private introducedPerson(name: string): string {
    const actor = this.design.actors.find((candidate) => candidate.first === name);
    if (!actor) return name;
    return this.mention(actor, "subject");
  }

  private closing(): void {
    const paragraph = this.newParagraph(false);
    this.addPiece(paragraph, this.clauseLine("outcome", this.design.outcome), false);
    this.addPiece(paragraph, this.line("closing"), false);
  }

  /** A few lines of talk between the point-of-view character and the partner. */
  private conversation(lines: number): void {
    const { pov, partner } = this.design;
    const shape = CONVERSATIONS[this.design.kind];
    for (let line = 0; line < lines; line++) {
      const [part, who] = shape[this.conversationTurn % shape.length] ?? ["react", "pov"];
      // After the first round the conversation circles back instead of greeting again.
      this.conversationTurn = this.conversationTurn + 1 === shape.length ? 1 : this.conversationTurn + 1;
      const speaker = who === "pov" ? pov : partner;
      const listener = who === "pov" ? partner : pov;
      const paragraph = this.newParagraph(true);
      // The first exchange of a scene stays whole; later lines may go if the scene runs long.
      this.addPiece(paragraph, this.speechParagraph(speaker, listener, this.speech(part, listener), line), this.conversationTurn > 2);
    }
  }

  /** One line of speech: now and then a short opener, then the line itself. */
  private speech(part: string, listener: Actor): string {
    // Speech about the past names the second thing the scene remembers when there is one.
    const memory = part.endsWith("_memory") ? (this.memory.recalls[1] ?? this.memory.recalls[0] ?? null) : null;
    const rule = part.endsWith("_memory") && !memory ? (part === "ask_memory" ? "ask" : "reveal") : part;
    const slots = (slot: string): string => {
      if (slot === "L") return listener.first;
      if (slot === "oath") return this.random.pick(this.design.core.kit.oaths);
      if (slot === "memory") return memory?.mention ?? "";
      return this.storySlot(slot);
    };
    const line = capitaliseSentences(tidy(namedOnce(fill(this.phrasing.next(rule), slots), listener.first)));
    const openers = SHORT_LINES[part];
    const opener = openers && this.random.chance(0.3) ? this.random.pick(openers) : null;
    // “Listen. Listen, …” says it twice.
    if (opener && firstWord(opener) !== firstWord(line)) return `${opener} ${line}`;
    return line;
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
      // After a question or an exclamation the tag stands alone as a sentence: a trailing phrase would be a line of its own, heard too often.
      ["tail", /[?!]$/.test(line) ? 0 : 1],
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
        const opener = `“${withComma(first)}” ${this.tagSpeaker(speaker)} ${first.endsWith("?") ? "asked" : "said"}.`;
        // A short opener and its tag make a sentence of their own; kept short, it can come again without being noticed.
        if (opener.length > SHORT_SENTENCE_CHARACTERS) return `“${withComma(line)}” ${this.tagSpeaker(speaker)} ${tag}.`;
        return `${opener} “${rest.join(" ")}”`;
      }
      case "tail":
        return `“${withComma(line)}” ${this.tagSpeaker(speaker)} ${tag}, ${this.fillSpeaker(this.random.pick(TAG_TAILS), speaker, listener)}.`;
      default:
        return `“${withComma(line)}” ${this.tagSpeaker(speaker)} ${tag}.`;
    }
  }

  private beat(speaker: Actor, listener: Actor): string {
    return capitaliseSentences(tidy(this.fillSpeaker(this.phrasing.next("beat"), speaker, listener)));
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

  /** The scene's conflict or outcome as a clause, framed by a sentence of the given rule. */
  private clauseLine(rule: "conflict" | "outcome", clause: Clause): string {
    const template = this.phrasing.next(rule);
    const [before = "", after = ""] = template.split("{clause}");
    const head = this.narrateRaw(before);
    const { design } = this;
    let subject: string;
    let plural = false;
    if (clause.subject === "pov") subject = this.mention(design.pov, "subject");
    else if (clause.subject === "partner") subject = this.mention(design.partner, "subject");
    else {
      plural = isPlural(design.core.threat);
      subject = this.onceInFull("threat", design.core.threat);
    }
    const body = `${subject} ${inflect(clause.verb, "past", plural)} ${fill(clause.rest, (slot) => this.slot(slot))}`;
    return capitaliseSentences(tidy(`${head}${body}${this.narrateRaw(after)}`));
  }

  /**
   * First-draft habits for self-refine to take out again: a filler word
   * before the verb of a few narration sentences ("She just waited").
   */
  private addFillers(count: number): void {
    const candidates = this.paragraphs
      .filter((paragraph) => !paragraph.speech)
      .flatMap((paragraph) => paragraph.pieces)
      .filter((piece) => {
        const verb = /^(?:\p{Lu}\p{Ll}+|I) (\p{Ll}+) /u.exec(piece.text)?.[1] ?? "";
        return BASE_OF_PAST.has(verb) && !AUXILIARIES.has(verb);
      });
    for (const piece of this.random.sample(candidates, count)) {
      piece.text = piece.text.replace(/^(\S+) /, `$1 ${this.random.pick(FILLERS)} `);
      piece.words += 1;
    }
  }

  // ----- slots and mentions -----

  /** The next sentence of a rule, its slots filled. */
  private line(rule: string, extra: Record<string, string> = {}): string {
    return this.narrate(this.phrasing.next(rule), extra);
  }

  private narrate(template: string, extra: Record<string, string> = {}): string {
    return capitaliseSentences(tidy(this.narrateRaw(template, extra)));
  }

  private narrateRaw(template: string, extra: Record<string, string> = {}): string {
    return fill(template, (slot) => extra[slot] ?? this.slot(slot));
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
        this.namedInParagraph.add(partner);
        return partner.first;
      case "Time":
        return this.marker;
      case "daypart":
        return this.daypart;
      case "relation":
        return this.relation ?? "friend";
      case "memory":
        return this.memoryEvent?.mention ?? this.storySlot("secret");
      case "memoryWho":
        return this.memoryEvent?.who ?? this.design.absent.first;
      case "memoryWhere":
        return this.memoryEvent?.place ?? inSentence(this.design.elsewhere);
      default:
        return this.storySlot(name);
    }
  }

  /** Slots that name the story's things rather than its people. */
  private storySlot(name: string): string {
    const { design } = this;
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
      case "daypart":
        return this.daypart;
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

  /**
   * A name the first time in a paragraph, a pronoun after that: straight
   * away when nobody else was mentioned in between, or whenever the other
   * person in the scene goes by another pronoun.
   */
  private mention(actor: Actor, form: "subject" | "object" | "possessive"): string {
    const pronouns = this.pronouns(actor);
    if (pronouns === FIRST_PERSON) return pronouns[form];
    const other = actor === this.design.pov ? this.design.partner : this.design.pov;
    const clear = this.lastMentioned === actor || (this.namedInParagraph.has(actor) && this.pronouns(other) !== pronouns);
    this.lastMentioned = actor;
    this.namedInParagraph.add(actor);
    if (clear) return pronouns[form];
    return form === "possessive" ? `${actor.first}’s` : actor.first;
  }

  private feature(): string {
    const features = this.setting.features;
    const feature = features[(this.featureTurn + this.random.int(2)) % features.length] ?? "the doorway";
    this.featureTurn += 1;
    return feature;
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
    this.namedInParagraph = new Set(this.lastMentioned ? [this.lastMentioned] : []);
    this.paragraphs.push(paragraph);
    return paragraph;
  }

  private lastNarration(): Paragraph {
    return [...this.paragraphs].reverse().find((paragraph) => !paragraph.speech) ?? this.newParagraph(false);
  }

  private addPiece(paragraph: Paragraph, text: string, removable: boolean): void {
    // A piece that first names someone in its paragraph stays: the pronouns after it lean on it.
    const namesSomeone = this.design.actors.some((actor) => text.includes(actor.first) && !paragraph.pieces.some((piece) => piece.text.includes(actor.first)));
    paragraph.pieces.push({ text, words: countWords(text), removable: removable && !namesSomeone });
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
    const rules = missing > 12 ? ["thought", "sense", "action", "partner_action"] : ["filler"];
    const candidates = Array.from({ length: 6 }, (_, index) => this.line(rules[index % rules.length] ?? "filler"));
    const fit = (text: string): number => Math.abs(missing - countWords(text));
    const best = candidates.reduce((chosen, candidate) => (fit(candidate) < fit(chosen) ? candidate : chosen));
    // Insert before the paragraph's last piece, which may be the line the paragraph ends on.
    const piece: Piece = { text: best, words: countWords(best), removable: true };
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

/** Phrases that can trail a tag ("she said, without looking up"). */
const TAG_TAILS = ["without looking up", "not quite meeting {Lp} eyes", "half to {Sr}", "more gently now", "after a moment", "very quietly"];

/** A line that calls its listener by name at both ends keeps the first: “Tomas, where were you, Tomas?” */
function namedOnce(line: string, name: string): string {
  const first = line.indexOf(name);
  const last = line.lastIndexOf(`, ${name}`);
  return first >= 0 && last > first ? line.slice(0, last) + line.slice(last + name.length + 2) : line;
}

function firstWord(text: string): string {
  return /^\p{L}+/u.exec(text)?.[0] ?? "";
}

/** Capitalises the first letter of every sentence in a piece of narration or speech. */
function capitaliseSentences(text: string): string {
  return capitalise(text).replace(/([.!?] )([a-z])/g, (_, end: string, letter: string) => end + letter.toUpperCase());
}

export function draftScene(input: SceneInput): string {
  return new SceneWriter(input).write();
}
