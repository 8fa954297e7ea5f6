import { APICallError } from "ai";
import { describe, expect, it } from "vitest";
import { judgeFailure, redact, retryAfterMs } from "./failures";

const KEY = "sk-live-abcdefghijklmnop";
const CONTEXT = { label: "OpenAI", modelId: "gpt-4o-mini", keySource: "OPENAI_API_KEY", secrets: [KEY], attemptTimeoutMs: 600_000 };

function httpError(statusCode: number | undefined, message: string, responseHeaders?: Record<string, string>): APICallError {
  return new APICallError({ message, url: "https://api.openai.com/v1/chat/completions", requestBodyValues: {}, statusCode, responseHeaders });
}

describe("judgeFailure", () => {
  it("retries an attempt that timed out, saying how long it waited", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(judgeFailure(timeout, CONTEXT)).toEqual({ retryable: true, retryAfterMs: null, message: "OpenAI (gpt-4o-mini) did not answer within 600 s" });
  });

  it("retries rate limits, server errors and network failures", () => {
    expect(judgeFailure(httpError(429, "slow down", { "retry-after": "2" }), CONTEXT)).toMatchObject({ retryable: true, retryAfterMs: 2_000 });
    expect(judgeFailure(httpError(503, "overloaded"), CONTEXT)).toMatchObject({ retryable: true, retryAfterMs: null });
    expect(judgeFailure(httpError(undefined, "Cannot connect to API: ECONNREFUSED"), CONTEXT)).toMatchObject({
      retryable: true,
      message: "Could not reach OpenAI: Cannot connect to API: ECONNREFUSED",
    });
  });

  it("never retries 400, 401, 403 or 404", () => {
    for (const status of [400, 401, 403, 404]) {
      const verdict = judgeFailure(httpError(status, `refused, key ${KEY}`), CONTEXT);
      expect(verdict.retryable).toBe(false);
      expect(verdict.message).toContain(`HTTP ${status}`);
      expect(verdict.message).not.toContain(KEY);
    }
    expect(judgeFailure(httpError(401, "bad key"), CONTEXT).message).toBe("OpenAI rejected the API key (HTTP 401). Check OPENAI_API_KEY.");
    expect(judgeFailure(httpError(404, "The model does not exist"), CONTEXT).message).toContain('the model "gpt-4o-mini"');
  });
});

describe("redact", () => {
  it("removes the key and anything shaped like one", () => {
    expect(redact(`key ${KEY} and sk-proj-XYZ123456 and Bearer abc.def`, [KEY])).toBe("key [redacted] and [redacted] and [redacted]");
  });
});

describe("retryAfterMs", () => {
  it("reads milliseconds, seconds and HTTP dates", () => {
    expect(retryAfterMs({ "retry-after-ms": "250" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "0" })).toBe(0);
    expect(retryAfterMs({ "retry-after": "3" })).toBe(3_000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }, now)).toBe(10_000);
    expect(retryAfterMs({ "retry-after": "soon" })).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
  });
});
