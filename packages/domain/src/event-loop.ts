/**
 * Long work that runs without waiting on I/O (the embedded database, the
 * offline writer, building an export, reading cached files) pauses here to
 * let everything that is ready run first: I/O, and the work queued for the
 * end of the event loop's turn — the server writes the answers to a turn's
 * requests then. One `setImmediate` would let the I/O in but go on before
 * the immediates that I/O queued (the answers would wait for the next stretch
 * of work); the second one runs after them.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
