import { countWords } from "../../quality";
import type { SceneInput } from "../writer";
import { capitalise, inSentence } from "./english";
import { randomFor, type Random } from "./random";
import { storyCore } from "./story";
import { toPresentTense } from "./tense";
import { escapeRegExp, hasSpeech, joinParagraphs, joinSentences, replaceInNarration, splitParagraphs, splitSentences } from "./text";
import { voiceProfileOf, type VoiceProfile } from "./voices";

/**
 * Voice pass (stage 10): makes the narration follow the high concept's
 * narrative voice throughout.
 * - tense: a present-tense book has its narration moved into the present;
 * - vocabulary: the voice's own words replace the plain ones everywhere
 *   (a lyrical narrator "gazes", a terse one "looks");
 * - rhythm: a terse voice splits long sentences, a lyrical one joins short
 *   ones; every voice but the terse one adds its characteristic codas to a
 *   few sentences ("…, like a half-remembered song").
 * Speech is left as the characters said it. The scene keeps its length
 * within 3 %.
 */

const MAX_CHANGE = 0.03;
/** Sentences that describe rather than act take a voice's coda best. */
const DESCRIPTIVE = /\b(?:smelled|smell|light|sound|air|silence|quiet|rain|wind|glow|shadow|hum|cold|dark|still)\b/i;

class VoiceReviser {
  private readonly random: Random;
  private readonly limit: number;
  private change = 0;
  /** Capitalised words that stay capitalised mid-sentence (names). */
  private readonly names: Set<string>;

  constructor(
    private readonly input: SceneInput,
    private readonly profile: VoiceProfile | null,
  ) {
    const { brief, plan, ref } = input;
    this.random = randomFor(brief.seed, "voice_pass", ref.chapter, ref.scene.number);
    this.limit = Math.floor(countWords(input.text) * MAX_CHANGE);
    const names = [...plan.cast.cast.map((member) => member.name), ...plan.world.places.map((place) => inSentence(place.name))];
    this.names = new Set([...names.flatMap((name) => name.split(/\s+/)).filter((word) => /^\p{Lu}/u.test(word)), "I"]);
  }

  revise(): string {
    const { plan, brief } = this.input;
    let paragraphs = splitParagraphs(this.input.text);
    if (this.profile) {
      const profile = this.profile;
      paragraphs = splitParagraphs(this.voiceWords(joinParagraphs(paragraphs), profile));
      paragraphs = paragraphs.map((paragraph) => (hasSpeech(paragraph) ? paragraph : this.rhythm(paragraph, profile)));
      paragraphs = this.addCodas(paragraphs, profile);
    }
    let text = joinParagraphs(paragraphs);
    if (plan.highConcept.narrative_voice.tense === "present") {
      // Story names speak of the past whatever the tense of the telling.
      const kit = storyCore(brief).kit;
      text = toPresentTense(text, [...kit.secrets, ...kit.centres, ...kit.threats]);
    }
    return text;
  }

  /** Replaces the plain words of the narration with the voice's own, in lower and upper case alike. */
  private voiceWords(text: string, profile: VoiceProfile): string {
    const voiced = new Map<string, string>();
    for (const [plain, own] of profile.vocabulary) {
      voiced.set(plain, own);
      voiced.set(capitalise(plain), capitalise(own));
    }
    const pattern = new RegExp(`\\b(?:${[...voiced.keys()].map(escapeRegExp).join("|")})\\b`, "g");
    return replaceInNarration(text, pattern, ([plain]) => this.tryChange(plain, voiced.get(plain) ?? plain));
  }

  private rhythm(paragraph: string, profile: VoiceProfile): string {
    const sentences = splitSentences(paragraph);
    if (profile.rhythm === "split") return joinSentences(sentences.map((sentence) => this.split(sentence)));
    if (profile.rhythm === "join") return joinSentences(this.join(sentences));
    return paragraph;
  }

  /** "A long thing happened, and then another." → "A long thing happened. Then another." */
  private split(sentence: string): string {
    if (countWords(sentence) < 14) return sentence;
    const at = sentence.indexOf(", and ");
    if (at < 0 || countWords(sentence.slice(0, at)) < 5 || countWords(sentence.slice(at)) < 5) return sentence;
    const rest = sentence.slice(at + ", and ".length);
    // Only a clause with its own subject can stand as a sentence ("…, and she left", not "…, and left").
    if (!this.startsWithSubject(rest)) return sentence;
    return this.tryChange(sentence, `${sentence.slice(0, at)}. ${rest.charAt(0).toUpperCase()}${rest.slice(1)}`);
  }

  /** Two short sentences in a row become one: "She waited. The rain eased." → "She waited, and the rain eased." */
  private join(sentences: string[]): string[] {
    const result: string[] = [];
    for (let i = 0; i < sentences.length; i++) {
      const current = sentences[i] ?? "";
      const next = sentences[i + 1];
      const joinable = (sentence: string): boolean => sentence.endsWith(".") && countWords(sentence) <= 8 && this.startsWithSubject(sentence);
      // Two whole clauses join; a fragment ("Not any more.") stays on its own.
      if (next !== undefined && joinable(current) && joinable(next) && !/[,;:]/.test(current)) {
        const firstWord = next.split(" ")[0] ?? "";
        const rest = this.names.has(firstWord) ? next : next.charAt(0).toLowerCase() + next.slice(1);
        const joined = this.tryChange(`${current} ${next}`, `${current.slice(0, -1)}, and ${rest}`);
        result.push(joined);
        i += 1;
      } else {
        result.push(current);
      }
    }
    return result;
  }

  /** Whether a clause opens with a subject of its own: a pronoun, a name or a noun phrase. */
  private startsWithSubject(clause: string): boolean {
    return this.names.has(clause.split(" ")[0] ?? "") || /^(?:I|he|she|they|we|it|there|the|a|an|his|her|my|their|its|our|nobody|everything|something)\b/i.test(clause);
  }

  /**
   * The voice's codas, about one for every 600 words, on descriptive
   * narration sentences where there are some and on any short narration
   * sentence otherwise (short: sixteen words at most, and a comma at most,
   * so a coda never trails a sentence that already has two).
   */
  private addCodas(paragraphs: string[], profile: VoiceProfile): string[] {
    if (profile.codas.length === 0) return paragraphs;
    const split = paragraphs.map((paragraph, index) => (index === 0 || hasSpeech(paragraph) ? [] : splitSentences(paragraph)));
    const candidates = split.flatMap((sentences, paragraph) =>
      sentences.map((sentence, index) => ({ paragraph, index, sentence })).filter(({ sentence }) => sentence.endsWith(".") && countWords(sentence) <= 16 && (sentence.match(/,/g)?.length ?? 0) <= 1)
    );
    const descriptive = candidates.filter(({ sentence }) => DESCRIPTIVE.test(sentence));
    const count = Math.max(1, Math.round(countWords(this.input.text) / 600));
    const chosen = this.random.sample(descriptive.length >= count ? descriptive : candidates, count);
    const codas = this.random.shuffled(profile.codas);
    chosen.forEach(({ paragraph, index, sentence }, turn) => {
      const coda = codas[turn % codas.length] ?? "";
      const sentences = split[paragraph];
      if (sentences) sentences[index] = this.tryChange(sentence, `${sentence.slice(0, -1)}${coda}.`);
    });
    return paragraphs.map((paragraph, index) => (chosen.some((entry) => entry.paragraph === index) ? joinSentences(split[index] ?? []) : paragraph));
  }

  /** Applies a change while the scene's length stays within the limit. */
  private tryChange(before: string, after: string): string {
    const difference = countWords(after) - countWords(before);
    if (Math.abs(this.change + difference) > this.limit) return before;
    this.change += difference;
    return after;
  }
}

export function applyVoice(input: SceneInput): string {
  return new VoiceReviser(input, voiceProfileOf(input.plan.highConcept.narrative_voice.description)).revise();
}
