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

/**
 * Socket-level failures and PostgreSQL's SQLSTATEs for a server that went
 * away or is not ready: class 08 (connection exception), 57P01–57P03
 * (administrator or crash shutdown, cannot connect now).
 */
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN", "57P01", "57P02", "57P03"]);

/** What node-postgres says, without a code, of a connection that ended or never opened. */
const UNAVAILABLE_MESSAGES = [
  "Connection terminated",
  "connection error and is not queryable",
  "Client was closed and is not queryable",
  "timeout exceeded when trying to connect",
  "Cannot use a pool after calling end on the pool",
];

/**
 * True when a query failed because the database could not be reached (a
 * restart, a failover, a dropped connection) rather than because of the
 * query: the same work may succeed once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  while (current instanceof Error) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08"))) return true;
    const message = current.message;
    if (UNAVAILABLE_MESSAGES.some((fragment) => message.includes(fragment))) return true;
    // AggregateError: connecting tried several addresses (IPv4 and IPv6) and each failed.
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable)) return true;
    current = current.cause;
  }
  return false;
}
