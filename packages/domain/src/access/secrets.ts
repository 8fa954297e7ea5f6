import { createHash, randomBytes } from "node:crypto";

const KEY_MARKER = "scr_";
/** How much of a key stays visible in listings: the marker plus eight characters. */
const VISIBLE_PREFIX_LENGTH = KEY_MARKER.length + 8;
/** Keys given by operators (SCRIPTORIUM_BOOTSTRAP_KEY) must be at least this long. */
export const MIN_KEY_LENGTH = 16;

/** 256 random bits, URL-safe, recognisable by its marker. */
export function generateKey(): string {
  return KEY_MARKER + randomBytes(32).toString("base64url");
}

/**
 * Keys carry at least 128 random bits, so a fast hash is enough: there is
 * nothing to brute-force, and authentication stays cheap on every request.
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function visiblePrefix(key: string): string {
  return key.slice(0, VISIBLE_PREFIX_LENGTH);
}
