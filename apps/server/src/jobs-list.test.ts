import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { start, stop, type Started } from "./testing/processes";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
type JobList = RouterOutputs["generation"]["jobs"];
type JobSummary = JobList["items"][number];
type EventLog = RouterOutputs["generation"]["jobEvents"];
type Manuscript = RouterOutputs["generation"]["manuscript"];

const SMALL_BOOK = { title: "The Quiet Ferry", genre: "mystery", target_words: 6_000, chapters: 4, scenes_per_chapter: 3, seed: 2_718 };
const MEDIUM_BOOK = { ...SMALL_BOOK, title: "The Long Ferry", target_words: 30_000, chapters: 10 };

async function call<T>(url: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}/api${path}`, {
    method,
    headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function waitForJob(url: string, key: string, projectId: string, done: (job: JobStatus) => boolean, timeoutMs = 60_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await call<JobStatus>(url, key, "GET", `/v2/projects/${projectId}/generate/status`)).body;
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status} at stage ${job.current_stage?.number}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Milliseconds between two ISO times. */
function between(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

describe("the runs of a project: every job, its attempts and its events", () => {
  let server: RunningTestServer;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => call<T>(server.url, server.ownerKey, method, path, body);
  const waitFor = (projectId: string, done: (job: JobStatus) => boolean) => waitForJob(server.url, server.ownerKey, projectId, done);
  const createProject = async (fields: Record<string, unknown>) => (await api<Project>("POST", "/v2/projects", fields)).body;
  const runToEnd = async (projectId: string, path: string) => {
    const started = await api<JobStatus>("POST", `/v2/projects/${projectId}${path}`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    return waitFor(projectId, (job) => job.job_id === started.body.job_id && job.status === "completed");
  };

  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(() => server.stop());

  it("lists every job newest first, a page at a time, with kind, times, words, tokens and attempts", async () => {
    const project = await createProject(SMALL_BOOK);
    expect((await api<JobList>("GET", `/v2/projects/${project.id}/jobs`)).body).toEqual({ items: [], next_cursor: null });

    const full = await runToEnd(project.id, "/generate");
    const stage9 = await runToEnd(project.id, "/generate/stages/9");
    const stage10 = await runToEnd(project.id, "/generate/stages/10");
    const last = await runToEnd(project.id, "/generate");
    const words = (await api<Manuscript>("GET", `/v2/projects/${project.id}/manuscript`)).body.words;

    const pages: JobSummary[][] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: JobList } = await api<JobList>("GET", `/v2/projects/${project.id}/jobs?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([3, 1]);
    const jobs = pages.flat();
    expect(jobs.map((job) => job.job_id)).toEqual([last.job_id, stage10.job_id, stage9.job_id, full.job_id]);
    expect(jobs.map((job) => [job.kind, job.only_stage, job.status])).toEqual([
      ["full", null, "completed"],
      ["stage", 10, "completed"],
      ["stage", 9, "completed"],
      ["full", null, "completed"],
    ]);
    const newest = jobs[0] as JobSummary;
    expect(newest).toMatchObject({ created_at: last.created_at, started_at: last.started_at, finished_at: last.finished_at, words, tokens: 0, cost_usd: 0, error: null });
    for (const job of jobs) {
      expect(job.attempts).toHaveLength(1);
      const [attempt] = job.attempts;
      expect(attempt).toMatchObject({ claim: 1, outcome: "completed" });
      expect(attempt?.worker_id).toMatch(/\/\d+\//);
      expect(job.duration_ms).toBe(between(attempt?.started_at ?? "", attempt?.ended_at ?? ""));
      expect(job.words).toBeGreaterThan(0);
    }
    // A cursor from another list is refused.
    const other = await createProject({ ...SMALL_BOOK, title: "Another ferry" });
    const projectsCursor = (await api<{ next_cursor: string | null }>("GET", "/v2/projects?limit=1")).body.next_cursor ?? "";
    const refused = await api<{ fields: { path: string }[] }>("GET", `/v2/projects/${project.id}/jobs?cursor=${encodeURIComponent(projectsCursor)}`);
    expect(refused.status).toBe(422);
    expect(refused.body.fields.map((field) => field.path)).toEqual(["cursor"]);

    // One job: the latest reads as the status does, with its kind; an earlier one as it left its stages.
    const latest = await api<JobStatus>("GET", `/v2/projects/${project.id}/jobs/${last.job_id}`);
    const { last_event_id: _ignored, ...status } = (await api<JobStatus>("GET", `/v2/projects/${project.id}/generate/status`)).body;
    expect(latest.body).toMatchObject({ ...status, kind: "full" });
    const earlier = (await api<JobStatus>("GET", `/v2/projects/${project.id}/jobs/${stage9.job_id}`)).body;
    expect(earlier).toMatchObject({ job_id: stage9.job_id, kind: "stage", only_stage: 9, status: "completed", progress: 1 });
    expect(earlier.stages.map((stage) => stage.status)).toEqual([...Array(8).fill("skipped"), "completed", ...Array(3).fill("skipped")]);
    const first = (await api<JobStatus>("GET", `/v2/projects/${project.id}/jobs/${full.job_id}`)).body;
    expect(first.stages.map((stage) => stage.status)).toEqual(Array(12).fill("completed"));
    expect(first.stages.map((stage) => stage.duration_ms)).toEqual(full.stages.map((stage) => stage.duration_ms));

    // Its events, and only its, paged with `after`.
    const events = (await api<EventLog>("GET", `/v2/projects/${project.id}/jobs/${stage9.job_id}/events`)).body;
    expect(events.items.length).toBeGreaterThan(3);
    expect(events.items.every((event) => event.job_id === stage9.job_id)).toBe(true);
    expect(events.items.filter((event) => event.type === "stage_started").map((event) => event.data.stage)).toEqual([9]);
    const firstTwo = (await api<EventLog>("GET", `/v2/projects/${project.id}/jobs/${stage9.job_id}/events?limit=2`)).body;
    const rest = (await api<EventLog>("GET", `/v2/projects/${project.id}/jobs/${stage9.job_id}/events?after=${firstTwo.last_event_id}`)).body;
    expect([...firstTwo.items, ...rest.items]).toEqual(events.items);

    // Jobs of other projects, or none at all, are not found here.
    expect((await api("GET", `/v2/projects/${other.id}/jobs/${full.job_id}`)).status).toBe(404);
    expect((await api("GET", `/v2/projects/${other.id}/jobs/${full.job_id}/events`)).status).toBe(404);
    expect((await api("GET", `/v2/projects/${project.id}/jobs/no-such-job`)).status).toBe(404);
  });

  it("lists a rewrite as kind rewrite, claimed and recorded like any job", async () => {
    const project = await createProject(SMALL_BOOK);
    const full = await runToEnd(project.id, "/generate");
    const queued = await api<JobStatus>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 2, instruction: "Let the fog lift." });
    expect(queued.status, JSON.stringify(queued.body)).toBe(200);
    expect(queued.body.kind).toBe("rewrite");
    const rewritten = await waitFor(project.id, (job) => job.job_id === queued.body.job_id && job.status === "completed");
    const words = (await api<Manuscript>("GET", `/v2/projects/${project.id}/manuscript`)).body.words;

    const [rewrite, first] = (await api<JobList>("GET", `/v2/projects/${project.id}/jobs`)).body.items;
    expect([rewrite?.job_id, first?.job_id]).toEqual([rewritten.job_id, full.job_id]);
    expect(rewrite).toMatchObject({ kind: "rewrite", only_stage: null, force: false, status: "completed", words, error: null });
    expect(rewrite?.rewrite).toEqual({ chapter: 2, scene: null, from: "draft", instruction: "Let the fog lift.", scenes: expect.any(Array) });
    expect(rewrite?.rewrite?.scenes.length).toBeGreaterThan(0);
    expect(first?.rewrite).toBeNull();
    expect(rewrite?.attempts.map((attempt) => [attempt.claim, attempt.outcome])).toEqual([[1, "completed"]]);
    expect(rewrite?.duration_ms).toBe(between(rewrite?.attempts[0]?.started_at ?? "", rewrite?.attempts[0]?.ended_at ?? ""));

    // Once another job has run, the rewrite reads as it left its stages: 6–12, and nothing before.
    await runToEnd(project.id, "/generate/stages/12");
    const earlier = (await api<JobStatus>("GET", `/v2/projects/${project.id}/jobs/${rewritten.job_id}`)).body;
    expect(earlier).toMatchObject({ job_id: rewritten.job_id, kind: "rewrite", status: "completed", progress: 1, words });
    expect(earlier.stages.map((stage) => stage.status)).toEqual([...Array(5).fill("skipped"), ...Array(7).fill("completed")]);
  });

  it("records a pause and its resume as two attempts, and counts only the time worked", async () => {
    const project = await createProject(MEDIUM_BOOK);
    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.stages[5]?.status === "running");
    await api("POST", `/v2/projects/${project.id}/generate/pause`);
    await waitFor(project.id, (job) => job.status === "paused");
    const paused = (await api<JobList>("GET", `/v2/projects/${project.id}/jobs`)).body.items[0] as JobSummary;
    expect(paused).toMatchObject({ job_id: started.body.job_id, status: "paused" });
    expect(paused.attempts.map((attempt) => [attempt.claim, attempt.outcome])).toEqual([[1, "paused"]]);
    expect(paused.words).toBe((await api<JobStatus>("GET", `/v2/projects/${project.id}/generate/status`)).body.words);

    // Time passes while it is paused.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await api("POST", `/v2/projects/${project.id}/generate/resume`);
    const done = await waitFor(project.id, (job) => job.status === "completed");
    const job = (await api<JobList>("GET", `/v2/projects/${project.id}/jobs`)).body.items[0] as JobSummary;
    expect(job.attempts.map((attempt) => [attempt.claim, attempt.outcome])).toEqual([
      [1, "paused"],
      [2, "completed"],
    ]);
    const [first, second] = job.attempts;
    expect(second?.worker_id).toBe(first?.worker_id);
    expect(Date.parse(second?.started_at ?? "")).toBeGreaterThanOrEqual(Date.parse(first?.ended_at ?? "") + 300);
    expect(job.duration_ms).toBe(between(first?.started_at ?? "", first?.ended_at ?? "") + between(second?.started_at ?? "", second?.ended_at ?? ""));
    expect(job.duration_ms).toBeLessThan(between(done.started_at ?? "", done.finished_at ?? ""));
    // The control events belong to the job too.
    const events = (await api<EventLog>("GET", `/v2/projects/${project.id}/jobs/${job.job_id}/events`)).body.items;
    expect(events.some((event) => event.type === "log" && String(event.data.message).startsWith("Pause requested"))).toBe(true);
    expect(events.filter((event) => event.type === "status_update").map((event) => event.data.status)).toEqual(["queued", "running", "paused", "queued", "running", "completed"]);
  });

  it("records a cancel", async () => {
    const project = await createProject(MEDIUM_BOOK);
    await api("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.stages[5]?.status === "running");
    await api("POST", `/v2/projects/${project.id}/generate/cancel`);
    await waitFor(project.id, (job) => job.status === "cancelled");
    const job = (await api<JobList>("GET", `/v2/projects/${project.id}/jobs`)).body.items[0] as JobSummary;
    expect(job).toMatchObject({ status: "cancelled", kind: "full" });
    expect(job.attempts.map((attempt) => attempt.outcome)).toEqual(["cancelled"]);
  });
});

const KEY = "jobs-list-owner-key-0123456789abcdef";
/** Large enough that drafting and revising span many checkpoints. */
const LONG_BOOK = { title: "Harbour of Hours", genre: "fantasy", target_words: 30_000, chapters: 10, scenes_per_chapter: 3, seed: 31_337 };

describe("the attempts of a job that changed workers", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("records a hand-back at shutdown and a takeover after a crash, each by its own worker", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scriptorium-jobs-"));
    dirs.push(dir);
    const env = { SCRIPTORIUM_DATA_DIR: dir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY };
    const servers: Started[] = [];
    const launch = async () => {
      const started = await start(env);
      servers.push(started);
      return started;
    };
    try {
      const first = await launch();
      const project = (await call<Project>(first.url, KEY, "POST", "/v2/projects", LONG_BOOK)).body;
      await call(first.url, KEY, "POST", `/v2/projects/${project.id}/generate`, {});
      await waitForJob(first.url, KEY, project.id, (job) => (job.current_stage?.number ?? 0) >= 6);
      // A clean stop hands the job back.
      await stop(first);

      const second = await launch();
      await waitForJob(second.url, KEY, project.id, (job) => (job.current_stage?.number ?? 0) >= 7);
      // A crash leaves the claim open until another worker takes the job over.
      second.child.kill("SIGKILL");
      await second.exited;

      const third = await launch();
      await waitForJob(third.url, KEY, project.id, (job) => job.status === "completed" || job.status === "failed", 120_000);
      const [job] = (await call<JobList>(third.url, KEY, "GET", `/v2/projects/${project.id}/jobs`)).body.items;
      expect(job?.status).toBe("completed");
      const attempts = job?.attempts ?? [];
      expect(attempts.map((attempt) => [attempt.claim, attempt.outcome])).toEqual([
        [1, "handed_back"],
        [2, "taken_over"],
        [3, "completed"],
      ]);
      // Each attempt is another process's: the worker id carries its PID.
      const pids = attempts.map((attempt) => Number(attempt.worker_id.split("/")[1]));
      expect(pids).toEqual(servers.map((server) => server.child.pid));
      expect(attempts.every((attempt) => attempt.ended_at !== null)).toBe(true);
      // The crashed worker's attempt ends when the next one takes over.
      expect(attempts[1]?.ended_at).toBe(attempts[2]?.started_at);
    } finally {
      for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) await stop(server);
    }
  }, 240_000);
});
