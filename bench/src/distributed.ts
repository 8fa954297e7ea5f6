import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { createScratchPostgres } from "@scriptorium/db/testing";
import { OWNER_KEY, startScriptorium, startWorker, type Service } from "./processes";
import type { BenchResult } from "./report";

const headers = { "x-api-key": OWNER_KEY, "content-type": "application/json" };
const PROJECTS = 8;
const BOOK = { genre: "mystery", target_words: 15_000, chapters: 6, scenes_per_chapter: 3 };
const WORKER_COUNTS = [1, 2, 4] as const;
const CONNECTIONS = 32;
const SECONDS = 6;

async function call<T>(service: Service, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${service.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Eight 15 000-word offline projects started at once on one API node, run by `workers` single-slot worker processes: projects per minute. */
async function generationThroughput(workers: number): Promise<number> {
  const postgres = await createScratchPostgres();
  const api = await startScriptorium({ DATABASE_URL: postgres.url, SCRIPTORIUM_WORKERS: "0" });
  const started: Service[] = [];
  try {
    for (let index = 0; index < workers; index += 1) started.push(await startWorker(postgres.url, 1));
    const ids: string[] = [];
    for (let index = 0; index < PROJECTS; index += 1) ids.push((await call<{ id: string }>(api, "POST", "/v2/projects", { ...BOOK, title: `Bench ${index}`, seed: index })).id);
    const begin = performance.now();
    await Promise.all(ids.map((id) => call(api, "POST", `/v2/projects/${id}/generate`, {})));
    for (const id of ids) {
      for (;;) {
        const job = await call<{ status: string }>(api, "GET", `/v2/projects/${id}/generate/status`);
        if (job.status === "completed") break;
        if (job.status === "failed") throw new Error(`job of ${id} failed`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return PROJECTS / ((performance.now() - begin) / 60_000);
  } finally {
    await Promise.all([api, ...started].map((service) => service.stop()));
    await postgres.drop();
  }
}

/** Requests per second of `GET /api/v1/whoami` spread over the given API nodes (one load generator per node, connections split evenly). */
async function apiThroughput(nodes: Service[]): Promise<number> {
  const url = (node: Service) => `${node.url}/api/v1/whoami`;
  const run = (duration: number) =>
    Promise.all(nodes.map((node) => autocannon({ url: url(node), headers: { "x-api-key": OWNER_KEY }, connections: CONNECTIONS / nodes.length, duration })));
  await run(2);
  const results = await run(SECONDS);
  for (const result of results) if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return results.reduce((sum, result) => sum + result.requests.average, 0);
}

/**
 * Distributed mode on the machine's PostgreSQL: offline generation with 1,
 * 2 and 4 worker processes, and the small query with 1 and 2 API nodes. On
 * two cores the processes compete for the same CPUs, so this shows the
 * cost of coordination more than the gain of spreading out.
 */
export async function benchDistributed(): Promise<BenchResult[]> {
  const perMinute = new Map<number, number>();
  for (const workers of WORKER_COUNTS) perMinute.set(workers, await generationThroughput(workers));
  const format = (workers: number) => `${workers} worker${workers === 1 ? "" : "s"}: ${(perMinute.get(workers) ?? 0).toFixed(1)}/min`;

  const postgres = await createScratchPostgres();
  const first = await startScriptorium({ DATABASE_URL: postgres.url, SCRIPTORIUM_WORKERS: "0" });
  let oneNode = 0;
  let twoNodes = 0;
  try {
    oneNode = await apiThroughput([first]);
    const second = await startScriptorium({ DATABASE_URL: postgres.url, SCRIPTORIUM_WORKERS: "0" });
    try {
      twoNodes = await apiThroughput([first, second]);
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
    await postgres.drop();
  }
  return [
    {
      name: `distributed generation, ${PROJECTS} × ${BOOK.target_words.toLocaleString("en-US")} words, PostgreSQL`,
      value: WORKER_COUNTS.map(format).join("; "),
      comparison: `2 vs 1 worker: ${((perMinute.get(2) ?? 0) / (perMinute.get(1) ?? 1)).toFixed(2)}×; 4 vs 1: ${((perMinute.get(4) ?? 0) / (perMinute.get(1) ?? 1)).toFixed(2)}× (2 cores)`,
      target: "recorded (scaling on 2 cores)",
      pass: WORKER_COUNTS.every((workers) => (perMinute.get(workers) ?? 0) > 0),
    },
    {
      name: "distributed small query (GET /api/v1/whoami), PostgreSQL",
      value: `1 API node ${Math.round(oneNode)} req/s; 2 nodes ${Math.round(twoNodes)} req/s`,
      comparison: `2 vs 1 node: ${(twoNodes / oneNode).toFixed(2)}× (2 cores, load generator included)`,
      target: "recorded (scaling on 2 cores)",
      pass: oneNode > 0 && twoNodes > 0,
    },
  ];
}
