import { APICallError, LoadAPIKeyError, NoObjectGeneratedError, NoOutputGeneratedError } from "ai";
import type { FailureVerdict } from "./retry";

/** Who a failure is about, for messages a person can act on. */
export interface FailureContext {
  /** The provider as users know it: "OpenAI", "Anthropic", "the OpenAI-compatible server at http://…". */
  label: string;
  modelId: string;
  /** Where the API key comes from, e.g. "OPENAI_API_KEY". */
  keySource: string;
  /** Values that must never appear in a message (the API key). */
  secrets: readonly string[];
  /** How long one attempt may take (RetryPolicy.attemptTimeoutMs). */
  attemptTimeoutMs: number;
}

/** Statuses a later attempt can succeed on: timeouts, conflicts, rate limits and server errors. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Decides whether a failed model request is worth retrying, and how to explain it. */
export function judgeFailure(error: unknown, context: FailureContext): FailureVerdict {
  const { modelId } = context;
  const label = sentenceStart(context.label);
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) {
      // No HTTP answer at all: the connection failed or was cut.
      return retryable(`Could not reach ${context.label}: ${providerMessage(error, context)}`, null);
    }
    if (isRetryableStatus(status)) {
      const what = status === 429 ? "is rate limiting requests" : status >= 500 ? "had a server error" : "did not complete the request";
      return retryable(`${label} ${what} (HTTP ${status}): ${providerMessage(error, context)}`, retryAfterMs(error.responseHeaders));
    }
    return final(clientErrorMessage(status, error, context));
  }
  if (error instanceof Error && error.name === "TimeoutError") {
    // Our own per-attempt timeout: the provider may answer the next attempt.
    return retryable(`${label} (${modelId}) did not answer within ${Number((context.attemptTimeoutMs / 1000).toFixed(1))} s`, null);
  }
  if (NoObjectGeneratedError.isInstance(error)) {
    // Models vary from one answer to the next: another attempt usually parses.
    return retryable(`${label} (${modelId}) answered with data that does not have the expected shape`, null);
  }
  if (NoOutputGeneratedError.isInstance(error)) {
    return retryable(`${label} (${modelId}) answered without any text`, null);
  }
  if (LoadAPIKeyError.isInstance(error)) {
    return final(`${label} needs an API key: set ${context.keySource}.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return final(`The request to ${context.label} failed: ${redact(message, context.secrets)}`);
}

/** A request the provider refused: retrying the same request cannot help. */
function clientErrorMessage(status: number, error: APICallError, context: FailureContext): string {
  const { modelId, keySource } = context;
  const label = sentenceStart(context.label);
  switch (status) {
    case 401:
      // The provider's own text may quote part of the key: leave it out.
      return `${label} rejected the API key (HTTP 401). Check ${keySource}.`;
    case 403:
      return `${label} refused access to the model "${modelId}" (HTTP 403): ${providerMessage(error, context)}`;
    case 404:
      return `${label} does not know the model "${modelId}" or the address is wrong (HTTP 404): ${providerMessage(error, context)}`;
    default:
      return `${label} rejected the request (HTTP ${status}): ${providerMessage(error, context)}`;
  }
}

function sentenceStart(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function retryable(message: string, retryAfter: number | null): FailureVerdict {
  return { retryable: true, retryAfterMs: retryAfter, message };
}

function final(message: string): FailureVerdict {
  return { retryable: false, retryAfterMs: null, message };
}

const MAX_PROVIDER_MESSAGE = 300;

/** The provider's explanation, shortened and with anything resembling a key removed. */
function providerMessage(error: APICallError, context: FailureContext): string {
  const text = error.message.trim() || "no details given";
  const short = text.length > MAX_PROVIDER_MESSAGE ? `${text.slice(0, MAX_PROVIDER_MESSAGE)}…` : text;
  return redact(short, context.secrets);
}

/** Key-shaped tokens (sk-…, sk-ant-…, sk-proj-…) and bearer credentials. */
const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_*.-]{6,}/g, /\bBearer\s+\S+/gi];

export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  for (const pattern of KEY_PATTERNS) result = result.replace(pattern, "[redacted]");
  return result;
}

/** The wait a provider asked for, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const milliseconds = headers["retry-after-ms"];
  if (milliseconds !== undefined && Number.isFinite(Number.parseFloat(milliseconds))) {
    return Math.max(0, Number.parseFloat(milliseconds));
  }
  const value = headers["retry-after"];
  if (value === undefined) return null;
  const seconds = Number(value.trim());
  if (value.trim() !== "" && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
