import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const HEAP_POLICY = fileURLToPath(new URL("./heap-policy.ts", import.meta.url));

/**
 * A process with the server's heap policy makes some 300 MiB of short-lived
 * objects (kept alive together for a moment, as a large refresh does), then
 * sits idle; it prints the heap in use right after the burst and after 2.5 s
 * of idleness, in MiB.
 */
const BURST_THEN_IDLE = `
import { getHeapStatistics } from "node:v8";
await import(${JSON.stringify(HEAP_POLICY)});
const mib = () => getHeapStatistics().used_heap_size / 1048576;
let batch = [];
for (let i = 0; i < 3_000_000; i += 1) {
  batch.push({ index: i, name: "artifact-" + i, tags: ["a", "b"] });
  if (batch.length === 600_000) batch = [];
}
batch = null;
const afterBurst = mib();
await new Promise((resolve) => setTimeout(resolve, 2_500));
console.log(JSON.stringify({ afterBurst, afterIdle: mib() }));
`;

async function burstThenIdle(nodeFlags: string[]): Promise<{ afterBurst: number; afterIdle: number }> {
  const { stdout } = await run(process.execPath, [...nodeFlags, "--import", "tsx", "--input-type=module", "--eval", BURST_THEN_IDLE]);
  return JSON.parse(stdout) as { afterBurst: number; afterIdle: number };
}

describe("the server's heap policy", () => {
  it("collects a burst's garbage once the process is idle, when V8's gc is exposed", async () => {
    const [withGc, withoutGc] = await Promise.all([burstThenIdle(["--expose-gc"]), burstThenIdle([])]);
    // The burst leaves well over the policy's 32 MiB of garbage behind in both processes.
    expect(withGc.afterBurst - withGc.afterIdle).toBeGreaterThan(32);
    expect(withGc.afterIdle).toBeLessThan(withoutGc.afterIdle - 32);
  }, 30_000);
});
