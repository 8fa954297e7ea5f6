/**
 * What counts as text when files are merged and diffed, on the server
 * (three-way sync) and on people's machines (`scriptorium update`) alike.
 */

const TEXT_DECODER = new TextDecoder("utf-8", { fatal: true });
/** Bytes looked at for a NUL, the usual sign of a binary file (as git does). */
const BINARY_SNIFF_BYTES = 8_000;

/** Text for merging and diffing: valid UTF-8 without NUL bytes; null for anything else (a binary). */
export function textOf(content: Uint8Array): string | null {
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return null;
  try {
    return TEXT_DECODER.decode(content);
  } catch {
    return null;
  }
}

/** Lines with their line endings, so a merge gives back the same bytes it was given. */
export function linesOf(text: string): string[] {
  return text.split(/(?<=\n)/);
}
