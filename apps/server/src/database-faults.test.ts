import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { startPostgresServer, type PostgresServer } from "@scriptorium/db/testing";
import { ClusterClient, referenceManuscripts, waitUntil } from "./testing/cluster-client";
import { runWorker, start, startWorker, stop, type Started } from "./testing/processes";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type Worker = Omit<Started, "url">;

const KEY = "database-faults-owner-key-0123456789";
const DATABASE = "scriptorium";
/** Short, so a job whose worker lost the database moves on quickly if it cannot be handed back. */
const LEASE_SECONDS = 3;
const BOOK = { genre: "fantasy", target_words: 24_000, chapters: 8, scenes_per_chapter: 3 };
const cluster = new ClusterClient(KEY);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Distributed mode on a PostgreSQL server of this suite's own, which it
 * restarts and whose connections it cuts while jobs run: an API node and
 * two workers, separate processes with separate data directories.
 */
describe("a PostgreSQL restart or dropped connection under running jobs", { timeout: 300_000 }, () => {
  let server: PostgresServer;
  const dirs: string[] = [];
  let apiNode: Started;
  let workers: Worker[] = [];
  let reference: RunningTestServer;
  const env = () => {
    const dataDir = mkdtempSync(join(tmpdir(), "scriptorium-faults-"));
    dirs.push(dataDir);
    return {
      DATABASE_URL: server.url(DATABASE),
      SCRIPTORIUM_BOOTSTRAP_KEY: KEY,
      SCRIPTORIUM_JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      SCRIPTORIUM_DATA_DIR: dataDir,
      SCRIPTORIUM_DB_WAIT_SECONDS: "60",
      LOG_LEVEL: "info",
    };
  };

  /** Cuts every connection the Scriptorium processes hold (what a failover or a network blip does). */
  async function terminateBackends(): Promise<number> {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    try {
      const result = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [DATABASE]);
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    server = await startPostgresServer();
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query(`create database ${DATABASE}`);
    await admin.end();
    apiNode = await start({ ...env(), SCRIPTORIUM_WORKERS: "0" });
    workers = await Promise.all([startWorker({ ...env(), SCRIPTORIUM_WORKERS: "2" }), startWorker({ ...env(), SCRIPTORIUM_WORKERS: "2" })]);
    reference = await startTestServer("pglite");
  });
  afterAll(async () => {
    await Promise.all([apiNode, ...workers].filter(Boolean).map((process) => stop(process)));
    await reference?.stop();
    await server?.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("finishes every job into the same books, with every event once, through two restarts and cut connections", async () => {
    const books = Array.from({ length: 4 }, (_, index) => ({ ...BOOK, title: `Lantern ${index + 1}`, seed: 4_400 + index }));
    const projects: Project[] = [];
    for (const book of books) projects.push((await cluster.api<Project>(apiNode.url, "POST", "/v2/projects", book)).body);
    const followers = projects.map((project) => cluster.follow(apiNode.url, project.id));
    await pause(200);
    for (const project of projects) expect((await cluster.api(apiNode.url, "POST", `/v2/projects/${project.id}/generate`, {})).status).toBe(200);
    await cluster.jobStatus(apiNode.url, projects[0]?.id ?? "", (job) => (job.current_stage?.number ?? 0) >= 6, 120_000, "drafting");

    // A restart mid-job. While the server is down, the API answers 503 with Retry-After and says so at /readyz.
    await server.stop();
    const whileDown = await cluster.api<{ code: string; message: string }>(apiNode.url, "GET", `/v2/projects/${projects[1]?.id}/generate/status`);
    expect(whileDown.status).toBe(503);
    expect(whileDown.body.code).toBe("SERVICE_UNAVAILABLE");
    expect(whileDown.body.message).toMatch(/database cannot be reached/);
    expect(Number(whileDown.headers.get("retry-after"))).toBeGreaterThan(0);
    const ready = await fetch(`${apiNode.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).not.toBeNull();
    await pause(1_000);
    await server.start();

    // Connections cut at random moments, then a second restart.
    let cut = 0;
    for (let round = 0; round < 4; round += 1) {
      await pause(200 + Math.random() * 1_000);
      cut += await terminateBackends();
    }
    expect(cut).toBeGreaterThan(0);
    await pause(Math.random() * 1_000);
    await server.stop();
    await pause(500);
    await server.start();

    for (const project of projects) {
      await cluster.jobStatus(apiNode.url, project.id, (job) => job.status === "completed", 180_000, `${project.title} to complete`);
    }
    // No process died of it.
    for (const process of [apiNode, ...workers]) expect(process.child.exitCode, process.output().slice(-2_000)).toBeNull();
    expect(workers.map((worker) => worker.output()).join("")).toContain("lost the database mid-job");

    const expected = await referenceManuscripts(reference, books);
    for (const [index, project] of projects.entries()) {
      const events = await cluster.eventLog(apiNode.url, project.id);
      expect(events.map((event) => event.id)).toEqual(events.map((_, position) => position + 1));
      expect(await followers[index]).toEqual(events.map((event) => event.id));
      expect(events.filter((event) => event.type === "status_update" && event.data.status === "completed")).toHaveLength(1);
      expect(events.some((event) => event.type === "status_update" && event.data.status === "failed")).toBe(false);
      const manuscript = (await cluster.api<RouterOutputs["generation"]["manuscript"]>(apiNode.url, "GET", `/v2/projects/${project.id}/manuscript`)).body;
      expect(manuscript.chapters).toEqual(expected[index]?.chapters);
    }
  });

  it("has a worker started while PostgreSQL is down wait for it, then run jobs", async () => {
    await server.stop();
    const late = runWorker({ ...env(), SCRIPTORIUM_WORKERS: "1" });
    try {
      await waitUntil(async () => late.output(), (output) => output.includes("waiting for the database to answer"), 30_000, "the worker to wait");
      expect(late.child.exitCode).toBeNull();
      await server.start();
      await waitUntil(async () => late.output(), (output) => output.includes("worker is running"), 60_000, "the worker to start");
      for (const worker of workers) await stop(worker);
      workers = [];
      const project = (await cluster.api<Project>(apiNode.url, "POST", "/v2/projects", { ...BOOK, title: "Late Lantern", seed: 1 })).body;
      await cluster.api(apiNode.url, "POST", `/v2/projects/${project.id}/generate`, {});
      await cluster.jobStatus(apiNode.url, project.id, (job) => job.status === "completed", 120_000, "the late worker's job");
      expect(late.output()).toContain('"msg":"claimed a generation job"');
    } finally {
      late.child.kill("SIGTERM");
      await late.exited;
    }
  });
});
