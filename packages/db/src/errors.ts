/** PostgreSQL's code for a unique_violation; PGlite reports the same codes. */
const UNIQUE_VIOLATION = "23505";

/**
 * True when a write was refused because it would duplicate a unique key.
 * Drizzle wraps the driver's error, so the code may sit on any error of the
 * `cause` chain.
 */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  while (current instanceof Error) {
    if ((current as { code?: string }).code === UNIQUE_VIOLATION) return true;
    current = current.cause;
  }
  return false;
}
