import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMixedLoad, type MixedLoadOutcome } from "./mixed-load";
import { startScriptorium, type Service } from "./processes";

/**
 * The bounded form of the bench's 60 s mixed load: the built server, 200
 * connections for 2 × 4 s of reads, refreshes and generation starts, with an
 * SSE follower on every project.
 */
describe("the server under mixed load", () => {
  let service: Service;
  let outcome: MixedLoadOutcome;

  beforeAll(async () => {
    service = await startScriptorium();
    outcome = await runMixedLoad(service, { connections: 200, phases: 2, phaseSeconds: 4, collections: 2, artifactsPerCollection: 50, projects: 4 });
  }, 120_000);
  afterAll(() => service.stop());

  it("answers every request without a 5xx, a reset or a timeout", () => {
    expect(outcome.requests).toBeGreaterThan(500);
    expect(outcome.statuses["200"]).toBeGreaterThan(0);
    expect(outcome.serverErrors).toBe(0);
    expect(outcome.transportErrors).toBe(0);
    expect(outcome.timeouts).toBe(0);
    // Only the answers a busy, correct server gives: 404 for a job not started yet, 409 for a start while one runs.
    expect(Object.keys(outcome.statuses).filter((code) => !["200", "404", "409"].includes(code))).toEqual([]);
  });

  it("runs generation jobs while loaded and delivers every persisted event exactly once, in order", () => {
    expect(outcome.jobsCompleted).toBeGreaterThan(0);
    expect(outcome.events.expected).toBeGreaterThan(0);
    expect(outcome.events).toMatchObject({ missing: 0, duplicated: 0, outOfOrder: 0, received: outcome.events.expected });
  });

  it("levels off in memory", () => {
    const [first = 0, second = 0] = outcome.rss.phases;
    // Short phases: the bench holds the tighter bound over 60 s.
    expect(second).toBeLessThanOrEqual(first * 1.25);
    expect(outcome.rss.settled).toBeLessThanOrEqual(Math.max(first, second) * 1.1);
  });
});
