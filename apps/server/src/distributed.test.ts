import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptoriumClient, type RouterOutputs } from "@scriptorium/client";
import { createScratchPostgres } from "@scriptorium/db/testing";
import { ChatCompletionsServer, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { start, startWorker, stop, type Started } from "./testing/processes";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
type Manuscript = RouterOutputs["generation"]["manuscript"];
type GenerationEvent = RouterOutputs["generation"]["eventLog"]["items"][number];
type Worker = Omit<Started, "url">;

const KEY = "distributed-owner-key-0123456789abcdef";
/** Short, so a killed worker's job moves on quickly. */
const LEASE_SECONDS = 3;
const SMALL = { genre: "mystery", target_words: 6_000, chapters: 4, scenes_per_chapter: 3 };
const MEDIUM = { genre: "fantasy", target_words: 30_000, chapters: 10, scenes_per_chapter: 3 };

async function api<T>(url: string, method: string, path: string, body?: unknown, key = KEY): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}/api${path}`, {
    method,
    headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every event of a project, read back from the log page by page. */
async function eventLog(url: string, projectId: string): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for (;;) {
    const page = await api<{ items: GenerationEvent[] }>(url, "GET", `/v2/projects/${projectId}/generate/events?after=${events.at(-1)?.id ?? 0}`);
    events.push(...page.body.items);
    if (page.body.items.length === 0) return events;
  }
}

/**
 * Follows a project's events over tRPC SSE until its job completes and
 * resolves with the ids received. With `switchTo`, it disconnects after
 * `switchAfter` events and resumes on that other node from its last id.
 */
function follow(url: string, projectId: string, switchTo?: { url: string; after: number }): Promise<number[]> {
  const ids: number[] = [];
  return new Promise((resolve, reject) => {
    const subscribe = (nodeUrl: string, lastEventId: string | undefined) => {
      const client = createScriptoriumClient({ url: nodeUrl, apiKey: KEY });
      const subscription = client.generation.events.subscribe(
        { project_id: projectId, lastEventId },
        {
          onData: ({ id, data }) => {
            ids.push(data.id);
            if (data.type === "status_update" && data.data.status === "completed") {
              subscription.unsubscribe();
              resolve(ids);
            } else if (switchTo && nodeUrl !== switchTo.url && ids.length === switchTo.after) {
              subscription.unsubscribe();
              subscribe(switchTo.url, id);
            }
          },
          onError: reject,
        },
      );
    };
    subscribe(url, undefined);
  });
}

/** The manuscripts a single in-process server writes for the same projects: the reference for byte-identical output. */
async function referenceManuscripts(reference: RunningTestServer, books: Record<string, unknown>[]): Promise<Manuscript[]> {
  const manuscripts: Manuscript[] = [];
  for (const book of books) {
    const call = <T>(method: string, path: string, body?: unknown) => api<T>(reference.url, method, path, body, reference.ownerKey);
    const project = (await call<Project>("POST", "/v2/projects", book)).body;
    await call("POST", `/v2/projects/${project.id}/generate`, {});
    await waitUntil(() => call<JobStatus>("GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 120_000, "the reference run");
    manuscripts.push((await call<Manuscript>("GET", `/v2/projects/${project.id}/manuscript`)).body);
  }
  return manuscripts;
}

describe("distributed mode: two API nodes and two workers on one PostgreSQL", { timeout: 300_000 }, () => {
  let postgres: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let apiA: Started;
  let apiB: Started;
  let workers: Worker[] = [];
  let reference: RunningTestServer;
  let database: pg.Client;
  const env = () => ({ DATABASE_URL: postgres.url, SCRIPTORIUM_BOOTSTRAP_KEY: KEY, SCRIPTORIUM_JOB_LEASE_SECONDS: String(LEASE_SECONDS), SCRIPTORIUM_DATA_DIR: dataDir, LOG_LEVEL: "warn" });
  const addWorker = async () => {
    // At info level a worker logs each job it claims.
    const worker = await startWorker({ ...env(), SCRIPTORIUM_WORKERS: "2", LOG_LEVEL: "info" });
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    postgres = await createScratchPostgres();
    dataDir = mkdtempSync(join(tmpdir(), "scriptorium-distributed-"));
    // The first start migrates; the others find the schema in place.
    apiA = await start({ ...env(), SCRIPTORIUM_WORKERS: "0", SCRIPTORIUM_DASHBOARD: "off" });
    [apiB] = await Promise.all([start({ ...env(), SCRIPTORIUM_WORKERS: "0", SCRIPTORIUM_DASHBOARD: "off" }), addWorker(), addWorker()]);
    reference = await startTestServer("pglite");
    database = new pg.Client({ connectionString: postgres.url });
    await database.connect();
  });
  afterAll(async () => {
    await database?.end();
    await Promise.all([apiA, apiB, ...workers].filter(Boolean).map((process) => stop(process)));
    await reference?.stop();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("generates twenty projects at once, each exactly once, into the same books as a single process", async () => {
    const books = Array.from({ length: 20 }, (_, index) => ({ ...SMALL, title: `Ledger ${index + 1}`, seed: 5_000 + index }));
    const projects: Project[] = [];
    for (const book of books) projects.push((await api<Project>(apiA.url, "POST", "/v2/projects", book)).body);
    // A subscriber on node B, for a job that runs on some worker and is started through node A;
    // part-way it drops and resumes on node A from its last event id.
    const followed = follow(apiB.url, projects[0]?.id ?? "", { url: apiA.url, after: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(projects.map((project, index) => api((index % 2 === 0 ? apiA : apiB).url, "POST", `/v2/projects/${project.id}/generate`, {})));

    for (const project of projects) {
      await waitUntil(() => api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 180_000, `${project.title} to complete`);
    }
    const expected = await referenceManuscripts(reference, books);
    for (const [index, project] of projects.entries()) {
      const events = await eventLog(apiB.url, project.id);
      expect(events.map((event) => event.id)).toEqual(events.map((_, position) => position + 1));
      // Claimed once, run once: one start and one completion of every stage, one completed job.
      expect(events.filter((event) => event.type === "status_update" && event.data.status === "running")).toHaveLength(1);
      expect(events.filter((event) => event.type === "stage_started").map((event) => event.data.stage)).toEqual(Array.from({ length: 12 }, (_, stage) => stage + 1));
      expect(events.filter((event) => event.type === "status_update" && event.data.status === "completed")).toHaveLength(1);
      const manuscript = (await api<Manuscript>(apiB.url, "GET", `/v2/projects/${project.id}/manuscript`)).body;
      expect(manuscript.chapters).toEqual(expected[index]?.chapters);
    }
    const seen = await followed;
    expect(seen).toEqual((await eventLog(apiA.url, projects[0]?.id ?? "")).map((event) => event.id));
    // Both workers took part.
    for (const worker of workers) expect(worker.output()).toContain('"msg":"claimed a generation job"');
  });

  it("pauses on node A a job running on a worker within two seconds, and resumes it through node B", async () => {
    const project = (await api<Project>(apiA.url, "POST", "/v2/projects", { ...MEDIUM, title: "The Far Shore", seed: 77 })).body;
    await api(apiB.url, "POST", `/v2/projects/${project.id}/generate`, {});
    await waitUntil(() => api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => (job.body.current_stage?.number ?? 0) >= 6, 60_000, "drafting");
    const asked = Date.now();
    expect((await api(apiA.url, "POST", `/v2/projects/${project.id}/generate/pause`)).status).toBe(200);
    await waitUntil(() => api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "paused", 2_000, "the pause");
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect((await api(apiB.url, "POST", `/v2/projects/${project.id}/generate/resume`)).status).toBe(200);
    await waitUntil(() => api<JobStatus>(apiB.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 120_000, "completion");
  });

  it("aborts a worker's in-flight LLM call when node A pauses the job", async () => {
    const llm = new ChatCompletionsServer();
    const baseUrl = await llm.start();
    try {
      llm.reply({ status: 200, hang: true });
      const writer = { provider: "openai-compatible", model: "test-model", base_url: baseUrl };
      const project = (await api<Project>(apiA.url, "POST", "/v2/projects", { ...SMALL, title: "The Open Line", seed: 1, writer })).body;
      await api(apiB.url, "POST", `/v2/projects/${project.id}/generate`, {});
      await waitUntil(async () => llm.requests.length, (count) => count === 1, 30_000, "the worker's LLM call");
      const asked = Date.now();
      await api(apiA.url, "POST", `/v2/projects/${project.id}/generate/pause`);
      // The call never answers: only an abort, sent across processes, lets the job reach "paused".
      await waitUntil(() => api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "paused", 2_000, "the pause");
      expect(Date.now() - asked).toBeLessThan(2_000);
      expect((await api(apiB.url, "POST", `/v2/projects/${project.id}/generate/cancel`)).status).toBe(200);
    } finally {
      await llm.stop();
    }
  });

  it("runs two nodes' refreshes of one collection one after the other", async () => {
    const folder = tempDir("scriptorium-distributed-skills-");
    try {
      const skills = (description: string) =>
        Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`skill-${index}/SKILL.md`, skillFile({ title: `Skill ${index}`, description })]));
      writeFiles(folder, skills("before"));
      const collection = (await api<{ id: string }>(apiA.url, "POST", "/v1/collections", { name: "Shared" })).body;
      expect((await api(apiA.url, "POST", `/v1/collections/${collection.id}/artifacts`, { source: folder })).status).toBe(200);
      writeFiles(folder, skills("after"));
      type Refresh = { result: { refreshed_count: number; unchanged_count: number } };
      const [fromA, fromB] = await Promise.all([apiA, apiB].map((node) => api<Refresh>(node.url, "POST", `/v1/collections/${collection.id}/refresh`, { mode: "metadata" })));
      // One refresh applied all 300 changes; the other, run after it, found nothing left to do.
      expect([fromA?.body.result.refreshed_count, fromB?.body.result.refreshed_count].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([0, 300]);
      expect([fromA?.body.result.unchanged_count, fromB?.body.result.unchanged_count].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([0, 300]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("finishes every job when workers are killed mid-job three times, without gaps in any subscriber's events", async () => {
    const books = Array.from({ length: 4 }, (_, index) => ({ ...MEDIUM, title: `Tide ${index + 1}`, seed: 9_000 + index }));
    const projects: Project[] = [];
    for (const book of books) projects.push((await api<Project>(apiA.url, "POST", "/v2/projects", book)).body);
    const followers = projects.map((project, index) => follow(index % 2 === 0 ? apiA.url : apiB.url, project.id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const project of projects) await api(apiA.url, "POST", `/v2/projects/${project.id}/generate`, {});

    for (let kill = 0; kill < 3; kill += 1) {
      // A worker that holds a running job, at a random moment of its run.
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1_200));
      const running = await waitUntil(
        () => database.query<{ owner: string }>("select split_part(lease_owner, '/', 2) as owner from generation_jobs where status = 'running' and lease_expires_at > now()"),
        (result) => result.rows.some((row) => workers.some((worker) => worker.child.pid === Number(row.owner))),
        60_000,
        "a running job",
      );
      const victim = workers.find((worker) => running.rows.some((row) => Number(row.owner) === worker.child.pid));
      if (!victim) throw new Error("no live worker holds a job");
      victim.child.kill("SIGKILL");
      await victim.exited;
      workers = workers.filter((worker) => worker !== victim);
      await addWorker();
    }

    for (const project of projects) {
      await waitUntil(() => api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 180_000, `${project.title} to complete`);
    }
    const expected = await referenceManuscripts(reference, books);
    for (const [index, project] of projects.entries()) {
      const events = await eventLog(apiA.url, project.id);
      expect(events.map((event) => event.id)).toEqual(events.map((_, position) => position + 1));
      expect(await followers[index]).toEqual(events.map((event) => event.id));
      // A stage starts again only after a new claim took the job over: never two runs of one stage at once.
      let claims = 0;
      const startedUnderClaim = new Map<unknown, number>();
      for (const event of events) {
        if (event.type === "status_update" && event.data.status === "running") claims += 1;
        if (event.type === "stage_started") {
          expect(startedUnderClaim.get(event.data.stage), `stage ${String(event.data.stage)} started twice under one claim`).not.toBe(claims);
          startedUnderClaim.set(event.data.stage, claims);
        }
      }
      const manuscript = (await api<Manuscript>(apiB.url, "GET", `/v2/projects/${project.id}/manuscript`)).body;
      expect(manuscript.chapters).toEqual(expected[index]?.chapters);
    }
  });
});
