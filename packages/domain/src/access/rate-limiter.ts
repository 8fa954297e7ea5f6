/**
 * Per-key request budgets: a token bucket per API key that holds a
 * minute's worth of requests and refills continuously, so a client may
 * burst up to its budget and then sustains the per-minute rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perSecond: number;

  /** `perMinute` 0 turns limiting off. */
  constructor(private readonly perMinute: number) {
    this.perSecond = perMinute / 60;
  }

  /** Spends one request of `keyId`'s budget; when none is left, the seconds until one is. */
  take(keyId: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    if (this.perMinute === 0) return { allowed: true };
    const bucket = this.buckets.get(keyId) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(keyId, bucket);
    if (bucket.tokens < 1) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond)) };
    bucket.tokens -= 1;
    return { allowed: true };
  }
}
