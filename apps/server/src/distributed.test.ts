import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { createScratchPostgres } from "@scriptorium/db/testing";
import { ChatCompletionsServer, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { ClusterClient, referenceManuscripts, waitUntil } from "./testing/cluster-client";
import { start, startWorker, stop, type Started } from "./testing/processes";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
type Manuscript = RouterOutputs["generation"]["manuscript"];
type Worker = Omit<Started, "url">;

const KEY = "distributed-owner-key-0123456789abcdef";
/** Short, so a killed worker's job moves on quickly. */
const LEASE_SECONDS = 3;
const SMALL = { genre: "mystery", target_words: 6_000, chapters: 4, scenes_per_chapter: 3 };
const MEDIUM = { genre: "fantasy", target_words: 30_000, chapters: 10, scenes_per_chapter: 3 };
const cluster = new ClusterClient(KEY);

describe("distributed mode: two API nodes and two workers on one PostgreSQL", { timeout: 300_000 }, () => {
  let postgres: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let apiA: Started;
  let apiB: Started;
  let workers: Worker[] = [];
  let reference: RunningTestServer;
  let database: pg.Client;
  // Every process has a data directory of its own: nodes share nothing but the database.
  const env = () => ({
    DATABASE_URL: postgres.url,
    SCRIPTORIUM_BOOTSTRAP_KEY: KEY,
    SCRIPTORIUM_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
    SCRIPTORIUM_DATA_DIR: mkdtempSync(join(dataDir, "node-")),
    LOG_LEVEL: "warn",
  });
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
    for (const book of books) projects.push((await cluster.api<Project>(apiA.url, "POST", "/v2/projects", book)).body);
    // A subscriber on node B, for a job that runs on some worker and is started through node A;
    // part-way it drops and resumes on node A from its last event id.
    const followed = cluster.follow(apiB.url, projects[0]?.id ?? "", { url: apiA.url, after: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await Promise.all(projects.map((project, index) => cluster.api((index % 2 === 0 ? apiA : apiB).url, "POST", `/v2/projects/${project.id}/generate`, {})));

    for (const project of projects) {
      await waitUntil(() => cluster.api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 180_000, `${project.title} to complete`);
    }
    const expected = await referenceManuscripts(reference, books);
    for (const [index, project] of projects.entries()) {
      const events = await cluster.eventLog(apiB.url, project.id);
      expect(events.map((event) => event.id)).toEqual(events.map((_, position) => position + 1));
      // Claimed once, run once: one start and one completion of every stage, one completed job.
      expect(events.filter((event) => event.type === "status_update" && event.data.status === "running")).toHaveLength(1);
      expect(events.filter((event) => event.type === "stage_started").map((event) => event.data.stage)).toEqual(Array.from({ length: 12 }, (_, stage) => stage + 1));
      expect(events.filter((event) => event.type === "status_update" && event.data.status === "completed")).toHaveLength(1);
      const manuscript = (await cluster.api<Manuscript>(apiB.url, "GET", `/v2/projects/${project.id}/manuscript`)).body;
      expect(manuscript.chapters).toEqual(expected[index]?.chapters);
    }
    const seen = await followed;
    expect(seen).toEqual((await cluster.eventLog(apiA.url, projects[0]?.id ?? "")).map((event) => event.id));
    // Both workers took part.
    for (const worker of workers) expect(worker.output()).toContain('"msg":"claimed a generation job"');
  });

  it("pauses on node A a job running on a worker within two seconds, and resumes it through node B", async () => {
    const project = (await cluster.api<Project>(apiA.url, "POST", "/v2/projects", { ...MEDIUM, title: "The Far Shore", seed: 77 })).body;
    await cluster.api(apiB.url, "POST", `/v2/projects/${project.id}/generate`, {});
    await waitUntil(() => cluster.api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => (job.body.current_stage?.number ?? 0) >= 6, 60_000, "drafting");
    const asked = Date.now();
    expect((await cluster.api(apiA.url, "POST", `/v2/projects/${project.id}/generate/pause`)).status).toBe(200);
    await waitUntil(() => cluster.api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "paused", 2_000, "the pause");
    expect(Date.now() - asked).toBeLessThan(2_000);
    expect((await cluster.api(apiB.url, "POST", `/v2/projects/${project.id}/generate/resume`)).status).toBe(200);
    await waitUntil(() => cluster.api<JobStatus>(apiB.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 120_000, "completion");
  });

  it("aborts a worker's in-flight LLM call when node A pauses the job", async () => {
    const llm = new ChatCompletionsServer();
    const baseUrl = await llm.start();
    try {
      llm.reply({ status: 200, hang: true });
      const writer = { provider: "openai-compatible", model: "test-model", base_url: baseUrl };
      const project = (await cluster.api<Project>(apiA.url, "POST", "/v2/projects", { ...SMALL, title: "The Open Line", seed: 1, writer })).body;
      await cluster.api(apiB.url, "POST", `/v2/projects/${project.id}/generate`, {});
      await waitUntil(async () => llm.requests.length, (count) => count === 1, 30_000, "the worker's LLM call");
      const asked = Date.now();
      await cluster.api(apiA.url, "POST", `/v2/projects/${project.id}/generate/pause`);
      // The call never answers: only an abort, sent across processes, lets the job reach "paused".
      await waitUntil(() => cluster.api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "paused", 2_000, "the pause");
      expect(Date.now() - asked).toBeLessThan(2_000);
      expect((await cluster.api(apiB.url, "POST", `/v2/projects/${project.id}/generate/cancel`)).status).toBe(200);
    } finally {
      await llm.stop();
    }
  });

  it("serves an export built through node A from node B, and keeps artifact contents in the database: no shared volume", async () => {
    const project = (await cluster.api<Project>(apiA.url, "POST", "/v2/projects", { ...SMALL, title: "Two Shores", seed: 12 })).body;
    await cluster.api(apiA.url, "POST", `/v2/projects/${project.id}/generate`, {});
    await waitUntil(() => cluster.api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 120_000, "generation");
    const built = await cluster.api<{ items: { format: string; sha256: string }[] }>(apiA.url, "POST", `/v2/projects/${project.id}/export`, { formats: ["pdf", "epub"] });
    for (const { format, sha256 } of built.body.items) {
      const download = async (url: string) => {
        const response = await fetch(`${url}/api/v2/projects/${project.id}/export/${format}`, { headers: { "x-api-key": KEY } });
        expect(response.status, format).toBe(200);
        expect(response.headers.get("etag")).toBe(`"${sha256}"`);
        return Buffer.from(await response.arrayBuffer());
      };
      const fromB = await download(apiB.url);
      expect(createHash("sha256").update(fromB).digest("hex")).toBe(sha256);
      expect(fromB.equals(await download(apiA.url))).toBe(true);
    }
    // Artifact contents go to the database too, each once however many artifacts hold it.
    const folder = tempDir("scriptorium-distributed-contents-");
    try {
      writeFiles(folder, { "lamp/SKILL.md": skillFile({ title: "Lamp", description: "Lights" }), "lamp/notes.md": "Same text\n", "torch/SKILL.md": skillFile({ title: "Torch", description: "Lights" }), "torch/notes.md": "Same text\n" });
      const collection = (await cluster.api<{ id: string }>(apiA.url, "POST", "/v1/collections", { name: "Lights" })).body;
      const added = await cluster.api<{ items: { files: { sha256: string }[] }[] }>(apiA.url, "POST", `/v1/collections/${collection.id}/artifacts`, { source: folder });
      const hashes = [...new Set(added.body.items.flatMap((artifact) => artifact.files.map((file) => file.sha256)))];
      const stored = await database.query<{ sha256: string; size_bytes: string }>("select sha256, size_bytes from stored_files where sha256 = any($1)", [hashes]);
      expect(stored.rows.map((row) => row.sha256).sort()).toEqual([...hashes].sort());
      expect(hashes).toHaveLength(3);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("runs two nodes' refreshes of one collection one after the other", async () => {
    const folder = tempDir("scriptorium-distributed-skills-");
    try {
      const skills = (description: string) =>
        Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`skill-${index}/SKILL.md`, skillFile({ title: `Skill ${index}`, description })]));
      writeFiles(folder, skills("before"));
      const collection = (await cluster.api<{ id: string }>(apiA.url, "POST", "/v1/collections", { name: "Shared" })).body;
      expect((await cluster.api(apiA.url, "POST", `/v1/collections/${collection.id}/artifacts`, { source: folder })).status).toBe(200);
      writeFiles(folder, skills("after"));
      type Refresh = { result: { refreshed_count: number; unchanged_count: number } };
      const [fromA, fromB] = await Promise.all([apiA, apiB].map((node) => cluster.api<Refresh>(node.url, "POST", `/v1/collections/${collection.id}/refresh`, { mode: "metadata" })));
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
    for (const book of books) projects.push((await cluster.api<Project>(apiA.url, "POST", "/v2/projects", book)).body);
    const followers = projects.map((project, index) => cluster.follow(index % 2 === 0 ? apiA.url : apiB.url, project.id));
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const project of projects) await cluster.api(apiA.url, "POST", `/v2/projects/${project.id}/generate`, {});

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
      await waitUntil(() => cluster.api<JobStatus>(apiA.url, "GET", `/v2/projects/${project.id}/generate/status`), (job) => job.body.status === "completed", 180_000, `${project.title} to complete`);
    }
    const expected = await referenceManuscripts(reference, books);
    for (const [index, project] of projects.entries()) {
      const events = await cluster.eventLog(apiA.url, project.id);
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
      const manuscript = (await cluster.api<Manuscript>(apiB.url, "GET", `/v2/projects/${project.id}/manuscript`)).body;
      expect(manuscript.chapters).toEqual(expected[index]?.chapters);
    }
  });
});
