import { performance } from "node:perf_hooks";
import { OWNER_KEY, type Service } from "./processes";

/** The value below which `fraction` of the sorted latencies lie. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/**
 * One client asking a small authenticated query (`GET /api/v1/whoami`) one
 * request at a time, `gapMs` apart, until `stop` settles: how long the
 * server's event loop keeps a request waiting while it works. Returns the
 * latencies it saw, sorted.
 */
export async function probe(service: Service, stop: Promise<unknown>, gapMs: number): Promise<number[]> {
  let stopped = false;
  void stop.then(
    () => (stopped = true),
    () => (stopped = true),
  );
  const latencies: number[] = [];
  while (!stopped) {
    const started = performance.now();
    const response = await fetch(`${service.url}/api/v1/whoami`, { headers: { "x-api-key": OWNER_KEY } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET /v1/whoami: ${response.status}`);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return latencies.sort((a, b) => a - b);
}
