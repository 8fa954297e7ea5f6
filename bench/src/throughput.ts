import { join } from "node:path";
import autocannon from "autocannon";
import { OWNER_KEY, REPO_ROOT, startScriptorium, startService } from "./processes";
import type { BenchResult } from "./report";

/** Bounded load: fixed connections and duration on loopback. */
const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;
const DURATION_SECONDS = 8;

interface Measured {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function measure(url: string, headers: Record<string, string>): Promise<Measured> {
  await autocannon({ url, headers, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
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
    const baseline = await measure(`${bare.url}/`, {});
    const trpc = await measure(`${server.url}/trpc/auth.whoami`, auth);
    const rest = await measure(`${server.url}/api/v1/whoami`, auth);
    for (const [name, run] of Object.entries({ baseline, trpc, rest })) {
      if (run.non2xx > 0 || run.errors > 0) throw new Error(`${name}: ${run.non2xx} non-2xx answers and ${run.errors} errors`);
    }
    const row = (name: string, run: Measured): BenchResult => {
      const ratio = run.requestsPerSecond / baseline.requestsPerSecond;
      return {
        name,
        value: `${Math.round(run.requestsPerSecond)} req/s (p99 ${run.p99Ms} ms)`,
        comparison: `${Math.round(ratio * 100)} % of bare node:http (${Math.round(baseline.requestsPerSecond)} req/s, p99 ${baseline.p99Ms} ms)`,
        target: "≥ 50 % of bare",
        pass: ratio >= 0.5,
      };
    };
    return [row("tRPC small query (auth.whoami)", trpc), row("REST small query (GET /api/v1/whoami)", rest)];
  } finally {
    await Promise.all([bare.stop(), server.stop()]);
  }
}
