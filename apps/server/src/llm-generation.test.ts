import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouterOutputs } from "@scriptorium/client";
import { ChatCompletionsServer, completion, HIGH_CONCEPT, providerError } from "@scriptorium/domain/testing";
import { callApi, startTestServer, type RunningTestServer } from "./testing/test-server";

type JobStatus = RouterOutputs["generation"]["status"];

const OPENAI_KEY = "sk-loopback-0123456789abcdef";

/** Jobs with an LLM writer, against a loopback server that speaks OpenAI's chat-completions protocol. */
describe("generation with an LLM writer", () => {
  let server: RunningTestServer;
  let llm: ChatCompletionsServer;
  let llmUrl: string;
  const api = <T = unknown>(method: string, path: string, body?: unknown) => callApi<T>(server, method, path, body);
  const waitFor = async (projectId: string, done: (job: JobStatus) => boolean) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const job = (await api<JobStatus>("GET", `/v2/projects/${projectId}/generate/status`)).body;
      if (done(job)) return job;
      if (Date.now() > deadline) throw new Error(`timed out; job is ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const createProject = async (budget: number | null) =>
    (
      await api<{ id: string }>("POST", "/v2/projects", {
        title: "Signal Fires",
        genre: "science fiction",
        target_words: 3_000,
        chapters: 2,
        scenes_per_chapter: 2,
        writer: { provider: "openai", model: "gpt-4o-mini", base_url: llmUrl },
        budget_usd: budget,
      })
    ).body;

  beforeAll(async () => {
    llm = new ChatCompletionsServer();
    llmUrl = await llm.start();
    server = await startTestServer("pglite", { llm: { openaiApiKey: OPENAI_KEY, anthropicApiKey: undefined, llmBaseUrl: undefined, llmApiKey: undefined } });
  });
  afterAll(async () => {
    await server.stop();
    await llm.stop();
  });

  it("refuses an LLM writer without its key", async () => {
    const refused = await api<{ fields: { path: string }[] }>("POST", "/v2/projects", { title: "Keyless", writer: { provider: "anthropic" } });
    expect(refused.status).toBe(422);
    expect(refused.body.fields[0]?.path).toBe("writer.provider");
  });

  it("pauses with budget_exhausted before overspending, then fails clearly on a rejected key without retrying", async () => {
    const project = await createProject(0.001);
    await api("POST", `/v2/projects/${project.id}/generate`);
    const paused = await waitFor(project.id, (job) => job.status !== "queued" && job.status !== "running");
    expect(paused).toMatchObject({ status: "paused", pause_reason: "budget_exhausted", cost_usd: 0 });
    expect(llm.requests).toHaveLength(0);

    expect((await api("PATCH", `/v2/projects/${project.id}`, { budget_usd: 5 })).status).toBe(200);
    llm.reply(completion(JSON.stringify(HIGH_CONCEPT), 900, 400), providerError(401, "Incorrect API key provided"));
    await api("POST", `/v2/projects/${project.id}/generate/resume`);
    const failed = await waitFor(project.id, (job) => job.status === "failed" || job.status === "completed");
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("401");
    expect(failed.error).not.toContain(OPENAI_KEY);
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[0]?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(failed.stages[0]).toMatchObject({ status: "completed" });
    expect(failed.stages[1]).toMatchObject({ status: "failed" });
    expect(failed.tokens).toBe(1_300);
    expect(failed.cost_usd).toBeGreaterThan(0);

    const stage = (await api<{ output: unknown; tokens: number }>("GET", `/v2/projects/${project.id}/generate/stages/1`)).body;
    expect(stage.output).toEqual(HIGH_CONCEPT);
    expect(stage.tokens).toBe(1_300);
  });

  it("aborts the in-flight request on pause and redoes that call on resume", async () => {
    llm.requests.length = 0;
    const project = await createProject(null);
    llm.reply({ status: 200, hang: true });
    await api("POST", `/v2/projects/${project.id}/generate`);
    while (llm.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const requested = Date.now();
    await api("POST", `/v2/projects/${project.id}/generate/pause`);
    const paused = await waitFor(project.id, (job) => job.status === "paused");
    expect(Date.now() - requested).toBeLessThan(1_000);
    expect(paused.pause_reason).toBe("requested");
    expect(paused.stages[0]?.status).toBe("pending");

    llm.reply(completion(JSON.stringify(HIGH_CONCEPT)), providerError(400, "stop here"));
    await api("POST", `/v2/projects/${project.id}/generate/resume`);
    const ended = await waitFor(project.id, (job) => job.status === "failed");
    expect(ended.stages[0]?.status).toBe("completed");
    expect(llm.requests).toHaveLength(3);
    expect(ended.error).toContain("stop here");
  });
});
