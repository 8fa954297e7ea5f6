import { join } from "node:path";
import autocannon from "autocannon";
import { OWNER_KEY, REPO_ROOT, startScriptorium, startService, startStockAdapters } from "./processes";
import type { BenchResult } from "./report";

/** Bounded load: fixed connections and duration on loopback. */
const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = 5;
/** Rounds run every target in turn, so drift in the machine's speed hits all alike; each reports its median round. */
const ROUNDS = 3;
/** A shortcut around a stock adapter earns its place only by beating it by this much in every round. */
export const SHORTCUT_MARGIN = 1.15;

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
  return sorted[Math.floor(sorted.length / 2)] as Measured;
}

const kilo = (requestsPerSecond: number) => `${(requestsPerSecond / 1000).toFixed(1)}k`;

/** Every round of one target, in order: "51.2k / 49.8k / 52.0k req/s". */
function rounds(runs: Measured[]): string {
  return `${runs.map((run) => kilo(run.requestsPerSecond)).join(" / ")} req/s`;
}

/** Per round, how many times faster `ours` was than `stock`: "1.92× / 2.01× / 1.95×". */
function speedups(ours: Measured[], stock: Measured[]): number[] {
  return ours.map((run, round) => run.requestsPerSecond / (stock[round]?.requestsPerSecond ?? Number.NaN));
}

/**
 * §7: tRPC and REST throughput on a small authenticated query against a
 * bare node:http JSON handler, each in its own process, in one run. The
 * same queries also go to the stock adapters (tRPC's createHTTPHandler,
 * trpc-to-openapi's createOpenApiHttpHandler) over the same services, so
 * every round shows what Scriptorium's own edge (`apps/server/src/http/fast`)
 * earns over them.
 */
export async function benchThroughput(): Promise<BenchResult[]> {
  const bare = await startService(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/src/bare-server.ts")], {});
  const server = await startScriptorium();
  const stock = await startStockAdapters();
  try {
    const auth = { "x-api-key": OWNER_KEY };
    const targets = {
      baseline: { url: `${bare.url}/`, headers: {} },
      trpc: { url: `${server.url}/trpc/auth.whoami`, headers: auth },
      trpcStock: { url: `${stock.url}/trpc/auth.whoami`, headers: auth },
      rest: { url: `${server.url}/api/v1/whoami`, headers: auth },
      restStock: { url: `${stock.url}/api/v1/whoami`, headers: auth },
    };
    type Name = keyof typeof targets;
    const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, [] as Measured[]])) as Record<Name, Measured[]>;
    for (const target of Object.values(targets)) await load(target.url, target.headers, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, target] of Object.entries(targets)) runs[name as Name].push(await load(target.url, target.headers, ROUND_SECONDS));
    }
    for (const [name, measured] of Object.entries(runs)) {
      const non2xx = measured.reduce((sum, run) => sum + run.non2xx, 0);
      const errors = measured.reduce((sum, run) => sum + run.errors, 0);
      if (non2xx > 0 || errors > 0) throw new Error(`${name}: ${non2xx} non-2xx answers and ${errors} errors`);
    }
    const baseline = median(runs.baseline);
    const share = (run: Measured) => `${Math.round((run.requestsPerSecond / baseline.requestsPerSecond) * 100)} %`;
    const ofBare = (name: Name, title: string): BenchResult => {
      const run = median(runs[name]);
      return {
        name: title,
        value: `${Math.round(run.requestsPerSecond)} req/s (p99 ${run.p99Ms} ms); rounds ${rounds(runs[name])}`,
        comparison: `${share(run)} of bare node:http (${Math.round(baseline.requestsPerSecond)} req/s, p99 ${baseline.p99Ms} ms; rounds ${rounds(runs.baseline)}); medians of ${ROUNDS} interleaved ${ROUND_SECONDS} s rounds`,
        target: "≥ 50 % of bare",
        pass: run.requestsPerSecond / baseline.requestsPerSecond >= 0.5,
      };
    };
    const againstStock = (ours: Name, stockName: Name, title: string): BenchResult => {
      const run = median(runs[stockName]);
      const ratios = speedups(runs[ours], runs[stockName]);
      return {
        name: title,
        value: `${Math.round(run.requestsPerSecond)} req/s (p99 ${run.p99Ms} ms, ${share(run)} of bare); rounds ${rounds(runs[stockName])}`,
        comparison: `Scriptorium's edge per round: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(" / ")}`,
        target: `edge ≥ ${SHORTCUT_MARGIN}× stock in every round`,
        pass: ratios.every((ratio) => ratio >= SHORTCUT_MARGIN),
      };
    };
    return [
      ofBare("trpc", "tRPC small query (auth.whoami)"),
      ofBare("rest", "REST small query (GET /api/v1/whoami)"),
      againstStock("trpc", "trpcStock", "tRPC small query, stock createHTTPHandler"),
      againstStock("rest", "restStock", "REST small query, stock createOpenApiHttpHandler"),
    ];
  } finally {
    await Promise.all([bare.stop(), server.stop(), stock.stop()]);
  }
}
