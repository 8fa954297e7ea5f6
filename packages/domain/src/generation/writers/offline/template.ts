/** Fills `{slot}` placeholders; `slot` is asked for each one in order, so it may track what was said. */
export function fill(template: string, slot: (name: string) => string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => slot(name));
}
