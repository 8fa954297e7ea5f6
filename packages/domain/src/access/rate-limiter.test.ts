import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter";

describe("RateLimiter", () => {
  it("allows a minute's budget at once, then one request per refill interval, per key", () => {
    const limiter = new RateLimiter(60);
    const start = 1_000_000;
    for (let index = 0; index < 60; index += 1) expect(limiter.take("a", start)).toEqual({ allowed: true });
    expect(limiter.take("a", start)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another key has its own budget.
    expect(limiter.take("b", start)).toEqual({ allowed: true });
    // One token a second comes back.
    expect(limiter.take("a", start + 1_000)).toEqual({ allowed: true });
    expect(limiter.take("a", start + 1_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("says how long to wait when the rate is slow", () => {
    const limiter = new RateLimiter(2);
    expect(limiter.take("a", 0)).toEqual({ allowed: true });
    expect(limiter.take("a", 0)).toEqual({ allowed: true });
    expect(limiter.take("a", 0)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    expect(limiter.take("a", 15_000)).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(limiter.take("a", 30_000)).toEqual({ allowed: true });
  });

  it("does nothing when turned off", () => {
    const limiter = new RateLimiter(0);
    for (let index = 0; index < 10_000; index += 1) expect(limiter.take("a", 0).allowed).toBe(true);
  });
});
