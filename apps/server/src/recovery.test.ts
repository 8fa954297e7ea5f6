import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { start, stop, type Started } from "./testing/processes";

type JobStatus = RouterOutputs["generation"]["status"];

const KEY = "recovery-test-owner-key-0123456789";
/** Large enough that drafting (stage 6) spans many checkpoints. */
const BOOK = { title: "Harbour of Clocks", genre: "fantasy", target_words: 30_000, chapters: 10, scenes_per_chapter: 3, seed: 90_210 };
/** Two servers start and write a book each: generous on a busy two-core machine. */
const TIMEOUT_MS = 180_000;

async function call<T>(server: Started, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "x-api-key": KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function waitFor(server: Started, projectId: string, done: (job: JobStatus) => boolean, timeoutMs = 60_000): Promise<JobStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await call<JobStatus>(server, "GET", `/v2/projects/${projectId}/generate/status`);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const manuscriptText = async (server: Started, projectId: string) =>
  JSON.stringify((await call<RouterOutputs["generation"]["manuscript"]>(server, "GET", `/v2/projects/${projectId}/manuscript`)).chapters);

describe("a server killed mid-job", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "scriptorium-recovery-"));
    dirs.push(dir);
    return dir;
  };
  let reference: string;

  beforeAll(async () => {
    const server = await start({ SCRIPTORIUM_DATA_DIR: dataDir(), SCRIPTORIUM_BOOTSTRAP_KEY: KEY });
    try {
      const project = await call<{ id: string }>(server, "POST", "/v2/projects", BOOK);
      await call(server, "POST", `/v2/projects/${project.id}/generate`, {});
      await waitFor(server, project.id, (job) => job.status === "completed");
      reference = await manuscriptText(server, project.id);
    } finally {
      await stop(server);
    }
  }, TIMEOUT_MS);
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("continues by itself after SIGKILL during drafting and writes the same book", async () => {
    const dir = dataDir();
    const first = await start({ SCRIPTORIUM_DATA_DIR: dir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY });
    const project = await call<{ id: string }>(first, "POST", "/v2/projects", BOOK);
    await call(first, "POST", `/v2/projects/${project.id}/generate`, {});
    const killedAt = await waitFor(first, project.id, (job) => job.current_stage?.number === 6 && (job.stages[5]?.progress ?? 0) >= 0.2);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(killedAt.stages[5]?.progress).toBeLessThan(1);

    const second = await start({ SCRIPTORIUM_DATA_DIR: dir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY });
    try {
      // Nobody asks it to continue: the restarted server does so on its own.
      const done = await waitFor(second, project.id, (job) => job.status === "completed" || job.status === "failed");
      expect(done.status).toBe("completed");
      expect(await manuscriptText(second, project.id)).toBe(reference);
      const events = await call<{ items: { id: number; type: string; data: { message?: string } }[] }>(second, "GET", `/v2/projects/${project.id}/generate/events`);
      expect(events.items.map((event) => event.id)).toEqual(events.items.map((_, index) => index + 1));
      expect(events.items.some((event) => event.data.message === "Continuing from the last checkpoint.")).toBe(true);
    } finally {
      await stop(second);
    }
  }, TIMEOUT_MS);
});
