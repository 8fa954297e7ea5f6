import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { callApi, startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
type StageList = RouterOutputs["generation"]["stages"];
type Plan = RouterOutputs["generation"]["plan"];
type EventLog = RouterOutputs["generation"]["eventLog"];
type Failure = { code: string; message: string };

/** 8 scenes: a whole run takes a moment. */
const SMALL_BOOK = { title: "The Tin Orchard", genre: "mystery", target_words: 3_200, chapters: 4, scenes_per_chapter: 2, seed: 4_242 };

describe("changing a project makes stale what was written from the change, and says so", () => {
  let server: RunningTestServer;

  const api = <T = unknown>(method: string, path: string, body?: unknown) => callApi<T>(server, method, path, body);
  const createProject = async (fields: Record<string, unknown>) => {
    const created = await api<Project>("POST", "/v2/projects", fields);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return created.body;
  };
  const patch = async (projectId: string, fields: Record<string, unknown>) => {
    const patched = await api<Project>("PATCH", `/v2/projects/${projectId}`, fields);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    return patched.body;
  };
  const waitFor = async (projectId: string, done: (job: JobStatus) => boolean) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const job = (await api<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`)).body;
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status} at stage ${job.current_stage?.number}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const runToEnd = async (projectId: string, path = "/generate") => {
    const started = await api<JobStatus>("POST", `/v2/projects/${projectId}${path}`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    return waitFor(projectId, (job) => job.job_id === started.body.job_id && job.status === "completed");
  };
  /** Stage numbers by state. */
  const stagesIn = async (projectId: string, status: string) =>
    (await api<StageList>("GET", `/v2/projects/${projectId}/generate/stages`)).body.items.filter((stage) => stage.status === status).map((stage) => stage.number);
  const lastLogLine = async (projectId: string) => {
    const events = (await api<EventLog>("GET", `/v2/projects/${projectId}/generate/events?after=0`)).body.items;
    return events.filter((event) => event.type === "log").at(-1);
  };
  const plannedReasons = async (projectId: string) =>
    (await api<Plan>("GET", `/v2/projects/${projectId}/generate/plan`)).body.stages.map((stage) => [stage.number, stage.reason]);

  beforeAll(async () => {
    server = await startTestServer("pglite");
  });
  afterAll(() => server.stop());

  it("makes stale the stages each setting feeds and every later one, which the next start writes again", async () => {
    const project = await createProject(SMALL_BOOK);
    await runToEnd(project.id);
    const all = Array.from({ length: 12 }, (_, index) => index + 1);
    expect(await stagesIn(project.id, "completed")).toEqual(all);

    // The writer, its price and the budget feed nothing written; nor does the language, which the offline writer does not write in.
    await patch(project.id, { writer: { provider: "offline", stages: { "7": { provider: "offline" } } }, budget_usd: 3, language: "fr" });
    expect(await stagesIn(project.id, "completed")).toEqual(all);
    await patch(project.id, { language: "en", writer: { provider: "offline" }, budget_usd: null });

    // A new title only changes the summary that names it.
    const lastEventBefore = (await api<JobStatus>("GET", `/v2/projects/${project.id}/generate/status`)).body.last_event_id;
    const renamed = await patch(project.id, { title: "The Tin Orchard, Revised" });
    expect(renamed.title).toBe("The Tin Orchard, Revised");
    expect(await stagesIn(project.id, "stale")).toEqual([12]);
    const note = await lastLogLine(project.id);
    expect(note).toMatchObject({ job_id: null, data: { level: "info", message: "Changed title: stage 12 is stale, and the next start writes it again." } });
    expect(note?.id).toBeGreaterThan(lastEventBefore);
    expect(await plannedReasons(project.id)).toEqual([[12, "stale"]]);
    const rerun = await runToEnd(project.id);
    expect(rerun.stages.filter((stage) => stage.status === "completed")).toHaveLength(12);

    // The length reaches the outline and everything written from it; the manuscript waits for drafting to run again.
    await patch(project.id, { target_words: 4_000 });
    expect(await stagesIn(project.id, "stale")).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await lastLogLine(project.id))?.data.message).toBe("Changed target_words: stages 5–12 are stale, and the next start writes them again.");
    expect((await api("GET", `/v2/projects/${project.id}/manuscript`)).status).toBe(404);

    // The same value again changes nothing; an already stale stage is not counted twice.
    const eventsBefore = (await api<EventLog>("GET", `/v2/projects/${project.id}/generate/events?after=0`)).body.last_event_id;
    await patch(project.id, { target_words: 4_000, genre: " mystery " });
    expect((await api<EventLog>("GET", `/v2/projects/${project.id}/generate/events?after=0`)).body.last_event_id).toBe(eventsBefore);
    await patch(project.id, { chapters: 5 });
    expect(await stagesIn(project.id, "stale")).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect((await lastLogLine(project.id))?.data.message).toBe("Changed chapters: stages 3–4 are stale, and the next start writes them again.");

    // The story reaches back to the high concept.
    await patch(project.id, { tone: "wry", synopsis: "A keeper of bees finds a ledger in the hives." });
    expect(await stagesIn(project.id, "stale")).toEqual(all);
    expect((await lastLogLine(project.id))?.data.message).toBe("Changed synopsis and tone: stages 1–2 are stale, and the next start writes them again.");
    expect(await plannedReasons(project.id)).toEqual(all.map((number) => [number, "stale"]));
    const rewritten = await runToEnd(project.id);
    expect(rewritten.stages.every((stage) => stage.status === "completed")).toBe(true);
    expect((await api("GET", `/v2/projects/${project.id}/manuscript`)).status).toBe(200);

    // The seed drives the offline writer from the first stage it writes.
    await patch(project.id, { seed: 99 });
    expect(await stagesIn(project.id, "stale")).toEqual(all);
  });

  it("refuses a change that would make stages stale under an active job (409), and accepts the budget or a setting nothing was written from", async () => {
    // Long enough that the pause lands before the end.
    const project = await createProject({ ...SMALL_BOOK, title: "The Paused Orchard", target_words: 30_000, chapters: 10, scenes_per_chapter: 3 });
    await runToEnd(project.id, "/generate/stages/1");
    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    expect(started.status).toBe(200);
    expect((await api("POST", `/v2/projects/${project.id}/generate/pause`)).status).toBe(200);
    await waitFor(project.id, (job) => job.status === "paused");

    const refused = await api<Failure>("PATCH", `/v2/projects/${project.id}`, { genre: "horror" });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/^Changing genre would make stages? 1\b/);
    expect(refused.body.message).toContain("paused job");
    expect((await api<Project>("GET", `/v2/projects/${project.id}`)).body.genre).toBe("mystery");
    expect(await stagesIn(project.id, "stale")).toEqual([]);

    // What no finished stage was written from can change under the job.
    expect((await patch(project.id, { budget_usd: 2, writer: { provider: "offline" } })).budget_usd).toBe(2);

    expect((await api("POST", `/v2/projects/${project.id}/generate/cancel`)).status).toBe(200);
    await waitFor(project.id, (job) => job.status === "cancelled");
    const changed = await patch(project.id, { genre: "horror" });
    expect(changed.genre).toBe("horror");
    expect(await stagesIn(project.id, "stale")).toContain(1);
  });
});
