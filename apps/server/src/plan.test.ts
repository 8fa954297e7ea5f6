import { eq } from "drizzle-orm";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { projects } from "@scriptorium/db";
import { ChatCompletionsServer, completion, epubcheck, epubcheckProblems, HIGH_CONCEPT, providerError } from "@scriptorium/domain/testing";
import { callApi, startTestServer, type RunningTestServer } from "./testing/test-server";

type Project = RouterOutputs["projects"]["get"];
type JobStatus = RouterOutputs["generation"]["status"];
type Plan = RouterOutputs["generation"]["plan"];
type PlannedStage = Plan["stages"][number];
type StageInfo = RouterOutputs["generation"]["stage"];
type Manuscript = RouterOutputs["generation"]["manuscript"];
type GenerationEvent = RouterOutputs["generation"]["eventLog"]["items"][number];
type Failure = { code: string; message: string; fields?: { path: string; message: string }[] };

const OPENAI_KEY = "sk-loopback-plan-0123456789abcdef";
/** 12 scenes: quick to write, long enough to stop mid-drafting. */
const SMALL_BOOK = { title: "The Lantern Ledger", genre: "mystery", target_words: 6_000, chapters: 4, scenes_per_chapter: 3, seed: 515 };
/** 30 scenes: a run lasts long enough to be cancelled mid-stage. */
const MEDIUM_BOOK = { ...SMALL_BOOK, title: "The Long Ledger", target_words: 30_000, chapters: 10 };
/** 4 scenes: every LLM request of a run can be scripted. */
const TINY_BOOK = { title: "Salt and Signal", genre: "science fiction", target_words: 3_000, chapters: 2, scenes_per_chapter: 2, seed: 77 };

/** The scenes a job's progress events say it wrote in one stage, grouped by chapter as a plan lists them. */
function scenesWritten(events: readonly GenerationEvent[], stage: number): { chapter: number; scenes: number[] }[] {
  const written: { chapter: number; scenes: number[] }[] = [];
  for (const event of events) {
    if (event.type !== "progress" || event.data.stage !== stage) continue;
    const match = /^Chapter (\d+), scene (\d+) of /.exec(String(event.data.message));
    if (!match) continue;
    const chapter = Number(match[1]);
    const last = written.at(-1);
    if (last?.chapter === chapter) last.scenes.push(Number(match[2]));
    else written.push({ chapter, scenes: [Number(match[2])] });
  }
  return written;
}

describe("the plan of a start: what would run, why, and what it would cost", () => {
  let server: RunningTestServer;
  let llm: ChatCompletionsServer;
  let llmUrl: string;
  let scratch: string;

  const api = <T = unknown>(method: string, path: string, body?: unknown) => callApi<T>(server, method, path, body);
  const createProject = async (fields: Record<string, unknown>) => {
    const created = await api<Project>("POST", "/v2/projects", fields);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return created.body;
  };
  const planOf = async (projectId: string, query = "") => {
    const plan = await api<Plan>("GET", `/v2/projects/${projectId}/generate/plan${query}`);
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    return plan.body;
  };
  const waitFor = async (projectId: string, done: (job: JobStatus) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = (await api<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`)).body;
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status} at stage ${job.current_stage?.number}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const jobEvents = async (projectId: string, jobId: string) => {
    const events: GenerationEvent[] = [];
    for (let after = 0; ; ) {
      const page = (await api<{ items: GenerationEvent[]; last_event_id: number }>("GET", `/v2/projects/${projectId}/jobs/${jobId}/events?after=${after}`)).body;
      events.push(...page.items);
      if (page.items.length === 0) return events;
      after = page.last_event_id;
    }
  };
  /** What a finished job did: the stages it started, and per scene stage the scenes it wrote. */
  const whatRan = async (projectId: string, jobId: string) => {
    const events = await jobEvents(projectId, jobId);
    const stages = events.filter((event) => event.type === "stage_started").map((event) => Number(event.data.stage));
    return { stages, scenes: Object.fromEntries(stages.filter((stage) => stage >= 6 && stage <= 11).map((stage) => [stage, scenesWritten(events, stage)])) };
  };
  /** The same, as a plan announced it. */
  const whatWasPlanned = (plan: Plan) => ({
    stages: plan.stages.map((stage) => stage.number),
    scenes: Object.fromEntries(plan.stages.filter((stage) => stage.scenes !== null).map((stage) => [stage.number, stage.scenes])),
  });

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "scriptorium-plan-"));
    llm = new ChatCompletionsServer();
    llmUrl = await llm.start();
    server = await startTestServer("pglite", { llm: { openaiApiKey: OPENAI_KEY, anthropicApiKey: undefined, llmBaseUrl: undefined, llmApiKey: undefined } });
  });
  afterAll(async () => {
    await server.stop();
    await llm.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("plans every stage and scene of a new book, and the run does exactly that", async () => {
    const project = await createProject(SMALL_BOOK);
    const plan = await planOf(project.id);
    expect(plan).toMatchObject({ project_id: project.id, active_job: null, kind: "full", force: false, only_stage: null, warnings: [], budget_usd: null, spent_usd: 0 });
    expect(plan.stages.map((stage) => [stage.number, stage.reason])).toEqual(Array.from({ length: 12 }, (_, index) => [index + 1, "pending"]));
    const drafting = plan.stages[5] as PlannedStage;
    expect(drafting.scenes).toEqual(Array.from({ length: 4 }, (_, index) => ({ chapter: index + 1, scenes: [1, 2, 3] })));
    expect(drafting).toMatchObject({ scene_count: 12, kept_scenes: 0, writer: { provider: "offline", model: null }, price_source: "offline", requests: 0, cost_usd: 0 });
    // The offline writer spends nothing, but it takes time.
    expect(plan.totals).toMatchObject({ requests: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 });
    expect(plan.totals.seconds).toBeGreaterThan(0);
    expect(plan.prices_as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.status === "completed");
    expect(await whatRan(project.id, started.body.job_id)).toEqual(whatWasPlanned(plan));

    // Nothing left to do; force redoes everything; one stage alone redoes itself.
    expect((await planOf(project.id)).stages).toEqual([]);
    expect((await planOf(project.id, "?force=true")).stages.map((stage) => stage.reason)).toEqual(Array(12).fill("forced"));
    expect((await planOf(project.id, "?force=false")).stages).toEqual([]);
    const alone = await planOf(project.id, "?stage=9");
    expect(alone).toMatchObject({ kind: "stage", only_stage: 9 });
    expect(alone.stages.map((stage) => [stage.number, stage.reason, stage.scene_count])).toEqual([[9, "forced", 12]]);

    // Running stage 9 alone leaves 10–12 stale, and the next plan says so.
    const stageJob = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate/stages/9`);
    await waitFor(project.id, (job) => job.job_id === stageJob.body.job_id && job.status === "completed");
    const stale = await planOf(project.id);
    expect(stale.stages.map((stage) => [stage.number, stage.reason])).toEqual([[10, "stale"], [11, "stale"], [12, "stale"]]);
    const next = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.job_id === next.body.job_id && job.status === "completed");
    expect(await whatRan(project.id, next.body.job_id)).toEqual(whatWasPlanned(stale));
  });

  it("after a cancel mid-drafting, plans the scenes left, and the next run writes exactly those", async () => {
    const project = await createProject(MEDIUM_BOOK);
    await api("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.stages[5]?.status === "running" && (job.stages[5]?.progress ?? 0) > 0);
    await api("POST", `/v2/projects/${project.id}/generate/cancel`);
    await waitFor(project.id, (job) => job.status === "cancelled");

    const plan = await planOf(project.id);
    const drafting = plan.stages[0] as PlannedStage;
    expect(drafting).toMatchObject({ number: 6, reason: "pending" });
    expect(drafting.kept_scenes).toBeGreaterThan(0);
    expect(drafting.scene_count + drafting.kept_scenes).toBe(30);
    expect(plan.stages.map((stage) => stage.number)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(plan.stages.slice(1, 6).map((stage) => stage.scene_count)).toEqual(Array(5).fill(30));
    // With force the kept scenes would be written again.
    const forced = await planOf(project.id, "?force=true");
    expect(forced.stages[5]).toMatchObject({ number: 6, reason: "forced", scene_count: 30, kept_scenes: 0 });

    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.status === "completed", 60_000);
    expect(await whatRan(project.id, started.body.job_id)).toEqual(whatWasPlanned(plan));
  });

  it("plans exactly the stale work an edit of the cast leaves, pinned scenes carried through, and the run redoes exactly that", async () => {
    const project = await createProject(SMALL_BOOK);
    await api("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.status === "completed");
    const handWritten = "The ledger lay open on the counter.\n\nNobody had touched it since the tide went out.";
    expect((await api("PUT", `/v2/projects/${project.id}/manuscript/chapters/1/scenes/2`, { text: handWritten })).status).toBe(200);
    // A scene written by hand leaves stage 12 to redo, and nothing else.
    expect((await planOf(project.id)).stages.map((stage) => [stage.number, stage.reason])).toEqual([[12, "stale"]]);

    const cast = (await api<StageInfo>("GET", `/v2/projects/${project.id}/generate/stages/4`)).body.output as { cast: { goal: string }[] };
    const document = { cast: cast.cast.map((member, index) => (index === 0 ? { ...member, goal: "To read the ledger before the tide turns." } : member)) };
    expect((await api("PUT", `/v2/projects/${project.id}/generate/stages/4/output`, document)).status).toBe(200);

    const plan = await planOf(project.id);
    expect(plan).toMatchObject({ kind: "full", force: false, rewrite: null });
    expect(plan.stages.map((stage) => [stage.number, stage.reason])).toEqual([5, 6, 7, 8, 9, 10, 11, 12].map((number) => [number, "stale"]));
    const sceneStages = plan.stages.filter((stage) => stage.scenes !== null);
    expect(sceneStages.map((stage) => [stage.number, stage.scene_count, stage.pinned_scenes, stage.kept_scenes])).toEqual([6, 7, 8, 9, 10, 11].map((number) => [number, 12, 1, 0]));

    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.job_id === started.body.job_id && job.status === "completed");
    expect(await whatRan(project.id, started.body.job_id)).toEqual(whatWasPlanned(plan));
    // The pinned scene came through every stage as the writer left it, and nothing is left to do.
    const manuscript = (await api<Manuscript>("GET", `/v2/projects/${project.id}/manuscript`)).body;
    expect(manuscript.chapters[0]?.scenes[1]).toMatchObject({ number: 2, pinned: true, text: handWritten });
    expect((await planOf(project.id)).stages).toEqual([]);
  });

  it("plans a rewrite (rewrite_chapter, rewrite_scene, rewrite_from) as the rewrite job then runs it, and refuses what the rewrite would refuse", async () => {
    const project = await createProject(SMALL_BOOK);
    const early = await api<Failure>("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=2`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain("through stage 11");
    await api("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.status === "completed");
    expect((await api("PUT", `/v2/projects/${project.id}/manuscript/chapters/2/scenes/2`, { text: "She wrote this scene herself.\n\nEvery word of it." })).status).toBe(200);

    const plan = await planOf(project.id, "?rewrite_chapter=2");
    expect(plan).toMatchObject({ kind: "rewrite", force: false, only_stage: null, active_job: null, rewrite: { chapter: 2, scene: null, from: "draft", scenes: [1, 3] } });
    // Stages 6–11 over the scenes it rewrites (the pinned one left out), then stage 12 over the book, which the scene written by hand left stale.
    expect(plan.stages.map((stage) => [stage.number, stage.reason])).toEqual([...[6, 7, 8, 9, 10, 11].map((number) => [number, "forced"]), [12, "stale"]]);
    for (const stage of plan.stages.slice(0, 6)) expect(stage).toMatchObject({ scenes: [{ chapter: 2, scenes: [1, 3] }], scene_count: 2, pinned_scenes: 0, kept_scenes: 0 });
    expect(plan.stages[6]).toMatchObject({ number: 12, scenes: null });

    // With force the pinned scene is rewritten too; one scene, revised, is a smaller plan.
    const forced = await planOf(project.id, "?rewrite_chapter=2&force=true");
    expect(forced).toMatchObject({ force: true, rewrite: { scenes: [1, 2, 3] } });
    expect(forced.stages[0]).toMatchObject({ scenes: [{ chapter: 2, scenes: [1, 2, 3] }], pinned_scenes: 0 });
    const one = await planOf(project.id, "?rewrite_chapter=2&rewrite_scene=3&rewrite_from=revise");
    expect(one.rewrite).toEqual({ chapter: 2, scene: 3, from: "revise", scenes: [3] });
    expect(one.stages[0]?.scenes).toEqual([{ chapter: 2, scenes: [3] }]);

    // What the rewrite itself would refuse, the plan refuses alike.
    const pinned = await api<Failure>("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=2&rewrite_scene=2`);
    expect(pinned.status).toBe(409);
    expect(pinned.body.message).toContain("pinned");
    expect((await api("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=9`)).status).toBe(404);
    expect((await api("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=2&rewrite_scene=7`)).status).toBe(404);
    const sceneAlone = await api<Failure>("GET", `/v2/projects/${project.id}/generate/plan?rewrite_scene=1`);
    expect(sceneAlone.status).toBe(422);
    expect(sceneAlone.body.fields?.map((field) => field.path)).toEqual(["rewrite_chapter"]);
    expect((await api("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=2&rewrite_from=rewrite`)).status).toBe(422);
    expect((await api("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=2&stage=6`)).status).toBe(422);

    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/rewrite`, { chapter: 2, instruction: "Let the harbour bell ring twice." });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await waitFor(project.id, (job) => job.job_id === started.body.job_id && job.status === "completed");
    expect(await whatRan(project.id, started.body.job_id)).toEqual(whatWasPlanned(plan));

    // An LLM writer for stage 6: a rewrite's requests are estimated with its own prompt, and a revision reads the scene in.
    await api("PATCH", `/v2/projects/${project.id}`, { writer: { provider: "offline", stages: { "6": { provider: "openai", model: "gpt-4o-mini", base_url: llmUrl } } } });
    const redraft = (await planOf(project.id, "?rewrite_chapter=2&force=true")).stages[0] as PlannedStage;
    const revision = (await planOf(project.id, "?rewrite_chapter=2&force=true&rewrite_from=revise")).stages[0] as PlannedStage;
    expect(redraft).toMatchObject({ number: 6, requests: 3, price_source: "table" });
    expect(redraft.output_tokens).toBeGreaterThan(0);
    expect(revision.input_tokens).toBeGreaterThan(redraft.input_tokens + redraft.output_tokens / 2);
    expect(revision.cost_usd).toBeGreaterThan(redraft.cost_usd ?? 0);
  });

  it("shows what an active job still has to do, and refuses plans a start would refuse", async () => {
    const project = await createProject(MEDIUM_BOOK);
    expect((await api<Failure>("GET", `/v2/projects/${project.id}/generate/plan?stage=7`)).status).toBe(409);
    expect((await api<Failure>("GET", `/v2/projects/${project.id}/generate/plan?stage=13`)).status).toBe(422);

    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.stages[5]?.status === "running");
    await api("POST", `/v2/projects/${project.id}/generate/pause`);
    const paused = await waitFor(project.id, (job) => job.status === "paused");
    const plan = await planOf(project.id);
    expect(plan.active_job).toEqual({ job_id: started.body.job_id, status: "paused" });
    const firstLeft = paused.stages.findIndex((stage) => stage.status !== "completed") + 1;
    expect(plan.stages[0]?.number).toBe(firstLeft);
    expect(plan.stages.at(-1)?.number).toBe(12);
    const refused = await api<Failure>("GET", `/v2/projects/${project.id}/generate/plan?force=true`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("paused");
    expect((await api("GET", `/v2/projects/${project.id}/generate/plan?rewrite_chapter=1`)).status).toBe(409);

    await api("POST", `/v2/projects/${project.id}/generate/resume`);
    await waitFor(project.id, (job) => job.status === "completed", 60_000);
    expect((await whatRan(project.id, started.body.job_id)).stages).toEqual(expect.arrayContaining(plan.stages.map((stage) => stage.number)));
  });

  it("estimates tokens and cost of LLM stages, priced from the table, the project's price, or a stage's own", async () => {
    const project = await createProject({
      ...SMALL_BOOK,
      writer: {
        provider: "openai",
        model: "gpt-4o-mini",
        base_url: llmUrl,
        stages: { "6": { provider: "openai", model: "gpt-5.4-mini", base_url: llmUrl }, "9": { provider: "openai-compatible", model: "house-reviser", base_url: llmUrl, price: { input_per_mtok: 0.5, output_per_mtok: 1 } } },
      },
    });
    expect(project.writer.stages["9"]).toEqual({ provider: "openai-compatible", model: "house-reviser", base_url: llmUrl, price: { input_per_mtok: 0.5, output_per_mtok: 1 } });
    expect(project.writer.price).toBeNull();
    const plan = await planOf(project.id);
    const byNumber = new Map(plan.stages.map((stage) => [stage.number, stage]));
    const costOf = (stage: PlannedStage, input: number, output: number) => (stage.input_tokens * input + stage.output_tokens * output) / 1_000_000;

    for (const number of [1, 2, 3, 4, 5]) expect(byNumber.get(number)?.requests).toBe(1);
    for (const number of [6, 7, 8, 9, 10, 11]) expect(byNumber.get(number)?.requests).toBe(12);
    expect(byNumber.get(12)).toMatchObject({ requests: 0, writer: null, cost_usd: 0 });
    for (const stage of plan.stages.slice(0, 11)) {
      expect(stage.input_tokens, `stage ${stage.number}`).toBeGreaterThan(0);
      expect(stage.output_tokens, `stage ${stage.number}`).toBeGreaterThan(0);
      expect(stage.seconds).toBeGreaterThan(0);
    }
    const outline = byNumber.get(5) as PlannedStage;
    expect(outline).toMatchObject({ writer: { provider: "openai", model: "gpt-4o-mini" }, price: { input_per_mtok: 0.15, output_per_mtok: 0.6 }, price_source: "table" });
    expect(outline.cost_usd).toBeCloseTo(costOf(outline, 0.15, 0.6), 5);
    const drafting = byNumber.get(6) as PlannedStage;
    expect(drafting).toMatchObject({ writer: { model: "gpt-5.4-mini" }, price: { input_per_mtok: 0.75, output_per_mtok: 4.5 }, price_source: "table" });
    expect(drafting.cost_usd).toBeCloseTo(costOf(drafting, 0.75, 4.5), 5);
    // Drafting writes about as many tokens as the book has words; revisions read them back in.
    expect(drafting.output_tokens).toBeGreaterThan(SMALL_BOOK.target_words);
    expect((byNumber.get(7) as PlannedStage).input_tokens).toBeGreaterThan(drafting.output_tokens);
    const dialogue = byNumber.get(9) as PlannedStage;
    expect(dialogue).toMatchObject({ writer: { provider: "openai-compatible", model: "house-reviser" }, price_source: "project" });
    expect(dialogue.cost_usd).toBeCloseTo(costOf(dialogue, 0.5, 1), 5);
    expect(plan.totals.requests).toBe(5 + 6 * 12);
    expect(plan.totals.input_tokens).toBe(plan.stages.reduce((total, stage) => total + stage.input_tokens, 0));
    expect(plan.totals.cost_usd).toBeCloseTo(plan.stages.reduce((total, stage) => total + (stage.cost_usd ?? 0), 0), 5);

    // The project's own price replaces the table's for every stage its writer runs.
    await api("PATCH", `/v2/projects/${project.id}`, { writer: { provider: "openai", model: "gpt-4o-mini", base_url: llmUrl, price: { input_per_mtok: 2, output_per_mtok: 8 } } });
    const repriced = (await planOf(project.id)).stages.find((stage) => stage.number === 5) as PlannedStage;
    expect(repriced).toMatchObject({ price: { input_per_mtok: 2, output_per_mtok: 8 }, price_source: "project" });
    expect(repriced.cost_usd).toBeCloseTo(costOf(repriced, 2, 8), 5);
    // A model nobody priced: its cost is unknown, and so is the total.
    await api("PATCH", `/v2/projects/${project.id}`, { writer: { provider: "openai-compatible", model: "llama3.1", base_url: llmUrl } });
    const unknown = await planOf(project.id);
    expect(unknown.stages[0]).toMatchObject({ price: null, price_source: null, cost_usd: null });
    expect(unknown.totals.cost_usd).toBeNull();
  });

  it("plans a failed stage again, and warns when the estimate is over what is left of the budget", async () => {
    llm.requests.length = 0;
    const project = await createProject({ ...TINY_BOOK, writer: { provider: "openai", model: "gpt-4o-mini", base_url: llmUrl } });
    llm.reply(completion(JSON.stringify(HIGH_CONCEPT), 900, 400), providerError(400, "the model refused"));
    await api("POST", `/v2/projects/${project.id}/generate`, {});
    await waitFor(project.id, (job) => job.status === "failed");
    const plan = await planOf(project.id);
    expect(plan.stages.slice(0, 2).map((stage) => [stage.number, stage.reason])).toEqual([[2, "failed"], [3, "pending"]]);
    expect(plan.spent_usd).toBeCloseTo((900 * 0.15 + 400 * 0.6) / 1_000_000, 8);

    await api("PATCH", `/v2/projects/${project.id}`, { budget_usd: 0.0005 });
    const tight = await planOf(project.id);
    expect(tight.budget_usd).toBe(0.0005);
    expect(tight.warnings.map((warning) => warning.code)).toEqual(["over_budget"]);
  });

  it("refuses a budget without a known price (422) and a price below zero, and asks an existing project in that state for a price before it starts (409)", async () => {
    const unpriced = await api<Failure>("POST", "/v2/projects", { title: "House model", writer: { provider: "openai", model: "house-model-7" }, budget_usd: 5 });
    expect(unpriced.status).toBe(422);
    expect(unpriced.body.fields?.map((field) => field.path)).toEqual(["writer.price"]);
    expect(unpriced.body.message).toContain("house-model-7");

    const unpricedStage = await api<Failure>("POST", "/v2/projects", {
      title: "Local reviser",
      writer: { provider: "openai", model: "gpt-4o-mini", stages: { "7": { provider: "openai-compatible", model: "llama3.1", base_url: llmUrl } } },
      budget_usd: 5,
    });
    expect(unpricedStage.status).toBe(422);
    expect(unpricedStage.body.fields?.map((field) => field.path)).toEqual(["writer.stages.7.price"]);

    const negative = await api<Failure>("POST", "/v2/projects", { title: "Paid to write", writer: { provider: "openai", price: { input_per_mtok: -1, output_per_mtok: 1 } } });
    expect(negative.status).toBe(422);
    expect(negative.body.fields?.map((field) => field.path)).toEqual(["writer.price.input_per_mtok"]);

    const badStages = await api<Failure>("POST", "/v2/projects", { title: "Twelve", writer: { provider: "offline", stages: { "12": { provider: "offline" }, "3": { provider: "parrot" } } } });
    expect(badStages.status).toBe(422);
    expect(badStages.body.fields?.map((field) => field.path).sort()).toEqual(["writer.stages.12", "writer.stages.3.provider"]);
    const keyless = await api<Failure>("POST", "/v2/projects", { title: "No key", writer: { provider: "offline", stages: { "4": { provider: "anthropic" } } } });
    expect(keyless.status).toBe(422);
    expect(keyless.body.fields?.map((field) => field.path)).toEqual(["writer.stages.4.provider"]);

    // Priced, the same budget is accepted; and a budget added later to an unpriced project is refused.
    expect((await api("POST", "/v2/projects", { title: "Priced", writer: { provider: "openai", model: "house-model-7", price: { input_per_mtok: 1, output_per_mtok: 3 } }, budget_usd: 5 })).status).toBe(200);
    const project = await createProject({ ...TINY_BOOK, writer: { provider: "openai", model: "house-model-7", base_url: llmUrl } });
    const later = await api<Failure>("PATCH", `/v2/projects/${project.id}`, { budget_usd: 5 });
    expect(later.status).toBe(422);
    expect(later.body.fields?.map((field) => field.path)).toEqual(["writer.price"]);

    // A project stored with a budget and an unpriced model before prices were required keeps its data, but cannot start.
    await server.app.database.db.update(projects).set({ budgetUsd: 5 }).where(eq(projects.id, project.id));
    expect((await api<Project>("PATCH", `/v2/projects/${project.id}`, { title: "Salt and Signal, revised" })).status).toBe(200);
    const refused = await api<Failure>("POST", `/v2/projects/${project.id}/generate`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("writer.price");
    expect((await api<Failure>("POST", `/v2/projects/${project.id}/generate/stages/1`)).status).toBe(409);
    expect((await planOf(project.id)).warnings.map((warning) => warning.code)).toContain("price_unknown");
    expect(llm.requests.filter((request) => request.body.model === "house-model-7")).toEqual([]);

    // Given a price, it starts.
    expect((await api("PATCH", `/v2/projects/${project.id}`, { writer: { provider: "openai", model: "house-model-7", base_url: llmUrl, price: { input_per_mtok: 1, output_per_mtok: 3 } } })).status).toBe(200);
    llm.reply(providerError(400, "stop here"));
    expect((await api("POST", `/v2/projects/${project.id}/generate`, {})).status).toBe(200);
    await waitFor(project.id, (job) => job.status === "failed");
  });

  it("runs each stage with its own model and price, asks for the book's language, and says where the offline writer writes English", async () => {
    llm.requests.length = 0;
    const revised = (index: number) =>
      completion(`Le phare s’éteignit pour la ${index}e fois.\n\n« Encore », dit Ines, et elle monta l’escalier en comptant les marches.\n\nLa mer répondit par un grondement sourd.`, 120, 30);
    const project = await createProject({
      ...TINY_BOOK,
      language: "fr",
      writer: {
        provider: "offline",
        stages: {
          "1": { provider: "openai", model: "gpt-5.4", base_url: llmUrl },
          "7": { provider: "openai-compatible", model: "local-reviser", base_url: llmUrl, price: { input_per_mtok: 1, output_per_mtok: 2 } },
        },
      },
    });
    expect(project.language).toBe("fr");

    const plan = await planOf(project.id);
    expect(plan.stages.filter((stage) => stage.requests > 0).map((stage) => [stage.number, stage.writer?.model, stage.requests])).toEqual([
      [1, "gpt-5.4", 1],
      [7, "local-reviser", 4],
    ]);
    const english = plan.warnings.find((warning) => warning.code === "offline_writes_english");
    expect(english?.message).toContain("stages 2, 3, 4, 5, 6, 8, 9, 10, 11");
    expect(english?.message).toContain("French (fr)");

    llm.reply(completion(JSON.stringify(HIGH_CONCEPT), 900, 400), revised(1), revised(2), revised(3), revised(4));
    const started = await api<JobStatus>("POST", `/v2/projects/${project.id}/generate`, {});
    const done = await waitFor(project.id, (job) => job.status === "completed" || job.status === "failed");
    expect(done.error).toBeNull();

    // Stage 1 went to its model, stage 7 scene by scene to its own; every other stage ran offline.
    expect(llm.requests.map((request) => request.body.model)).toEqual(["gpt-5.4", "local-reviser", "local-reviser", "local-reviser", "local-reviser"]);
    expect(llm.requests[0]?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(llm.requests[1]?.headers.authorization).toBeUndefined();
    for (const request of llm.requests) {
      // The system prompt ("developer" for OpenAI's reasoning models) asks for the language.
      const messages = request.body.messages as { role: string; content: string }[];
      expect(messages.find((message) => message.role === "system" || message.role === "developer")?.content, JSON.stringify(messages).slice(0, 300)).toContain("Write in French (fr).");
    }
    const stage1 = (await api<StageInfo>("GET", `/v2/projects/${project.id}/generate/stages/1`)).body;
    expect(stage1.output).toEqual(HIGH_CONCEPT);
    expect(stage1.tokens).toBe(1_300);
    expect(stage1.cost_usd).toBeCloseTo((900 * 2.5 + 400 * 15) / 1_000_000, 8);
    const stage7 = (await api<StageInfo>("GET", `/v2/projects/${project.id}/generate/stages/7`)).body;
    expect(stage7.tokens).toBe(4 * 150);
    expect(stage7.cost_usd).toBeCloseTo((4 * (120 * 1 + 30 * 2)) / 1_000_000, 8);
    expect(done.cost_usd).toBeCloseTo(stage1.cost_usd + stage7.cost_usd, 6);

    // The job log says the offline stages wrote English.
    const events = await jobEvents(project.id, started.body.job_id);
    expect(events.some((event) => event.type === "log" && event.data.level === "warn" && String(event.data.message).startsWith("The offline writer writes English"))).toBe(true);

    // The exports declare the book's language, and the EPUB still passes EPUBCheck.
    expect((await api("POST", `/v2/projects/${project.id}/export`, { formats: ["epub", "docx", "pdf"] })).status).toBe(200);
    const download = async (format: string) => {
      const response = await fetch(`${server.url}/api/v2/projects/${project.id}/export/${format}`, { headers: { "x-api-key": server.ownerKey } });
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    const epub = await download("epub");
    const epubFiles = unzipSync(epub);
    const opf = Object.entries(epubFiles).find(([name]) => name.endsWith(".opf"));
    expect(strFromU8(opf?.[1] ?? new Uint8Array())).toContain("<dc:language>fr</dc:language>");
    const epubPath = join(scratch, "fr.epub");
    writeFileSync(epubPath, epub);
    expect(epubcheckProblems(await epubcheck(epubPath))).toEqual([]);
    const docx = unzipSync(await download("docx"));
    expect(strFromU8(docx["docProps/core.xml"] ?? new Uint8Array())).toContain("<dc:language>fr</dc:language>");
    expect((await download("pdf")).toString("latin1")).toContain("/Lang (fr)");
  }, 120_000);

  it("validates and normalizes the language", async () => {
    expect((await createProject({ title: "Default" })).language).toBe("en");
    expect((await createProject({ title: "Brazil", language: "PT-br" })).language).toBe("pt-BR");
    const bad = await api<Failure>("POST", "/v2/projects", { title: "Nonsense", language: "not a language" });
    expect(bad.status).toBe(422);
    expect(bad.body.fields?.map((field) => field.path)).toEqual(["language"]);
    const english = await createProject({ ...SMALL_BOOK, language: "en-GB" });
    expect((await planOf(english.id)).warnings).toEqual([]);
  });
});
