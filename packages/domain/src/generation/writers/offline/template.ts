import type { Random } from "./random";

/** Fills `{slot}` placeholders; `slot` is asked for each one in order, so it may track what was said. */
export function fill(template: string, slot: (name: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => slot(name));
}

/** Resolves `[a|b|c]` choices in a template, picking one of each. */
export function vary(template: string, random: Random): string {
  return template.replace(/\[([^\]]*)\]/g, (_, choices: string) => random.pick(choices.split("|")));
}
