import { Random } from "./random";

/**
 * The offline writer's sentence grammar. A rule is a list of alternative
 * templates; a template is text with
 * - `[a|b|c]` choices, which may nest and may be empty (`[, slowly|]`),
 * - `<rule>` references to other rules, and
 * - `{slot}` placeholders the writer fills from the story (names, places,
 *   objects, events), left in the derived text for it.
 *
 * Every rule knows how many different sentences it can derive, and derives
 * the n-th of them on demand ("unranking"). The writer never picks parts at
 * random: each sentence a book needs gets its own number within its rule
 * (see `BookPhrasing`), numbers pass through a seeded permutation so that
 * neighbours read nothing alike, and two different numbers always give two
 * different sentences. That is what keeps a 90 000-word book from saying
 * the same thing twice, while every part of every sentence still comes
 * from hand-written English.
 */

type GrammarNode =
  | { kind: "text"; text: string }
  | { kind: "sequence"; parts: GrammarNode[]; size: number }
  | { kind: "choice"; options: GrammarNode[]; size: number; rule: string | null };

/** Derivations are numbered with plain numbers: a rule must stay below 2^52 of them. */
const MAX_SIZE = 2 ** 52;

export type RuleTable = Readonly<Record<string, readonly string[]>>;

function sizeOf(node: GrammarNode): number {
  return node.kind === "text" ? 1 : node.size;
}

function sequence(parts: GrammarNode[]): GrammarNode {
  const merged: GrammarNode[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === "text" && last?.kind === "text") merged[merged.length - 1] = { kind: "text", text: last.text + part.text };
    else merged.push(part);
  }
  if (merged.length === 1 && merged[0]) return merged[0];
  return { kind: "sequence", parts: merged, size: merged.reduce((product, part) => product * sizeOf(part), 1) };
}

function choice(options: GrammarNode[], rule: string | null): GrammarNode {
  return { kind: "choice", options, size: options.reduce((sum, option) => sum + sizeOf(option), 0), rule };
}

export class Grammar {
  private readonly compiled = new Map<string, GrammarNode>();
  private readonly compiling = new Set<string>();

  constructor(private readonly rules: RuleTable) {}

  /** How many different texts a rule derives. */
  size(rule: string): number {
    return sizeOf(this.rule(rule));
  }

  /**
   * The `index`-th derivation of a rule (0 ≤ index < size), with the rules
   * whose options were chosen on the way (as "rule#option"; empty options
   * are left out).
   */
  derive(rule: string, index: number): { text: string; picks: string[] } {
    const picks: string[] = [];
    const text = unrank(this.rule(rule), index, picks);
    return { text, picks };
  }

  /** The `{slot}` names a rule's derivations may contain, through every rule it refers to. */
  slots(rule: string): Set<string> {
    const found = new Set<string>();
    const visit = (node: GrammarNode): void => {
      if (node.kind === "text") for (const match of node.text.matchAll(/\{(\w+)\}/g)) found.add(match[1] ?? "");
      else if (node.kind === "sequence") node.parts.forEach(visit);
      else node.options.forEach(visit);
    };
    visit(this.rule(rule));
    return found;
  }

  private rule(name: string): GrammarNode {
    const known = this.compiled.get(name);
    if (known) return known;
    const templates = this.rules[name];
    if (!templates || templates.length === 0) throw new Error(`grammar: no rule <${name}>`);
    if (this.compiling.has(name)) throw new Error(`grammar: rule <${name}> refers to itself`);
    this.compiling.add(name);
    const node = choice(
      templates.map((template) => this.parse(template, name)),
      name,
    );
    this.compiling.delete(name);
    if (sizeOf(node) > MAX_SIZE) throw new Error(`grammar: rule <${name}> derives more than 2^52 texts`);
    this.compiled.set(name, node);
    return node;
  }

  private parse(template: string, rule: string): GrammarNode {
    let position = 0;
    const parseSequence = (inChoice: boolean): GrammarNode => {
      const parts: GrammarNode[] = [];
      let text = "";
      const flush = () => {
        if (text !== "") parts.push({ kind: "text", text });
        text = "";
      };
      while (position < template.length) {
        const char = template.charAt(position);
        if (inChoice && (char === "|" || char === "]")) break;
        if (char === "[") {
          flush();
          position += 1;
          const options = [parseSequence(true)];
          while (template.charAt(position) === "|") {
            position += 1;
            options.push(parseSequence(true));
          }
          if (template.charAt(position) !== "]") throw new Error(`grammar: unclosed [ in <${rule}>: ${template}`);
          position += 1;
          parts.push(choice(options, null));
        } else if (char === "<") {
          flush();
          const end = template.indexOf(">", position);
          if (end < 0) throw new Error(`grammar: unclosed < in <${rule}>: ${template}`);
          parts.push(this.rule(template.slice(position + 1, end)));
          position = end + 1;
        } else {
          text += char;
          position += 1;
        }
      }
      flush();
      return sequence(parts.length > 0 ? parts : [{ kind: "text", text: "" }]);
    };
    const node = parseSequence(false);
    if (position < template.length) throw new Error(`grammar: stray ${template.charAt(position)} in <${rule}>: ${template}`);
    return node;
  }
}

function unrank(node: GrammarNode, index: number, picks: string[]): string {
  if (node.kind === "text") return node.text;
  if (node.kind === "sequence") {
    let rest = index;
    let text = "";
    for (const part of node.parts) {
      const size = sizeOf(part);
      text += unrank(part, rest % size, picks);
      rest = Math.floor(rest / size);
    }
    return text;
  }
  let rest = index;
  for (const [position, option] of node.options.entries()) {
    const size = sizeOf(option);
    if (rest < size) {
      // An empty option is no phrase: nothing to avoid repeating.
      if (node.rule && !(option.kind === "text" && option.text === "")) picks.push(`${node.rule}#${position}`);
      return unrank(option, rest, picks);
    }
    rest -= size;
  }
  throw new Error("grammar: derivation index out of range");
}

/** Spaces and punctuation as English sets them, after empty choices and slots have been filled. */
export function tidy(text: string): string {
  return text
    .replace(/ {2,}/g, " ")
    .replace(/ ([,.;:!?…])/g, "$1")
    .replace(/,([,.;:!?])/g, "$1")
    .trim();
}

/** A 32-bit mix of a number with a key. */
function mix(value: number, key: number): number {
  let x = Math.imul(value ^ key, 0x9e3779b1);
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca77);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae3d);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A keyed permutation of [0, size): a four-round Feistel network over the
 * smallest even power of two that holds `size`, walking the cycle until the
 * result falls inside. Different inputs always give different outputs.
 */
export function permute(index: number, size: number, keys: readonly number[]): number {
  if (size <= 1) return 0;
  const half = Math.max(1, Math.ceil(Math.log2(size) / 2));
  const span = 2 ** half;
  const mask = span - 1;
  let value = index;
  do {
    let left = Math.floor(value / span);
    let right = value % span;
    for (const key of keys) {
      const next = (left ^ (mix(right, key) & mask)) >>> 0;
      left = right;
      right = next;
    }
    value = left * span + right;
  } while (value >= size);
  return value;
}

/** Where a scene sits in its book: its 0-based index and how many scenes there are. */
export interface BookPosition {
  index: number;
  count: number;
}

/** How often a draw may be redrawn to avoid a part already used in the scene. */
const REDRAWS = 8;

/**
 * Numbers sentences across a whole book. The `use`-th sentence a scene
 * draws from a rule gets number use × scenes + scene, unique in the book; a
 * seeded permutation of the rule's derivations turns that number into the
 * sentence. Every call builds its own, so the result depends only on the
 * call's inputs, whatever order scenes are written in. Stages that add
 * sentences of their own draw them from rules of their own, so they can
 * never repeat one the draft wrote.
 */
export class BookPhrasing {
  private readonly uses = new Map<string, number>();
  private readonly keys = new Map<string, number[]>();
  /** Parts of rules that should appear once per scene, already used in this one. */
  private readonly usedPicks = new Set<string>();

  constructor(
    private readonly grammar: Grammar,
    private readonly seed: number | string,
    private readonly position: BookPosition,
    /** Rules whose options a scene should not repeat (a sound heard twice reads as a loop). */
    private readonly oncePerScene: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * The next sentence template of a rule for this scene, its slots still to
   * fill: the first of a few draws that repeats no once-per-scene part, or
   * failing that the one that repeats fewest.
   */
  next(rule: string): string {
    let best: { text: string; scarce: string[]; repeats: number } | null = null;
    for (let attempt = 0; attempt <= REDRAWS && (best === null || best.repeats > 0); attempt++) {
      const { text, picks } = this.draw(rule);
      const scarce = picks.filter((pick) => this.oncePerScene.has(pick.slice(0, pick.indexOf("#"))));
      const repeats = scarce.filter((pick) => this.usedPicks.has(pick)).length;
      if (best === null || repeats < best.repeats) best = { text, scarce, repeats };
    }
    if (!best) return "";
    for (const pick of best.scarce) this.usedPicks.add(pick);
    return best.text;
  }

  private draw(rule: string): { text: string; picks: string[] } {
    const use = this.uses.get(rule) ?? 0;
    this.uses.set(rule, use + 1);
    const size = this.grammar.size(rule);
    const number = (use * this.position.count + this.position.index) % size;
    return this.grammar.derive(rule, permute(number, size, this.keysOf(rule)));
  }

  /** The permutation's round keys for a rule: the same for every scene of the book. */
  private keysOf(rule: string): number[] {
    let keys = this.keys.get(rule);
    if (!keys) {
      const random = new Random(`${this.seed}:grammar:${rule}`);
      keys = [0, 1, 2, 3].map(() => Math.floor(random.next() * 2 ** 32));
      this.keys.set(rule, keys);
    }
    return keys;
  }
}
