/**
 * Reading and rebuilding scene text: paragraphs separated by one blank line,
 * sentences that keep quoted speech and its tag together, and narration
 * (everything outside “ ” quotes) as opposed to speech.
 */

export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "");
}

export function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.join("\n\n");
}

export function hasSpeech(text: string): boolean {
  return text.includes("“");
}

/** After a closing quote, a lower-case word or a speaker and tag continue the sentence (“Go?” she asked.). */
const TAG_AFTER_QUOTE =
  /^\s+(?:[a-z]|[A-Z][\p{L}’'-]*\s+(?:said|says|asked|asks|replied|replies|answered|answers|whispered|whispers|murmured|murmurs|muttered|mutters|called|calls|admitted|admits|added|adds|insisted|insists|snapped|snaps|pressed|presses|demanded|demands)\b)/u;

/**
 * The sentences of one paragraph, in order; joining them with single spaces
 * gives the paragraph back. A sentence ends at . ! ? outside quotes followed
 * by a space, or at a closing quote whose speech ended a sentence, unless a
 * speech tag follows.
 */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  let inQuote = false;
  for (const match of paragraph.matchAll(/[“”]|[.!?…](?= )/g)) {
    const at = match.index;
    if (match[0] === "“") inQuote = true;
    else if (match[0] === "”") {
      inQuote = false;
      const spoken = paragraph.charAt(at - 1);
      if (".!?…".includes(spoken) && paragraph.charAt(at + 1) === " " && !TAG_AFTER_QUOTE.test(paragraph.slice(at + 1, at + 40))) {
        sentences.push(paragraph.slice(start, at + 1));
        start = at + 2;
      }
    } else if (!inQuote) {
      sentences.push(paragraph.slice(start, at + 1));
      start = at + 2;
    }
  }
  if (start < paragraph.length) sentences.push(paragraph.slice(start));
  return sentences.filter((sentence) => sentence !== "");
}

export function joinSentences(sentences: readonly string[]): string {
  return sentences.join(" ");
}

/**
 * Rewrites the narration of a text (everything outside “ ” quotes) and
 * leaves speech as it is.
 */
export function mapNarration(text: string, rewrite: (narration: string) => string): string {
  let result = "";
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf("“", position);
    if (open < 0) {
      result += rewrite(text.slice(position));
      break;
    }
    result += rewrite(text.slice(position, open));
    const close = text.indexOf("”", open + 1);
    const end = close < 0 ? text.length : close + 1;
    result += text.slice(open, end);
    position = end;
  }
  return result;
}

/** Where quoted speech is: [start, end) spans including the quotes; a quote left open runs to the end of its paragraph. */
function speechSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let open = text.indexOf("“"); open >= 0; open = text.indexOf("“", open + 1)) {
    const close = text.indexOf("”", open + 1);
    const paragraphEnd = text.indexOf("\n\n", open);
    const end = close >= 0 && (paragraphEnd < 0 || close < paragraphEnd) ? close + 1 : paragraphEnd >= 0 ? paragraphEnd : text.length;
    spans.push([open, end]);
    open = end - 1;
  }
  return spans;
}

/**
 * Replaces the matches of a global pattern that fall in narration, leaving
 * those inside quoted speech as they are. One pass over the whole text.
 */
export function replaceInNarration(text: string, pattern: RegExp, replace: (match: RegExpExecArray) => string): string {
  const spans = speechSpans(text);
  let span = 0;
  let result = "";
  let position = 0;
  for (const match of text.matchAll(pattern)) {
    while (span < spans.length && (spans[span]?.[1] ?? 0) <= match.index) span += 1;
    const current = spans[span];
    if (current && current[0] <= match.index) continue;
    result += text.slice(position, match.index) + replace(match);
    position = match.index + match[0].length;
  }
  return result + text.slice(position);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
