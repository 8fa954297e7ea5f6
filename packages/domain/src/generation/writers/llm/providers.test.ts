import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidError } from "../../../errors";
import { createWriter, validateWriterConfig } from "../create-writer";
import { WriterFailedError } from "../writer";
import { ChatCompletionsServer, completion, providerError, type Reply } from "../../../testing/chat-completions-server";
import { BRIEF, HIGH_CONCEPT, recordingCall, sceneInput } from "../../../testing/llm-fixtures";
import { LlmWriter } from "./llm-writer";
import { FREE } from "./prices";

const API_KEY = "sk-test-0123456789abcdef";

let server: ChatCompletionsServer;
let baseUrl: string;

beforeEach(async () => {
  server = new ChatCompletionsServer();
  baseUrl = await server.start();
});

afterEach(async () => {
  await server.stop();
});

function compatibleWriter() {
  return createWriter({ provider: "openai-compatible", model: "test-model", base_url: baseUrl }, { llmApiKey: API_KEY });
}

/** An OpenAI-compatible writer with its own retry policy, at `url` (the test server by default). */
function writerWithRetries(retries: { maxRetries: number; attemptTimeoutMs: number }, url = baseUrl, send?: typeof fetch) {
  return new LlmWriter({
    provider: "openai-compatible",
    model: createOpenAICompatible({ name: "openai-compatible", baseURL: url, ...(send ? { fetch: send } : {}) }).chatModel("test-model"),
    modelId: "test-model",
    price: FREE,
    label: `the OpenAI-compatible server at ${url}`,
    keySource: "SCRIPTORIUM_LLM_API_KEY",
    retryPolicy: { initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, ...retries },
  });
}

describe("the OpenAI-compatible writer over HTTP", () => {
  it("asks for a planning stage with a json_schema response format and parses the answer", async () => {
    server.reply(completion(JSON.stringify(HIGH_CONCEPT)));
    const call = recordingCall();
    const result = await compatibleWriter().highConcept(BRIEF, call);

    expect(result).toEqual(HIGH_CONCEPT);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.body.model).toBe("test-model");
    expect(request?.body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { schema: { type: "object", required: expect.arrayContaining(["logline", "narrative_voice"]) } },
    });
    expect(JSON.stringify(request?.body.messages)).toContain(BRIEF.title);
    // An unlisted model on a local server costs nothing.
    expect(call.usages).toEqual([{ input_tokens: 120, output_tokens: 30, cost_usd: 0 }]);
  });

  it("drafts a scene as plain text", async () => {
    server.reply(completion('The clock ran fast.\n"Late again," Silas said.'));
    const text = await compatibleWriter().draftScene(sceneInput(), recordingCall());

    expect(text).toBe("The clock ran fast.\n\n“Late again,” Silas said.");
    expect(server.requests[0]?.body.response_format).toBeUndefined();
  });

  it("waits out a 429 with Retry-After and succeeds on the second request", async () => {
    server.reply(providerError(429, "Rate limit reached", { "retry-after": "0" }), completion("She waited."));
    const call = recordingCall();

    expect(await compatibleWriter().draftScene(sceneInput(), call)).toBe("She waited.");
    expect(server.requests).toHaveLength(2);
    expect(call.usages).toHaveLength(1);
  });

  it("retries a 500 with backoff", async () => {
    server.reply(providerError(500, "upstream crashed"), completion("She waited."));

    expect(await compatibleWriter().draftScene(sceneInput(), recordingCall())).toBe("She waited.");
    expect(server.requests).toHaveLength(2);
  });

  it("fails at once on a 401 with a message that names the provider and status but not the key", async () => {
    server.reply(providerError(401, `Incorrect API key provided: ${API_KEY}.`), completion("never sent"));
    const failure = compatibleWriter().draftScene(sceneInput(), recordingCall());

    await expect(failure).rejects.toBeInstanceOf(WriterFailedError);
    const error = (await failure.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain("OpenAI-compatible server at http://127.0.0.1");
    expect(error.message).toContain("HTTP 401");
    expect(error.message).toContain("SCRIPTORIUM_LLM_API_KEY");
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).not.toContain(API_KEY.slice(3));
    expect(server.requests).toHaveLength(1);
  });

  it("fails at once on a 400 and passes on the provider's explanation", async () => {
    server.reply(providerError(400, "max_tokens is too large for this model"));
    const failure = compatibleWriter().draftScene(sceneInput(), recordingCall());

    await expect(failure).rejects.toThrow(/HTTP 400.*max_tokens is too large/);
    expect(server.requests).toHaveLength(1);
  });

  it("stops a request in flight when the signal aborts", async () => {
    server.reply({ status: 200, hang: true });
    const controller = new AbortController();
    const started = Date.now();
    const failure = compatibleWriter().draftScene(sceneInput(), recordingCall({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);

    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requests).toHaveLength(1);
  });

  it("gives up an attempt the server never answers, retries it, and reports the timeout", async () => {
    server.reply({ status: 0, hang: true }, { status: 0, hang: true });
    const writer = writerWithRetries({ maxRetries: 1, attemptTimeoutMs: 200 });
    const started = Date.now();

    await expect(writer.draftScene(sceneInput(), recordingCall())).rejects.toThrow(/did not answer within 0.2 s.*2 attempts/);
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("times an attempt out even when garbage is collected while it waits", async () => {
    // On Node 20 a collection could take away an AbortSignal.timeout held only by AbortSignal.any (nodejs/node#57736).
    setFlagsFromString("--expose-gc");
    const collectGarbage = runInNewContext("gc") as () => void;
    server.reply({ status: 0, hang: true });
    const writer = writerWithRetries({ maxRetries: 0, attemptTimeoutMs: 300 });
    const collecting = setInterval(collectGarbage, 20);
    try {
      await expect(writer.draftScene(sceneInput(), recordingCall())).rejects.toThrow(/did not answer within 0.3 s/);
    } finally {
      clearInterval(collecting);
    }
  }, 10_000);

  it("retries when the server cannot be reached, then gives up", async () => {
    const closed = new ChatCompletionsServer();
    const unreachableUrl = await closed.start();
    await closed.stop();
    let attempts = 0;
    const countingFetch: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const writer = writerWithRetries({ maxRetries: 2, attemptTimeoutMs: 5_000 }, unreachableUrl, countingFetch);

    await expect(writer.draftScene(sceneInput(), recordingCall())).rejects.toThrow(/Could not reach the OpenAI-compatible server.*3 attempts/);
    expect(attempts).toBe(3);
  });
});

describe("the OpenAI writer over HTTP", () => {
  it("speaks chat completions with a strict json_schema and prices the usage", async () => {
    server.reply(completion(JSON.stringify(HIGH_CONCEPT), 1_000, 2_000));
    const call = recordingCall();
    const writer = createWriter({ provider: "openai", model: null, base_url: baseUrl }, { openaiApiKey: API_KEY });

    expect(await writer.highConcept(BRIEF, call)).toEqual(HIGH_CONCEPT);
    const [request] = server.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body.model).toBe("gpt-4o-mini");
    expect(request?.body.response_format).toMatchObject({ type: "json_schema", json_schema: { strict: true } });
    // gpt-4o-mini: 1 000 × $0.15/M + 2 000 × $0.60/M.
    expect(call.usages).toHaveLength(1);
    expect(call.usages[0]?.cost_usd).toBeCloseTo(0.00135, 10);
  });
});

describe("the Anthropic writer over HTTP", () => {
  function message(text: string, inputTokens: number, outputTokens: number): Reply {
    return {
      status: 200,
      body: {
        id: "msg_test",
        type: "message",
        role: "assistant",
        model: "claude-haiku-4-5",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      },
    };
  }

  function anthropicWriter() {
    return createWriter({ provider: "anthropic", model: null, base_url: baseUrl }, { anthropicApiKey: API_KEY });
  }

  it("speaks the Messages API with a JSON Schema output format and prices the usage", async () => {
    server.reply(message(JSON.stringify(HIGH_CONCEPT), 1_000, 2_000));
    const call = recordingCall();

    expect(await anthropicWriter().highConcept(BRIEF, call)).toEqual(HIGH_CONCEPT);
    const [request] = server.requests;
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers["x-api-key"]).toBe(API_KEY);
    expect(request?.body.model).toBe("claude-haiku-4-5");
    expect(request?.body.output_config).toMatchObject({ format: { type: "json_schema" } });
    // claude-haiku-4-5: 1 000 × $1/M + 2 000 × $5/M.
    expect(call.usages[0]?.cost_usd).toBeCloseTo(0.011, 10);
  });

  it("names Anthropic and its key variable when the key is rejected", async () => {
    server.reply({ status: 401, body: { type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${API_KEY}` } } });
    const failure = anthropicWriter().draftScene(sceneInput(), recordingCall());

    await expect(failure).rejects.toThrow("Anthropic (http://127.0.0.1");
    await expect(failure).rejects.toThrow(/HTTP 401\). Check ANTHROPIC_API_KEY/);
    expect(server.requests).toHaveLength(1);
  });
});

describe("createWriter and validateWriterConfig", () => {
  function invalidFields(run: () => unknown): string[] {
    try {
      run();
    } catch (error) {
      if (error instanceof InvalidError) return error.fields.map((field) => field.path.join("."));
      throw error;
    }
    throw new Error("expected an InvalidError");
  }

  it("gives the offline writer without any settings", () => {
    expect(createWriter({ provider: "offline", model: null, base_url: null }, {}).provider).toBe("offline");
  });

  it("needs an API key for OpenAI and Anthropic", () => {
    expect(invalidFields(() => createWriter({ provider: "openai", model: null, base_url: null }, {}))).toEqual(["writer.provider"]);
    expect(invalidFields(() => validateWriterConfig({ provider: "anthropic", model: null, base_url: null }, { openaiApiKey: API_KEY }))).toEqual([
      "writer.provider",
    ]);
    expect(createWriter({ provider: "anthropic", model: null, base_url: null }, { anthropicApiKey: API_KEY }).provider).toBe("anthropic");
  });

  it("needs a base URL and a model for an OpenAI-compatible server", () => {
    expect(invalidFields(() => validateWriterConfig({ provider: "openai-compatible", model: null, base_url: null }, {}))).toEqual([
      "writer.base_url",
      "writer.model",
    ]);
    expect(() => validateWriterConfig({ provider: "openai-compatible", model: "llama3.1", base_url: null }, { llmBaseUrl: "http://127.0.0.1:11434/v1" })).not.toThrow();
  });

  it("rejects a malformed base URL and an unknown provider", () => {
    expect(invalidFields(() => validateWriterConfig({ provider: "openai-compatible", model: "m", base_url: "ftp://example" }, {}))).toEqual(["writer.base_url"]);
    const unknown = { provider: "parrot", model: null, base_url: null } as unknown as Parameters<typeof validateWriterConfig>[0];
    expect(invalidFields(() => validateWriterConfig(unknown, {}))).toEqual(["writer.provider"]);
  });

  it("explains what to set", () => {
    expect(() => validateWriterConfig({ provider: "openai", model: null, base_url: null }, {})).toThrow(/OPENAI_API_KEY/);
    expect(() => validateWriterConfig({ provider: "openai-compatible", model: "m", base_url: null }, {})).toThrow(/SCRIPTORIUM_LLM_BASE_URL/);
  });
});
