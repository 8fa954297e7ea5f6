import { afterEach, describe, expect, it } from "vitest";
import { collectWhenIdle } from "./heap-policy";

const MIB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the event loop busy for `ms`, as a burst of work does. */
function busyFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // spin
  }
}

/**
 * The idle collection with a heap whose size the test sets: V8's own
 * collections would otherwise decide when garbage goes, and the policy's
 * decision — collect once the loop is idle and garbage has piled up — is
 * what is under test. The timers and the event loop's utilization are real.
 */
describe("the server's idle collection", () => {
  let timer: NodeJS.Timeout | undefined;
  afterEach(() => clearInterval(timer));

  it("collects once the event loop is idle and the heap holds 32 MiB beyond what the last collection left, and not while busy", async () => {
    let heap = 50 * MIB;
    let collections = 0;
    timer = collectWhenIdle(() => {
      collections += 1;
      heap = 52 * MIB;
    }, () => heap);

    // Some garbage, below the threshold: nothing to do.
    heap = 70 * MIB;
    await sleep(1_300);
    expect(collections).toBe(0);

    // A burst leaves more, but the loop stays busy through the next check: still nothing.
    heap = 120 * MIB;
    busyFor(1_200);
    await sleep(50);
    expect(collections).toBe(0);

    // Idle again: collected once, and not again while nothing new piles up.
    await sleep(2_300);
    expect(collections).toBe(1);
    heap = 60 * MIB;
    await sleep(1_200);
    expect(collections).toBe(1);

    // What the collection left is the new reference: 32 MiB above it collects again.
    heap = 90 * MIB;
    await sleep(1_200);
    expect(collections).toBe(2);
  }, 15_000);
});
