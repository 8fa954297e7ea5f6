import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createScriptoriumClient, type RouterOutputs } from "@scriptorium/client";
import { ENGINES } from "@scriptorium/db/testing";
import { MAX_SOCKETS_PER_KEY } from "./http/job-socket";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type JobStatus = RouterOutputs["generation"]["status"];
type Manuscript = RouterOutputs["generation"]["manuscript"];
type Project = RouterOutputs["projects"]["get"];
type GenerationEvent = RouterOutputs["generation"]["eventLog"]["items"][number];

/** A small book: 12 scenes, so a whole run takes a moment while pausing still lands mid-stage. */
const SMALL_BOOK = { title: "The Salt Archive", genre: "mystery", target_words: 6_000, chapters: 4, scenes_per_chapter: 3, seed: 4242 };
/** 30 scenes: a run lasts long enough to be paused, cancelled or started twice while it is going. */
const MEDIUM_BOOK = { ...SMALL_BOOK, title: "The Tide Ledger", target_words: 30_000, chapters: 10 };

describe.each(ENGINES)("projects and generation over REST, on %s", (engine) => {
  let server: RunningTestServer;
  const api = async <T = unknown>(method: string, path: string, body?: unknown, key = server.ownerKey) => {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const createProject = async (fields: Record<string, unknown> = SMALL_BOOK) => {
    const created = await api<Project>("POST", "/v2/projects", fields);
    expect(created.status).toBe(200);
    return created.body;
  };
  const status = async (projectId: string) => (await api<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`)).body;
  const waitFor = async (projectId: string, done: (job: JobStatus) => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await status(projectId);
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status} at stage ${job.current_stage?.number}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const manuscriptOf = async (projectId: string) => (await api<Manuscript>("GET", `/v2/projects/${projectId}/manuscript`)).body;
  const generate = async (fields: Record<string, unknown> = SMALL_BOOK) => {
    const project = await createProject(fields);
    expect((await api("POST", `/v2/projects/${project.id}/generate`, {})).status).toBe(200);
    await waitFor(project.id, (job) => job.status === "completed");
    return project;
  };

  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.stop());

  it("validates projects and fills in the defaults", async () => {
    const zero = await api<{ code: string; fields: { path: string }[] }>("POST", "/v2/projects", { title: "Nothing", target_words: 0 });
    expect(zero.status).toBe(422);
    expect(zero.body.fields.map((field) => field.path)).toContain("target_words");
    const tooMany = await api<{ fields: { path: string }[] }>("POST", "/v2/projects", { title: "Serial", chapters: 500 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.fields.map((field) => field.path)).toContain("chapters");
    const provider = await api<{ message: string; fields: { path: string; message: string }[] }>("POST", "/v2/projects", { title: "Oracle", writer: { provider: "oracle" } });
    expect(provider.status).toBe(422);
    expect(provider.body.fields[0]?.path).toBe("writer.provider");
    expect(provider.body.fields[0]?.message).toContain('"oracle"');

    const project = await createProject({ title: "Defaults", genre: "thriller" });
    expect(project).toMatchObject({ target_words: 60_000, chapters: 24, scenes_per_chapter: 3, writer: { provider: "offline" }, status: "new" });
    expect(Number.isInteger(project.seed)).toBe(true);
    const patched = await api<Project>("PATCH", `/v2/projects/${project.id}`, { tone: "wry", seed: 7 });
    expect(patched.body).toMatchObject({ tone: "wry", seed: 7, title: "Defaults" });
    expect((await api("GET", `/v2/projects/${project.id}/generate/status`)).status).toBe(404);
    expect((await api("DELETE", `/v2/projects/${project.id}`)).status).toBe(200);
    expect((await api("GET", `/v2/projects/${project.id}`)).status).toBe(404);
  });

  it("runs all twelve stages to a manuscript near the target, with consecutive events", async () => {
    const project = await generate();
    const job = await status(project.id);
    expect(job.stages.map((stage) => stage.status)).toEqual(Array(12).fill("completed"));
    expect(job.progress).toBe(1);
    expect(job.stages.every((stage) => stage.duration_ms !== null && stage.finished_at !== null)).toBe(true);

    const manuscript = await manuscriptOf(project.id);
    expect(manuscript.stage).toBe(11);
    expect(manuscript.chapters).toHaveLength(4);
    expect(manuscript.chapters.every((chapter) => chapter.scenes.length === 3)).toBe(true);
    expect(Math.abs(manuscript.words - 6_000) / 6_000).toBeLessThanOrEqual(0.1);
    expect(job.words).toBe(manuscript.words);
    // A range of chapters keeps the shape: the chapters asked for, the whole book's word count.
    const middle = (await api<Manuscript>("GET", `/v2/projects/${project.id}/manuscript?chapter_from=2&chapter_to=3`)).body;
    expect(middle.chapters).toEqual(manuscript.chapters.slice(1, 3));
    expect(middle.words).toBe(manuscript.words);
    expect((await api<Manuscript>("GET", `/v2/projects/${project.id}/manuscript?chapter_from=4`)).body.chapters.map((chapter) => chapter.number)).toEqual([4]);
    const backwards = await api<{ fields: { path: string }[] }>("GET", `/v2/projects/${project.id}/manuscript?chapter_from=3&chapter_to=2`);
    expect(backwards.status).toBe(422);
    expect(backwards.body.fields.map((field) => field.path)).toEqual(["chapter_from"]);

    const report = (await api<{ output: { report: { total_words: number; chapter_words: number[] } } }>("GET", `/v2/projects/${project.id}/generate/stages/12`)).body.output.report;
    expect(report.total_words).toBeGreaterThan(0);
    expect(report.chapter_words).toHaveLength(4);

    const events = (await api<{ items: GenerationEvent[]; last_event_id: number }>("GET", `/v2/projects/${project.id}/generate/events?after=0`)).body;
    expect(events.items.map((event) => event.id)).toEqual(events.items.map((_, index) => index + 1));
    expect(events.items.filter((event) => event.type === "stage_completed")).toHaveLength(12);
    expect(events.items.at(-1)).toMatchObject({ type: "status_update", data: { status: "completed" } });
    const later = (await api<{ items: GenerationEvent[] }>("GET", `/v2/projects/${project.id}/generate/events?after=${events.last_event_id - 2}`)).body;
    expect(later.items.map((event) => event.id)).toEqual([events.last_event_id - 1, events.last_event_id]);
  });

  it("refuses impossible transitions with 409 naming the state, and stage numbers outside 1–12 with 422", async () => {
    const project = await createProject(MEDIUM_BOOK);
    expect((await api("POST", `/v2/projects/${project.id}/generate/pause`)).status).toBe(404);
    const early = await api<{ message: string }>("POST", `/v2/projects/${project.id}/generate/stages/7`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain("1 (high_concept)");
    const thirteen = await api<{ fields: { path: string }[] }>("POST", `/v2/projects/${project.id}/generate/stages/13`);
    expect(thirteen.status).toBe(422);
    expect(thirteen.body.fields[0]?.path).toBe("stage_number");

    expect((await api("POST", `/v2/projects/${project.id}/generate`)).status).toBe(200);
    const second = await api<{ message: string }>("POST", `/v2/projects/${project.id}/generate`, { force: true });
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/already has a (queued|running) job/);
    await waitFor(project.id, (job) => job.status === "completed");
    const resume = await api<{ message: string }>("POST", `/v2/projects/${project.id}/generate/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body.message).toBe("Cannot resume the job: it is completed.");
    const cancel = await api<{ message: string }>("POST", `/v2/projects/${project.id}/generate/cancel`);
    expect(cancel.body.message).toBe("Cannot cancel the job: it is completed.");
  });

  it("pauses within a second, resumes without redoing work, and gives the same book as a straight run", async () => {
    const straight = await generate(MEDIUM_BOOK);
    const reference = await manuscriptOf(straight.id);

    const project = await createProject(MEDIUM_BOOK);
    await api("POST", `/v2/projects/${project.id}/generate`);
    let pauses = 0;
    for (let round = 0; round < 6; round++) {
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 60));
      const requested = Date.now();
      const pause = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate/pause`);
      if (pause.status === 409) break; // already completed
      const paused = await waitFor(project.id, (job) => job.status === "paused" || job.status === "completed");
      if (paused.status === "completed") break;
      expect(Date.now() - requested).toBeLessThan(1_000);
      expect(paused.pause_reason).toBe("requested");
      pauses++;
      const before = paused.stages.map((stage) => stage.progress);
      expect((await api("POST", `/v2/projects/${project.id}/generate/resume`)).status).toBe(200);
      const resumed = await status(project.id);
      // Nothing finished is undone by a pause.
      resumed.stages.forEach((stage, index) => expect(stage.progress).toBeGreaterThanOrEqual(before[index] ?? 0));
    }
    expect(pauses).toBeGreaterThan(0);
    await waitFor(project.id, (job) => job.status === "completed");
    expect(await manuscriptOf(project.id)).toEqual({ ...reference, project_id: project.id });
  }, 120_000);

  it("cancels a running job and keeps the stages it finished", async () => {
    const project = await createProject(MEDIUM_BOOK);
    await api("POST", `/v2/projects/${project.id}/generate`);
    await waitFor(project.id, (job) => job.stages[5]?.status === "running");
    const cancelled = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate/cancel`);
    expect(cancelled.status).toBe(200);
    const job = await waitFor(project.id, (current) => current.status === "cancelled");
    expect(job.stages.slice(0, 5).map((stage) => stage.status)).toEqual(Array(5).fill("completed"));
    expect(job.stages.some((stage) => stage.status === "running")).toBe(false);
    // A new start reuses them and finishes the book.
    expect((await api("POST", `/v2/projects/${project.id}/generate`)).status).toBe(200);
    await waitFor(project.id, (current) => current.status === "completed");
    const stages = (await api<{ items: { number: number; started_at: string }[] }>("GET", `/v2/projects/${project.id}/generate/stages`)).body.items;
    expect(stages[0]?.started_at).toBe(job.stages[0]?.started_at);
  });

  it("runs one stage alone and marks the later ones stale until the next start", async () => {
    const project = await generate();
    const job = (await api<JobStatus>("POST", `/v2/projects/${project.id}/generate/stages/9`)).body;
    expect(job.only_stage).toBe(9);
    expect(job.stages.slice(9).map((stage) => stage.status)).toEqual(["stale", "stale", "stale"]);
    const done = await waitFor(project.id, (current) => current.status === "completed");
    expect(done.stages[8]?.status).toBe("completed");
    expect((await manuscriptOf(project.id)).stage).toBe(9);
    await api("POST", `/v2/projects/${project.id}/generate`);
    const finished = await waitFor(project.id, (current) => current.status === "completed" && current.only_stage === null);
    expect(finished.stages.map((stage) => stage.status)).toEqual(Array(12).fill("completed"));
  });

  it("keeps workspaces apart and read keys read-only", async () => {
    const project = await createProject();
    const other = await api<{ admin_key: { key: string } }>("POST", "/v1/workspaces", { name: "Elsewhere" });
    const stranger = other.body.admin_key.key;
    expect((await api("GET", `/v2/projects/${project.id}`, undefined, stranger)).status).toBe(404);
    expect((await api("POST", `/v2/projects/${project.id}/generate`, {}, stranger)).status).toBe(404);
    const reader = (await api<{ key: string }>("POST", "/v1/keys", { name: "reader", scope: "read" })).body.key;
    expect((await api("GET", `/v2/projects/${project.id}`, undefined, reader)).status).toBe(200);
    expect((await api("POST", `/v2/projects/${project.id}/generate`, {}, reader)).status).toBe(403);
  });

  it("streams events over tRPC and resumes after a disconnect with every event exactly once", async () => {
    const project = await createProject();
    const client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    const received: number[] = [];
    let lastId: string | undefined;
    const follow = (lastEventId: string | undefined, stopAfter: (event: GenerationEvent) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const subscription = client.generation.events.subscribe(
          { project_id: project.id, lastEventId },
          {
            onData: ({ id, data }) => {
              received.push(data.id);
              lastId = id;
              if (stopAfter(data)) {
                subscription.unsubscribe();
                resolve();
              }
            },
            onError: reject,
          },
        );
      });
    const firstPart = follow(undefined, (event) => event.type === "stage_completed" && event.data.stage === 6);
    await api("POST", `/v2/projects/${project.id}/generate`);
    await firstPart;
    // Disconnected while the job keeps going; reconnect from the last id.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await follow(lastId, (event) => event.type === "status_update" && event.data.status === "completed");
    expect(received).toEqual(received.map((_, index) => index + 1));
    const all = (await api<{ last_event_id: number }>("GET", `/v2/projects/${project.id}/generate/events`)).body;
    expect(received.at(-1)).toBe(all.last_event_id);
  });

  it("speaks the WebSocket protocol: ping, get_status, progress, errors and close codes", async () => {
    const project = await createProject();
    const wsUrl = `${server.url.replace("http", "ws")}/api/v2/projects/${project.id}/ws`;
    const closeCode = (url: string) => new Promise<number>((resolve) => new WebSocket(url).once("close", (code) => resolve(code)));
    expect(await closeCode(`${wsUrl}?api_key=scr_not-a-key`)).toBe(4401);
    expect(await closeCode(wsUrl)).toBe(4401);
    const other = await api<{ admin_key: { key: string } }>("POST", "/v1/workspaces", { name: "Far away" });
    expect(await closeCode(`${wsUrl}?api_key=${other.body.admin_key.key}`)).toBe(4404);

    const socket = new WebSocket(`${wsUrl}?api_key=${server.ownerKey}`);
    const messages: Record<string, unknown>[] = [];
    const waiters: { match: (message: Record<string, unknown>) => boolean; resolve: (message: Record<string, unknown>) => void }[] = [];
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString()) as Record<string, unknown>;
      messages.push(message);
      for (const waiter of [...waiters]) {
        if (waiter.match(message)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    const next = (match: (message: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const seen = messages.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      });
    await new Promise((resolve) => socket.once("open", resolve));
    expect(await next((message) => message.type === "status_update")).toEqual({ type: "status_update", project_id: project.id, job: null });

    socket.send(JSON.stringify({ type: "ping" }));
    expect((await next((message) => message.type === "pong")).ts).toEqual(expect.any(Number));
    socket.send("not json");
    expect(await next((message) => message.type === "error")).toMatchObject({ message: expect.stringContaining("Unknown message") });
    socket.send(JSON.stringify({ type: "dance" }));
    expect(await next((message) => message.type === "error" && String(message.message).includes("dance"))).toBeTruthy();

    await api("POST", `/v2/projects/${project.id}/generate`);
    const progress = await next((message) => message.type === "progress" && message.stage === 6);
    expect(progress).toMatchObject({ project_id: project.id, job_id: expect.any(String), stage_key: "scene_drafting", stage_progress: expect.any(Number), progress: expect.any(Number), message: expect.any(String) });
    const completed = await next((message) => message.type === "status_update" && (message.job as JobStatus | null)?.status === "completed");
    expect((completed.job as JobStatus).progress).toBe(1);
    socket.send(JSON.stringify({ type: "get_status" }));
    messages.length = 0;
    expect(((await next((message) => message.type === "status_update")).job as JobStatus).status).toBe("completed");
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it("caps the job sockets one key holds open, and frees a place when one closes", async () => {
    const project = await createProject();
    const reader = (await api<{ key: string }>("POST", "/v1/keys", { name: "sockets", scope: "read" })).body.key;
    const wsUrl = `${server.url.replace("http", "ws")}/api/v2/projects/${project.id}/ws?api_key=${reader}`;
    const opened = (url = wsUrl) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url);
        // Served: the first status_update arrives.
        socket.once("message", () => resolve(socket));
        socket.once("close", (code, reason) => reject(new Error(`closed ${code}: ${reason.toString()}`)));
      });
    const sockets = await Promise.all(Array.from({ length: MAX_SOCKETS_PER_KEY }, () => opened()));
    const refused = await new Promise<{ code: number; reason: string }>((resolve) =>
      new WebSocket(wsUrl).once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect(refused.code).toBe(4429);
    expect(refused.reason).toContain(`at most ${MAX_SOCKETS_PER_KEY}`);
    // Another key is not affected; a closed socket frees its place.
    (await opened(wsUrl.replace(reader, server.ownerKey))).close();
    const first = sockets.shift();
    await new Promise((resolve) => {
      first?.once("close", resolve);
      first?.close();
    });
    sockets.push(await opened());
    for (const socket of sockets) socket.close();
  });
});
