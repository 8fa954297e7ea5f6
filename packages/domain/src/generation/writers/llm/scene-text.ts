/**
 * Models drift from the scene-text format despite instructions: markdown
 * headings, scene-break rules, code fences, emphasis markers, straight
 * quotes, paragraphs split by single line breaks. This brings their answer
 * to the format every writer returns: plain paragraphs separated by one
 * blank line, dialogue in typographic double quotes.
 */
export function normalizeSceneText(raw: string): string {
  const paragraphs = raw
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !isMarkup(line))
    .map((line) => typographicQuotes(stripEmphasis(line)).replace(/\s+/g, " "));
  return paragraphs.join("\n\n");
}

/** Headings, scene-break markers (`***`, `* * *`, `---`, `#`, `~~~`) and code fences. */
function isMarkup(line: string): boolean {
  return /^#{1,6}(\s|$)/.test(line) || /^([*\-_~#]\s*){3,}$/.test(line) || line.startsWith("```");
}

function stripEmphasis(line: string): string {
  return line.replace(/(\*{1,3}|_{2,3})([^*_\n]+?)\1/g, "$2");
}

/** Straight double quotes become “ or ” by what precedes them: a quote opens at the start or after a space or an opening bracket or dash. */
function typographicQuotes(line: string): string {
  return line.replace(/"/g, (_quote, offset: number) => {
    const before = offset === 0 ? "" : line.charAt(offset - 1);
    return before === "" || /[\s([{—–-]/.test(before) ? "“" : "”";
  });
}
