import { setTimeout as sleep } from "node:timers/promises";
import { BudgetExhaustedError, WriterFailedError } from "../writer";

export interface RetryPolicy {
  /** Retries after the first attempt; a request is sent at most maxRetries + 1 times. */
  maxRetries: number;
  /** The first backoff; each further retry waits twice as long, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A provider's Retry-After is honoured up to this long; a longer one is cut to it. */
  maxRetryAfterMs: number;
  /** One attempt that has not been answered by then is given up, and counts as a retryable failure. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  // Long enough for a full scene from a slow local model; a provider that hangs must not hold a job slot for ever.
  attemptTimeoutMs: 10 * 60_000,
};

/** How a failed attempt is handled. */
export interface FailureVerdict {
  retryable: boolean;
  /** The wait the provider asked for, when it sent one. */
  retryAfterMs: number | null;
  /** Shown to users when the call finally fails: names the provider and the cause, never a key. */
  message: string;
}

/**
 * The error an aborted call rejects with, whatever reason the signal
 * carries: the engine recognises a pause or cancel by its name.
 */
function abortError(): DOMException {
  return new DOMException("The writer call was aborted.", "AbortError");
}

/**
 * The wait before retry number `retry` (0 for the first retry): the
 * provider's Retry-After when it sent one (capped), otherwise exponential
 * backoff with full jitter so that many clients do not retry in step.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfterMs: number | null): number {
  if (retryAfterMs !== null) return Math.min(Math.max(retryAfterMs, 0), policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/** Waits, but rejects with an abort error as soon as the signal aborts. */
async function wait(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw abortError();
    throw error;
  }
}

/**
 * Runs `attempt` until it succeeds, retrying the failures `judge` calls
 * retryable with backoff. Gives up with WriterFailedError on a failure that
 * cannot be retried or when retries run out. An aborted signal stops both
 * the attempt in flight and the wait between attempts.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  options: { signal: AbortSignal; policy: RetryPolicy; judge: (error: unknown) => FailureVerdict },
): Promise<T> {
  const { signal, policy, judge } = options;
  for (let retry = 0; ; retry++) {
    if (signal.aborted) throw abortError();
    try {
      return await attempt();
    } catch (error) {
      if (signal.aborted) throw abortError();
      // Our own refusals (such as an exhausted budget) are final and already explain themselves.
      if (error instanceof BudgetExhaustedError || error instanceof WriterFailedError) throw error;
      const verdict = judge(error);
      // The verdict's message alone, never the provider's error as `cause`: its text may quote the API key, and logs print causes.
      if (!verdict.retryable) throw new WriterFailedError(verdict.message);
      if (retry >= policy.maxRetries) throw new WriterFailedError(`${verdict.message} (gave up after ${retry + 1} attempts)`);
      await wait(retryDelayMs(policy, retry, verdict.retryAfterMs), signal);
    }
  }
}

