import { rmSync } from "node:fs";
import { Agent } from "node:http";
import autocannon from "autocannon";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { OWNER_KEY, type Service } from "./processes";
import { subscribe, type Subscriber } from "./sse";

/**
 * Mixed load against one server: dashboard-like reads, collection refreshes
 * and generation starts from many connections at once, while SSE followers
 * watch every project's events. What must hold: no 5xx and no transport
 * error, every persisted event reaches its follower exactly once and in
 * order, and memory levels off instead of growing with the load.
 */

export interface MixedLoadOptions {
  connections: number;
  /** The load runs in this many equal phases, so memory can be read between them. */
  phases: number;
  phaseSeconds: number;
  collections: number;
  artifactsPerCollection: number;
  projects: number;
}

export interface MixedLoadOutcome {
  requests: number;
  requestsPerSecond: number;
  p99Ms: number;
  /** Answers by status code, over every phase. */
  statuses: Record<string, number>;
  serverErrors: number;
  transportErrors: number;
  timeouts: number;
  /** Generation jobs that ran to completion during the load. */
  jobsCompleted: number;
  events: { expected: number; received: number; missing: number; duplicated: number; outOfOrder: number };
  /** Server RSS (MiB): after set-up, at the end of each phase, and after a quiet period. */
  rss: { before: number; phases: number[]; settled: number };
}

const headers = { "x-api-key": OWNER_KEY, "content-type": "application/json" };

async function api<T>(service: Service, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${service.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

interface LoggedEvent {
  id: number;
  type: string;
  data: { status?: string };
}

/** Every persisted event of a project, in order. */
async function eventLog(service: Service, projectId: string): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await api<{ items: LoggedEvent[]; last_event_id: number }>(service, "GET", `/v2/projects/${projectId}/generate/events?after=${after}&limit=1000`);
    if (page.items.length === 0) return events;
    events.push(...page.items);
    after = page.last_event_id;
  }
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

export async function runMixedLoad(service: Service, options: MixedLoadOptions): Promise<MixedLoadOutcome> {
  const root = tempDir("mixed-load");
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const followers: Subscriber[] = [];
  try {
    const collectionIds: string[] = [];
    for (let c = 0; c < options.collections; c += 1) {
      const files: Record<string, string> = {};
      for (let a = 0; a < options.artifactsPerCollection; a += 1) {
        files[`c${c}/skills/skill-${a}/SKILL.md`] = skillFile({ title: `Skill ${c}.${a}`, description: `Load skill ${a}`, version: "1.0.0" });
      }
      writeFiles(root, files);
      const { id } = await api<{ id: string }>(service, "POST", "/v1/collections", { name: `Load ${c}` });
      await api(service, "POST", `/v1/collections/${id}/artifacts`, { source: `${root}/c${c}` });
      collectionIds.push(id);
    }
    const projectIds: string[] = [];
    for (let p = 0; p < options.projects; p += 1) {
      const brief = { title: `Load ${p}`, genre: "mystery", target_words: 3_000, chapters: 3, scenes_per_chapter: 2, seed: 1_000 + p };
      projectIds.push((await api<{ id: string }>(service, "POST", "/v2/projects", brief)).id);
    }
    // A tRPC `generation.events` subscriber per project, from the first event on, open for the whole load.
    for (const projectId of projectIds) {
      const input = encodeURIComponent(JSON.stringify({ project_id: projectId }));
      followers.push(subscribe(`${service.url}/trpc/generation.events?input=${input}`, agent, () => false));
    }

    // Eight reads for each refresh and each generation start, tRPC and REST;
    // a start while a job is active answers 409, one after it completed
    // starts a new run.
    const get = (path: string): autocannon.Request => ({ method: "GET", path });
    const post = (path: string, body: unknown): autocannon.Request => ({ method: "POST", path, body: JSON.stringify(body) });
    const mix = Array.from({ length: Math.max(collectionIds.length, projectIds.length) }, (_, index) => {
      const c = collectionIds[index % collectionIds.length] ?? "";
      const p = projectIds[index % projectIds.length] ?? "";
      return [
        get("/api/v1/collections"),
        get(`/api/v1/collections/${c}/artifacts?limit=50`),
        get(`/api/v1/collections/${c}`),
        get("/api/v2/projects"),
        get(`/api/v2/projects/${p}`),
        get(`/api/v2/projects/${p}/generate/status`),
        get(`/trpc/generation.stages?input=${encodeURIComponent(JSON.stringify({ id: p }))}`),
        get("/trpc/collections.list"),
        post(`/api/v1/collections/${c}/refresh`, { mode: "metadata" }),
        post(`/api/v2/projects/${p}/generate`, {}),
      ];
    }).flat();
    // autocannon walks a request list from the top on every connection; one
    // shared turn instead spreads the whole mix over all connections.
    let turn = 0;
    const requests: autocannon.Request[] = [{ setupRequest: (request) => ({ ...request, ...mix[turn++ % mix.length] }) }];

    const rss = { before: service.rssMiB(), phases: [] as number[], settled: 0 };
    const statuses: Record<string, number> = {};
    let total = 0;
    let errors = 0;
    let timeouts = 0;
    let seconds = 0;
    let p99Ms = 0;
    for (let phase = 0; phase < options.phases; phase += 1) {
      const result = await autocannon({ url: service.url, connections: options.connections, duration: options.phaseSeconds, headers, requests, timeout: 30 });
      for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = (statuses[code] ?? 0) + (stats.count ?? 0);
      total += result.requests.total;
      errors += result.errors;
      timeouts += result.timeouts;
      seconds += result.duration;
      p99Ms = Math.max(p99Ms, result.latency.p99);
      rss.phases.push(service.rssMiB());
    }

    // Let the last jobs finish, then compare what each follower saw with the persisted log.
    await until(async () => {
      const jobs = await Promise.all(projectIds.map((id) => fetch(`${service.url}/api/v2/projects/${id}/generate/status`, { headers })));
      const statuses = await Promise.all(jobs.map(async (job) => (job.status === 404 ? "none" : ((await job.json()) as { status: string }).status)));
      return statuses.every((status) => status !== "queued" && status !== "running");
    }, 60_000);
    const events = { expected: 0, received: 0, missing: 0, duplicated: 0, outOfOrder: 0 };
    let jobsCompleted = 0;
    for (const [index, projectId] of projectIds.entries()) {
      const log = await eventLog(service, projectId);
      const expected = log.map((event) => event.id);
      const follower = followers[index] as Subscriber;
      await until(() => follower.ids.length >= expected.length, 10_000);
      const received = new Set(follower.ids);
      events.expected += expected.length;
      events.received += follower.ids.length;
      events.missing += expected.filter((id) => !received.has(id)).length;
      events.duplicated += follower.ids.length - received.size;
      events.outOfOrder += follower.ids.filter((id, i) => i > 0 && id <= (follower.ids[i - 1] ?? 0)).length;
      jobsCompleted += log.filter((event) => event.type === "status_update" && event.data.status === "completed").length;
    }

    await new Promise((resolve) => setTimeout(resolve, 5_000));
    rss.settled = service.rssMiB();
    return {
      requests: total,
      requestsPerSecond: seconds > 0 ? total / seconds : 0,
      p99Ms,
      statuses,
      serverErrors: Object.entries(statuses)
        .filter(([code]) => code.startsWith("5"))
        .reduce((sum, [, count]) => sum + count, 0),
      transportErrors: errors,
      timeouts,
      jobsCompleted,
      events,
      rss,
    };
  } finally {
    for (const follower of followers) follower.close();
    agent.destroy();
    rmSync(root, { recursive: true, force: true });
  }
}
