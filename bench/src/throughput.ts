import { join } from "node:path";
import autocannon from "autocannon";
import { OWNER_KEY, REPO_ROOT, startScriptorium, startScriptoriumFromSource, startService, startStockAdapters, type Service } from "./processes";
import type { BenchResult } from "./report";

/** Bounded load: fixed connections and duration on loopback. */
const CONNECTIONS = 32;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = 5;
/** Rounds run every target in turn, so drift in the machine's speed hits all alike; each reports its median round. */
const ROUNDS = 3;
/** A shortcut around a stock part earns its place only by beating it by this much in every round. */
export const SHORTCUT_MARGIN = 1.15;

interface Measured {
  requestsPerSecond: number;
  p99Ms: number;
  /** Server CPU time per answered request (user and system, all threads). */
  cpuMicros: number;
  non2xx: number;
  errors: number;
}

async function load(service: Service, path: string, headers: Record<string, string>, seconds: number): Promise<Measured> {
  const cpuBefore = service.cpuSeconds();
  const result = await autocannon({ url: `${service.url}${path}`, headers, connections: CONNECTIONS, duration: seconds });
  const cpuMicros = ((service.cpuSeconds() - cpuBefore) * 1e6) / Math.max(1, result.requests.total);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, cpuMicros, non2xx: result.non2xx, errors: result.errors };
}

function median(runs: Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as Measured;
}

/** Every round of one target, in order: "51.2k / 49.8k / 52.0k req/s (19 / 20 / 19 µs CPU each)". */
function rounds(runs: Measured[]): string {
  const kilo = runs.map((run) => `${(run.requestsPerSecond / 1000).toFixed(1)}k`).join(" / ");
  return `${kilo} req/s (${runs.map((run) => run.cpuMicros.toFixed(0)).join(" / ")} µs CPU each)`;
}

/**
 * §7: tRPC and REST throughput on a small authenticated query against a
 * bare node:http JSON handler, each in its own process, in one run. The
 * same queries also go, in the same rounds, to the stock adapters over the
 * same services (tRPC's createHTTPHandler, trpc-to-openapi's
 * createOpenApiHttpHandler) and to the server run from source (tRPC as
 * published, without the bundle's changes to it), so every round
 * shows what each shortcut of the edge (`apps/server/src/http/fast`) earns.
 */
export async function benchThroughput(): Promise<BenchResult[]> {
  const bare = await startService(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/src/bare-server.ts")], {});
  const server = await startScriptorium();
  const fromSource = await startScriptoriumFromSource();
  const stock = await startStockAdapters();
  try {
    const auth = { "x-api-key": OWNER_KEY };
    const targets = {
      baseline: { service: bare, path: "/", headers: {} },
      trpc: { service: server, path: "/trpc/auth.whoami", headers: auth },
      trpcUnpatched: { service: fromSource, path: "/trpc/auth.whoami", headers: auth },
      trpcStock: { service: stock, path: "/trpc/auth.whoami", headers: auth },
      rest: { service: server, path: "/api/v1/whoami", headers: auth },
      restUnpatched: { service: fromSource, path: "/api/v1/whoami", headers: auth },
      restStock: { service: stock, path: "/api/v1/whoami", headers: auth },
    };
    type Name = keyof typeof targets;
    const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, [] as Measured[]])) as Record<Name, Measured[]>;
    for (const target of Object.values(targets)) await load(target.service, target.path, target.headers, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, target] of Object.entries(targets)) runs[name as Name].push(await load(target.service, target.path, target.headers, ROUND_SECONDS));
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
    /** What the edge earns, round by round, over the same query served without one of its shortcuts. */
    const without = (ours: Name, other: Name, title: string): BenchResult => {
      const run = median(runs[other]);
      const ratios = runs[ours].map((mine, round) => mine.requestsPerSecond / (runs[other][round]?.requestsPerSecond ?? Number.NaN));
      return {
        name: title,
        value: `${Math.round(run.requestsPerSecond)} req/s (${share(run)} of bare); rounds ${rounds(runs[other])}`,
        comparison: `Scriptorium ÷ this, per round: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(" / ")}`,
        target: `≥ ${SHORTCUT_MARGIN}× in every round`,
        pass: ratios.every((ratio) => ratio >= SHORTCUT_MARGIN),
      };
    };
    return [
      ofBare("trpc", "tRPC small query (auth.whoami)"),
      ofBare("rest", "REST small query (GET /api/v1/whoami)"),
      without("trpc", "trpcStock", "tRPC small query, stock createHTTPHandler"),
      without("rest", "restStock", "REST small query, stock createOpenApiHttpHandler"),
      without("trpc", "trpcUnpatched", "tRPC small query, @trpc/server as published"),
      without("rest", "restUnpatched", "REST small query, @trpc/server as published"),
    ];
  } finally {
    await Promise.all([bare.stop(), server.stop(), fromSource.stop(), stock.stop()]);
  }
}
