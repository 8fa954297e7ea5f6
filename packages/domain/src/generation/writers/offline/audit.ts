import type { ContinuityIssue } from "../../outputs";
import type { AuditResult, SceneInput } from "../writer";
import { TIMES_OF_DAY, type TimeOfDay } from "./clock";
import { inSentence, NUMBER_PATTERN, numberInWords, parseNumber } from "./english";
import { ALL_PROFESSIONS } from "./genres";
import { actorsOf, editDistance, EYE_COLOURS, normaliseEyeColour, storyCore, type Actor, type Facts } from "./story";
import { escapeRegExp, joinParagraphs, joinSentences, splitParagraphs, splitSentences } from "./text";

/**
 * Continuity audit (stage 8): a checker, not a rewrite. It reads the scene
 * against the cast sheet, the world and the scene before it, and fixes what
 * contradicts them:
 * - names: a capitalised word mid-sentence that is one or two letters away
 *   from a cast or place name is a misspelling of it; a speaker who is not
 *   in the cast gets the line of the cast member present in the scene;
 * - timeline: a scene that opens "that morning" (or any time of day) earlier
 *   than the previous scene's time, without moving to a new day, is set on
 *   the next day instead; a character said to be at another place while
 *   speaking in this one loses the sentence that sends them away;
 * - facts: a character's eye colour, age or profession stated differently
 *   from the cast sheet (or, failing that, from the scene before or an
 *   earlier sentence) is corrected.
 */

const PRONOUNS = new Set(["I", "He", "She", "They", "We", "You", "It"]);
const TAG_VERBS = "said|asked|replied|answered|admitted|added|murmured|whispered|muttered|insisted|called|snapped|pressed|demanded|says|asks|replies|answers|admits|adds|murmurs|whispers|mutters|insists|calls|snaps|presses|demands";
const SPEAKER_AFTER = new RegExp(`” (\\p{Lu}[\\p{L}’'-]*) (?:${TAG_VERBS})\\b`, "gu");
const SPEAKER_INVERTED = new RegExp(`” (?:${TAG_VERBS}) (\\p{Lu}[\\p{L}’'-]*)`, "gu");
const COLOURS = `(?:${[...EYE_COLOURS, "gray"].join("|")})`;
const APOSTROPHE_S = "(?:’s|'s)";

/** Times of day a phrase names, with their place in the day. */
const TIME_WORDS: Readonly<Record<string, TimeOfDay>> = {
  dawn: "dawn",
  "first light": "dawn",
  morning: "morning",
  noon: "noon",
  midday: "noon",
  afternoon: "afternoon",
  dusk: "evening",
  evening: "evening",
  nightfall: "night",
  night: "night",
};
const TIME = "(dawn|first light|morning|noon|midday|afternoon|dusk|evening|nightfall|night)";
/** A time later on the same day: "that evening", "later that morning", "by midday", "at dawn". */
const SAME_DAY = new RegExp(`\\b(?:(?:later|early|earlier|late) )?(?:that|this) ${TIME}\\b|\\b(?:by|at) ${TIME}\\b(?! the (?:next|following) day)`, "i");
/** Any phrase that says when a scene happens, same day or not. */
const ANY_TIME = new RegExp(`\\b(?:(?:later|early|earlier|late) )?(?:that|this|the next|the following|next|in the|at|by) ${TIME}\\b`, "gi");
/** Phrases that move the story to another day. */
const NEW_DAY = /\b(?:the )?(?:next|following) (?:day|morning|afternoon|evening|night)\b|\b(?:two|three|four|five|six|several|a few) (?:days|nights|weeks) later\b|\ba (?:day|week|month) later\b|\bthe (?:next|following) day\b/i;

class ContinuityAuditor {
  private readonly issues: ContinuityIssue[] = [];
  private readonly actors: Actor[];
  /** Name words of the cast and the places: the words a misspelling is measured against. */
  private readonly nameWords: string[];
  /** Every capitalised word the story's own material uses, which is therefore not a misspelling. */
  private readonly knownWords: Set<string>;

  constructor(private readonly input: SceneInput) {
    const { brief, plan } = input;
    const core = storyCore(brief);
    this.actors = actorsOf(plan.cast, core.kit, brief.seed);
    const placeWords = plan.world.places.flatMap((place) => capitalisedWords(place.name));
    this.nameWords = [...new Set([...plan.cast.cast.flatMap((member) => capitalisedWords(member.name)), ...placeWords])];
    const { kit } = core;
    const storyText = [
      plan.world.setting.name,
      plan.world.setting.era,
      ...plan.highConcept.motifs,
      ...plan.highConcept.themes,
      core.centre,
      core.threat,
      ...kit.secrets,
      ...kit.oaths,
      ...kit.props,
      ...kit.places.flatMap((place) => place.features),
      ...Object.values(kit.senses).flat(),
    ].join(" ");
    this.knownWords = new Set([...capitalisedWords(storyText), ...this.nameWords]);
  }

  audit(): AuditResult {
    let text = this.input.text;
    text = this.fixMisspelledNames(text);
    text = this.fixUnknownSpeakers(text);
    text = this.fixTimeOfDay(text);
    text = this.fixAbsentSpeakers(text);
    text = this.fixFacts(text);
    return { text, issues: this.issues };
  }

  private report(kind: ContinuityIssue["kind"], description: string, fix: string): void {
    const { ref } = this.input;
    this.issues.push({ chapter: ref.chapter, scene: ref.scene.number, kind, description, fix });
  }

  // ----- names -----

  private fixMisspelledNames(text: string): string {
    const suspects = new Map<string, string>();
    for (const word of midSentenceCapitalisedWords(text)) {
      if (suspects.has(word) || this.knownWords.has(word) || PRONOUNS.has(word) || word.length < 4) continue;
      const match = this.closestName(word);
      if (match) suspects.set(word, match);
    }
    let fixed = text;
    for (const [wrong, right] of suspects) {
      // A whole word, possibly possessive ("Tmoas’s"), but not part of a longer name ("O’Brien").
      const pattern = new RegExp(`(?<![\\p{L}’'-])${escapeRegExp(wrong)}(?![\\p{L}-])(?!['’](?!s\\b))`, "gu");
      const count = fixed.match(pattern)?.length ?? 0;
      fixed = fixed.replace(pattern, right);
      this.report("name", `“${wrong}” looks like a misspelling of ${right}.`, `Replaced “${wrong}” with “${right}” (${count} ${count === 1 ? "time" : "times"}).`);
    }
    return fixed;
  }

  /** The cast or place name a word is a near miss of: one edit away, or two for long names. */
  private closestName(word: string): string | null {
    let best: { name: string; distance: number } | null = null;
    for (const name of this.nameWords) {
      const allowed = name.length >= 7 ? 2 : 1;
      const distance = editDistance(word.toLowerCase(), name.toLowerCase());
      if (distance > 0 && distance <= allowed && (best === null || distance < best.distance)) best = { name, distance };
    }
    return best?.name ?? null;
  }

  private fixUnknownSpeakers(text: string): string {
    const castWords = new Set(this.actors.flatMap((actor) => capitalisedWords(actor.character.name)));
    let fixed = text;
    for (const speaker of speakersIn(text)) {
      if (castWords.has(speaker) || PRONOUNS.has(speaker)) continue;
      const replacement = this.likelySpeaker(fixed, speaker);
      if (!replacement) continue;
      fixed = fixed
        .replace(new RegExp(`” (${escapeRegExp(speaker)}) (${TAG_VERBS})\\b`, "gu"), `” ${replacement} $2`)
        .replace(new RegExp(`” (${TAG_VERBS}) ${escapeRegExp(speaker)}(?![\\p{L}’'-])`, "gu"), `” $1 ${replacement}`);
      this.report("name", `“${speaker}” speaks in this scene but is not in the cast.`, `Gave the line to ${replacement}, who is in the scene.`);
    }
    return fixed;
  }

  /** The cast member most likely meant: someone present other than the point-of-view character, nearest in spelling. */
  private likelySpeaker(text: string, speaker: string): string | null {
    const pov = this.input.ref.scene.pov;
    const present = this.actors.filter((actor) => new RegExp(`\\b${escapeRegExp(actor.first)}\\b`).test(text) && actor.character.name !== pov && actor.first !== pov);
    const candidates = present.length > 0 ? present : this.actors.filter((actor) => actor.character.name !== pov);
    const ranked = candidates.map((actor) => ({ actor, distance: editDistance(actor.first.toLowerCase(), speaker.toLowerCase()) })).sort((a, b) => a.distance - b.distance);
    return ranked[0]?.actor.first ?? null;
  }

  // ----- timeline -----

  private fixTimeOfDay(text: string): string {
    const previous = this.input.previousText;
    if (!previous) return text;
    const before = lastTimeOfDay(withoutSpeech(previous));
    const narration = withoutSpeech(text);
    const opening = SAME_DAY.exec(narration);
    if (!before || !opening) return text;
    // A move to a new day before the time phrase resets the clock.
    if (NEW_DAY.test(narration.slice(0, opening.index + opening[0].length))) return text;
    const time = TIME_WORDS[(opening[1] ?? opening[2] ?? "").toLowerCase()];
    if (!time || TIMES_OF_DAY.indexOf(time) >= TIMES_OF_DAY.indexOf(before)) return text;
    const phrase = opening[0];
    const timeWord = (opening[1] ?? opening[2] ?? "").toLowerCase();
    const nextDay = /^(?:by|at) /i.test(phrase) ? `${phrase} the next day` : `the next ${timeWord}`;
    const replacement = /^\p{Lu}/u.test(phrase) ? nextDay.charAt(0).toUpperCase() + nextDay.slice(1) : nextDay;
    this.report("timeline", `The scene opens “${phrase}”, earlier on the same day than the scene before it, which ended in the ${before}.`, `Changed “${phrase}” to “${replacement}”.`);
    return text.replace(phrase, replacement);
  }

  private fixAbsentSpeakers(text: string): string {
    const places = this.input.plan.world.places.map((place) => inSentence(place.name)).sort((a, b) => b.length - a.length);
    if (places.length === 0) return text;
    const here = inSentence(this.input.ref.scene.place);
    const placePattern = places.map(escapeRegExp).join("|");
    const speakers = speakingIn(text);
    let paragraphs = splitParagraphs(text);
    for (const actor of this.actors) {
      if (!speakers.has(actor.first)) continue;
      const name = nameWord(actor.first);
      const away = new RegExp(`${name} (?:was|is|had been|has been) (?:still )?(?:away )?(?:in|at) (${placePattern})\\b|${name} (?:had|has) (?:gone|left) (?:for|to) (${placePattern})\\b`, "u");
      paragraphs = paragraphs.map((paragraph) => {
        const sentences = splitSentences(paragraph);
        const kept = sentences.filter((sentence) => {
          const match = away.exec(sentence);
          const place = match?.[1] ?? match?.[2];
          if (!match || !place || place === here || here.includes(place) || place.includes(here) || sentence.includes("“")) return true;
          this.report("timeline", `${actor.first} is said to be at ${place} but speaks in this scene at ${here}.`, `Removed the sentence placing ${actor.first} at ${place}: “${sentence}”`);
          return false;
        });
        return joinSentences(kept);
      });
    }
    return joinParagraphs(paragraphs.filter((paragraph) => paragraph !== ""));
  }

  // ----- facts -----

  private fixFacts(text: string): string {
    const patterns = factPatterns(this.actors.map((actor) => actor.first));
    const established = new Map(this.actors.map((actor) => [actor.first, { ...actor.facts }]));
    // What the cast sheet does not say, the scene before may have.
    if (this.input.previousText) this.readFacts(this.input.previousText, patterns, established, false);
    return this.readFacts(text, patterns, established, true);
  }

  /**
   * Reads the statements about the cast in the order they are made; with
   * `fix`, corrects those that contradict what is already established, and
   * otherwise lets the first statement of a fact establish it.
   */
  private readFacts(text: string, patterns: readonly FactPattern[], established: Map<string, Facts>, fix: boolean): string {
    const statements = patterns
      .flatMap((pattern) => [...text.matchAll(pattern.pattern)].map((match) => ({ pattern, match })))
      .sort((a, b) => a.match.index - b.match.index);
    let result = "";
    let position = 0;
    for (const { pattern, match } of statements) {
      if (match.index < position) continue;
      const [, first = "", second = ""] = match;
      const [name, stated] = pattern.nameFirst ? [first, second] : [second, first];
      const facts = established.get(name);
      const value = pattern.fact === "eyes" ? normaliseEyeColour(stated) : pattern.fact === "age" ? parseNumber(stated) : stated.toLowerCase();
      if (!facts || value === null) continue;
      const known = facts[pattern.fact];
      if (known === null) {
        if (pattern.fact === "age") facts.age = Number(value);
        else facts[pattern.fact] = String(value);
        continue;
      }
      if (known === value || !fix) continue;
      const actor = this.actors.find((candidate) => candidate.first === name);
      const correct = typeof known === "number" ? (/^\d+$/.test(stated) ? String(known) : numberInWords(known)) : known;
      const source = actor && actor.facts[pattern.fact] !== null ? "the cast sheet" : "an earlier passage";
      this.report("fact", `${name}’s ${pattern.label} is given as ${stated}, but ${source} says ${correct}.`, `Changed “${stated}” to “${correct}”.`);
      const statedAt = match.index + match[0].lastIndexOf(stated);
      result += text.slice(position, statedAt) + correct;
      position = statedAt + stated.length;
    }
    return result + text.slice(position);
  }
}

interface FactPattern {
  fact: keyof Facts;
  label: string;
  pattern: RegExp;
  /** Whether the name comes before the stated value in the match. */
  nameFirst: boolean;
}

const PROFESSIONS = [...ALL_PROFESSIONS].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|");

/** The sentences that state a cast member's eye colour, age or profession. */
function factPatterns(names: readonly string[]): FactPattern[] {
  const who = `(?<![\\p{L}’'-])(${names.map(escapeRegExp).join("|")})(?![\\p{L}-])`;
  const patterns: [keyof Facts, string, boolean, string][] = [
    ["eyes", "eye colour", true, `${who}${APOSTROPHE_S} (?:\\p{L}+ )?(${COLOURS}) eyes\\b`],
    ["eyes", "eye colour", true, `${who}${APOSTROPHE_S} eyes,? (?:were|are|was|is) (?:\\p{L}+ )?(${COLOURS})\\b`],
    ["age", "age", true, `${who}(?:,| was| is)(?: now| only| barely| nearly| already| just)? (${NUMBER_PATTERN}) years old\\b`],
    ["age", "age", false, `\\b(${NUMBER_PATTERN})-year-old ${who}`],
    ["profession", "profession", true, `${who} (?:had worked|has worked|worked|works) as an? (${PROFESSIONS})\\b`],
    ["profession", "profession", true, `${who} (?:was|is) an? (${PROFESSIONS})\\b`],
    ["profession", "profession", true, `${who}, the (${PROFESSIONS}),`],
  ];
  return patterns.map(([fact, label, nameFirst, source]) => ({ fact, label, nameFirst, pattern: new RegExp(source, "gu") }));
}

function capitalisedWords(text: string): string[] {
  return text.match(/\p{Lu}[\p{L}-]*/gu) ?? [];
}

/** Capitalised words that do not begin a sentence (or a quotation), where only names are capitalised. */
function midSentenceCapitalisedWords(text: string): string[] {
  const words: string[] = [];
  for (const paragraph of splitParagraphs(text)) {
    for (const match of paragraph.matchAll(/\p{Lu}[\p{L}-]*/gu)) {
      const before = paragraph.slice(0, match.index).trimEnd();
      if (before === "" || /[.!?“:]$/.test(before) || /[.!?]”$/.test(before)) continue;
      words.push(match[0]);
    }
  }
  return words;
}

/** Names that tag a line of speech: “…,” Tomas said. / “…,” said Tomas. */
function speakersIn(text: string): string[] {
  return [...text.matchAll(SPEAKER_AFTER), ...text.matchAll(SPEAKER_INVERTED)].map((match) => match[1] ?? "").filter((name) => name !== "");
}

/** Everyone who speaks: by a tag, or by a beat just before or after their line. */
function speakingIn(text: string): Set<string> {
  const names = new Set(speakersIn(text));
  for (const paragraph of splitParagraphs(text)) {
    if (!paragraph.includes("“")) continue;
    const after = /” (\p{Lu}[\p{L}’'-]*) \p{Ll}/u.exec(paragraph)?.[1];
    const before = /^(\p{Lu}[\p{L}’'-]*) [^“]*“/u.exec(paragraph)?.[1];
    for (const name of [after, before]) if (name) names.add(name);
  }
  return names;
}

/** A name as a whole word: not part of a longer word, but possibly followed by ’s. */
function nameWord(name: string): string {
  return `(?<![\\p{L}’'-])${escapeRegExp(name)}(?![\\p{L}-])`;
}

function withoutSpeech(text: string): string {
  return text.replace(/“[^”]*”?/g, " ");
}

/** The time of day a scene last mentions. */
function lastTimeOfDay(narration: string): TimeOfDay | null {
  let last: TimeOfDay | null = null;
  for (const match of narration.matchAll(ANY_TIME)) last = TIME_WORDS[(match[1] ?? "").toLowerCase()] ?? last;
  return last;
}

export function auditScene(input: SceneInput): AuditResult {
  return new ContinuityAuditor(input).audit();
}
