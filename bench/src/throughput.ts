import { join } from "node:path";
import autocannon from "autocannon";
import { OWNER_KEY, REPO_ROOT, startScriptorium, startService } from "./processes";
import type { BenchResult } from "./report";

/** Bounded load: fixed connections and duration on loopback. */
const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = 5;
/** Rounds run the three targets in turn, so drift in the machine's speed hits all three alike; each reports its median round. */
const ROUNDS = 3;

interface Measured {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Measured> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { ...(sorted[Math.floor(sorted.length / 2)] as Measured), non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0), errors: runs.reduce((sum, run) => sum + run.errors, 0) };
}

/**
 * §7: tRPC and REST throughput on a small authenticated query against a
 * bare node:http JSON handler, each in its own process, in one run.
 */
export async function benchThroughput(): Promise<BenchResult[]> {
  const bare = await startService(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/src/bare-server.ts")], {});
  const server = await startScriptorium();
  try {
    const auth = { "x-api-key": OWNER_KEY };
    const targets = {
      baseline: { url: `${bare.url}/`, headers: {} },
      trpc: { url: `${server.url}/trpc/auth.whoami`, headers: auth },
      rest: { url: `${server.url}/api/v1/whoami`, headers: auth },
    };
    const runs = { baseline: [] as Measured[], trpc: [] as Measured[], rest: [] as Measured[] };
    for (const target of Object.values(targets)) await load(target.url, target.headers, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, target] of Object.entries(targets)) runs[name as keyof typeof runs].push(await load(target.url, target.headers, ROUND_SECONDS));
    }
    const baseline = median(runs.baseline);
    const trpc = median(runs.trpc);
    const rest = median(runs.rest);
    for (const [name, run] of Object.entries({ baseline, trpc, rest })) {
      if (run.non2xx > 0 || run.errors > 0) throw new Error(`${name}: ${run.non2xx} non-2xx answers and ${run.errors} errors`);
    }
    const row = (name: string, run: Measured): BenchResult => {
      const ratio = run.requestsPerSecond / baseline.requestsPerSecond;
      return {
        name,
        value: `${Math.round(run.requestsPerSecond)} req/s (p99 ${run.p99Ms} ms)`,
        comparison: `${Math.round(ratio * 100)} % of bare node:http (${Math.round(baseline.requestsPerSecond)} req/s, p99 ${baseline.p99Ms} ms); medians of ${ROUNDS} interleaved ${ROUND_SECONDS} s rounds`,
        target: "≥ 50 % of bare",
        pass: ratio >= 0.5,
      };
    };
    return [row("tRPC small query (auth.whoami)", trpc), row("REST small query (GET /api/v1/whoami)", rest)];
  } finally {
    await Promise.all([bare.stop(), server.stop()]);
  }
}
