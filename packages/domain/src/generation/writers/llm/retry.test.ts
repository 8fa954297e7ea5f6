import { describe, expect, it } from "vitest";
import { BudgetExhaustedError, WriterFailedError } from "../writer";
import { DEFAULT_RETRY_POLICY, retryDelayMs, withRetries, type FailureVerdict } from "./retry";

const FAST = { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 10, attemptTimeoutMs: 5_000 };
const transient: FailureVerdict = { retryable: true, retryAfterMs: null, message: "Server had a hiccup" };

describe("retry delays", () => {
  it("grow exponentially with jitter, up to the maximum", () => {
    for (let retry = 0; retry < 8; retry++) {
      const ceiling = Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.initialDelayMs * 2 ** retry);
      const delay = retryDelayMs(DEFAULT_RETRY_POLICY, retry, null);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it("follow Retry-After, capped", () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 3, 0)).toBe(0);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 5_000)).toBe(5_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 3_600_000)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });
});

describe("withRetries", () => {
  const signal = new AbortController().signal;

  it("retries retryable failures until one succeeds", async () => {
    let attempts = 0;
    const result = await withRetries(
      async () => {
        if (++attempts < 3) throw new Error("flaky");
        return "done";
      },
      { signal, policy: FAST, judge: () => transient },
    );
    expect(result).toBe("done");
    expect(attempts).toBe(3);
  });

  it("gives up after the last retry with the verdict's message", async () => {
    let attempts = 0;
    const failure = withRetries(
      () => {
        attempts++;
        return Promise.reject(new Error("flaky"));
      },
      { signal, policy: FAST, judge: () => transient },
    );
    await expect(failure).rejects.toThrow(new WriterFailedError("Server had a hiccup (gave up after 4 attempts)"));
    expect(attempts).toBe(4);
  });

  it("does not retry a final failure or a budget refusal", async () => {
    const final = { retryable: false, retryAfterMs: null, message: "Key rejected" };
    await expect(withRetries(() => Promise.reject(new Error("401")), { signal, policy: FAST, judge: () => final })).rejects.toThrow(
      new WriterFailedError("Key rejected"),
    );
    const refusal = new BudgetExhaustedError(0, 1);
    await expect(withRetries(() => Promise.reject(refusal), { signal, policy: FAST, judge: () => transient })).rejects.toBe(refusal);
  });

  it("stops waiting between attempts when the signal aborts", async () => {
    const controller = new AbortController();
    const slow = { ...FAST, initialDelayMs: 60_000, maxDelayMs: 60_000 };
    const failure = withRetries(() => Promise.reject(new Error("flaky")), { signal: controller.signal, policy: slow, judge: () => transient });
    setTimeout(() => controller.abort(), 20);
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
  });
});
