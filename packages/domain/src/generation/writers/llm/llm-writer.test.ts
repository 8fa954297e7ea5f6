import { MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { BeatSheetSchema, CastSchema, HighConceptSchema, OutlineSchema, WorldSchema } from "../../outputs";
import { BudgetExhaustedError, WriterFailedError } from "../writer";
import { BEATS, BRIEF, CAST, HIGH_CONCEPT, OUTLINE, WORLD, recordingCall, sceneInput } from "../../../testing/llm-fixtures";
import { LlmWriter } from "./llm-writer";
import type { ModelPrice } from "./prices";

type GenerateOptions = MockLanguageModelV3["doGenerateCalls"][number];

/** $1 per million input tokens and $2 per million output tokens: easy to check by hand. */
const PRICE: ModelPrice = { inputPerMillion: 1, outputPerMillion: 2 };
const FAST_RETRIES = { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5, attemptTimeoutMs: 5_000 };

function answer(text: string, inputTokens = 100, outputTokens = 50) {
  return {
    content: [{ type: "text" as const, text }],
    finishReason: { unified: "stop" as const, raw: undefined },
    usage: {
      inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
    },
    warnings: [],
  };
}

/** A model that gives these answers in turn (the last one again when they run out). */
function modelAnswering(...texts: string[]): MockLanguageModelV3 {
  let next = 0;
  return new MockLanguageModelV3({
    modelId: "mock-model",
    doGenerate: async () => answer(texts[Math.min(next++, texts.length - 1)] ?? ""),
  });
}

function writerFor(model: MockLanguageModelV3): LlmWriter {
  return new LlmWriter({
    provider: "openai-compatible",
    model,
    modelId: "mock-model",
    price: PRICE,
    label: "the mock server",
    keySource: "SCRIPTORIUM_LLM_API_KEY",
    retryPolicy: FAST_RETRIES,
  });
}

/** Everything the model was sent, system and user messages together. */
function promptText(options: GenerateOptions | undefined): string {
  if (!options) throw new Error("the model was not called");
  return options.prompt
    .map((message) =>
      typeof message.content === "string"
        ? message.content
        : message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join(""),
    )
    .join("\n");
}

describe("LlmWriter planning stages", () => {
  it("writes the high concept from the brief, as structured output", async () => {
    const model = modelAnswering(JSON.stringify(HIGH_CONCEPT));
    const call = recordingCall();
    const result = await writerFor(model).highConcept(BRIEF, call);

    expect(HighConceptSchema.parse(result)).toEqual(HIGH_CONCEPT);
    const sent = model.doGenerateCalls[0];
    expect(sent?.responseFormat?.type).toBe("json");
    expect(sent?.maxOutputTokens).toBeGreaterThan(0);
    const prompt = promptText(sent);
    for (const fact of [BRIEF.title, BRIEF.synopsis, BRIEF.protagonist, BRIEF.genre, BRIEF.tone]) expect(prompt).toContain(fact);
  });

  it("carries the high concept into world building", async () => {
    const model = modelAnswering(JSON.stringify(WORLD));
    const result = await writerFor(model).worldBuilding(BRIEF, { highConcept: HIGH_CONCEPT }, recordingCall());

    expect(WorldSchema.parse(result)).toEqual(WORLD);
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(prompt).toContain(BRIEF.synopsis);
    expect(prompt).toContain(HIGH_CONCEPT.logline);
    expect(prompt).toContain(HIGH_CONCEPT.core_conflict);
  });

  it("carries the high concept and the world into the beat sheet", async () => {
    const model = modelAnswering(JSON.stringify(BEATS));
    const result = await writerFor(model).beatSheet(BRIEF, { highConcept: HIGH_CONCEPT, world: WORLD }, recordingCall());

    expect(BeatSheetSchema.parse(result)).toEqual(BEATS);
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(prompt).toContain(HIGH_CONCEPT.premise);
    expect(prompt).toContain(WORLD.setting.name);
    expect(prompt).toContain("Harbour Office");
    expect(prompt).toContain(`exactly ${BRIEF.chapters} numbers`);
  });

  it("carries everything so far into the characters", async () => {
    const model = modelAnswering(JSON.stringify(CAST));
    const result = await writerFor(model).characters(BRIEF, { highConcept: HIGH_CONCEPT, world: WORLD, beats: BEATS }, recordingCall());

    expect(CastSchema.parse(result)).toEqual(CAST);
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(prompt).toContain("Midpoint flood");
    expect(prompt).toContain(WORLD.rules[0]);
    expect(prompt).toContain(`The protagonist is ${BRIEF.protagonist}`);
  });

  it("carries the whole plan into the outline and numbers it in order", async () => {
    // Scenes numbered across the book, as models sometimes do.
    const numberedAcross = {
      chapters: OUTLINE.chapters.map((chapter, chapterIndex) => ({
        ...chapter,
        number: chapterIndex + 7,
        scenes: chapter.scenes.map((scene, sceneIndex) => ({ ...scene, number: chapterIndex * 2 + sceneIndex + 1 })),
      })),
    };
    const model = modelAnswering(JSON.stringify(numberedAcross));
    const result = await writerFor(model).sceneOutline(BRIEF, { highConcept: HIGH_CONCEPT, world: WORLD, beats: BEATS, cast: CAST }, recordingCall());

    expect(OutlineSchema.parse(result)).toEqual(OUTLINE);
    const prompt = promptText(model.doGenerateCalls[0]);
    for (const fact of [HIGH_CONCEPT.logline, WORLD.setting.name, "Board confrontation", "Silas Venn", "ledger-precise"]) expect(prompt).toContain(fact);
    expect(prompt).toContain(`exactly ${BRIEF.chapters} chapters`);
    expect(prompt).toContain(`exactly ${BRIEF.scenes_per_chapter} scenes`);
  });

  it("keeps planning prompts bounded however long the synopsis", async () => {
    const model = modelAnswering(JSON.stringify(HIGH_CONCEPT));
    await writerFor(model).highConcept({ ...BRIEF, synopsis: "tide ".repeat(50_000) }, recordingCall());
    expect(promptText(model.doGenerateCalls[0]).length).toBeLessThan(8_000);
  });

  it("states the JSON Schema in the prompt when asked to", async () => {
    const model = modelAnswering(JSON.stringify(HIGH_CONCEPT));
    const writer = new LlmWriter({
      provider: "openai-compatible",
      model,
      modelId: "mock-model",
      price: PRICE,
      label: "the mock server",
      keySource: "SCRIPTORIUM_LLM_API_KEY",
      describeSchemaInPrompt: true,
    });
    await writer.highConcept(BRIEF, recordingCall());
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(prompt).toContain("JSON Schema");
    expect(prompt).toContain('"narrative_voice"');
  });

  it("asks again when the answer does not fit the schema, and pays for both requests", async () => {
    const model = modelAnswering('{"logline": "half an answer"}', JSON.stringify(HIGH_CONCEPT));
    const call = recordingCall();
    const result = await writerFor(model).highConcept(BRIEF, call);

    expect(result).toEqual(HIGH_CONCEPT);
    expect(model.doGenerateCalls).toHaveLength(2);
    expect(call.usages).toHaveLength(2);
  });

  it("fails with WriterFailedError when the answers never fit", async () => {
    const model = modelAnswering("not json at all");
    const failure = writerFor(model).highConcept(BRIEF, recordingCall());
    await expect(failure).rejects.toBeInstanceOf(WriterFailedError);
    await expect(failure).rejects.toThrow(/expected shape.*3 attempts/);
    expect(model.doGenerateCalls).toHaveLength(FAST_RETRIES.maxRetries + 1);
  });
});

describe("LlmWriter scene stages", () => {
  it("drafts a scene from the voice, the scene plan, the POV character, the place and the previous scene's end", async () => {
    const model = modelAnswering('## Scene 2\n\nThe office smelt of damp.\n"Who is there?" Silas asked.\n\n* * *\n\nShe held her breath.');
    const text = await writerFor(model).draftScene(sceneInput(), recordingCall());

    expect(text).toBe("The office smelt of damp.\n\n“Who is there?” Silas asked.\n\nShe held her breath.");
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(model.doGenerateCalls[0]?.responseFormat?.type ?? "text").toBe("text");
    for (const fact of [
      HIGH_CONCEPT.narrative_voice.description, // the voice
      "read the register", // the scene's goal
      "Silas arrives", // its conflict
      "clear her father's name", // the POV character's sheet
      "a clock that runs fast", // the place
      "closed the ledger with the torn corner", // how the previous scene ended
      "about 1500 words",
    ]) {
      expect(prompt).toContain(fact);
    }
    // Only the scene's own place is described.
    expect(prompt).not.toContain("smell of paraffin");
  });

  it("keeps scene prompts bounded however long the previous scene", async () => {
    const model = modelAnswering("She waited.");
    const input = { ...sceneInput(), previousText: "The sea kept on. ".repeat(20_000) };
    await writerFor(model).draftScene(input, recordingCall());
    expect(promptText(model.doGenerateCalls[0]).length).toBeLessThan(8_000);
  });

  it.each([
    ["self_refine", "clarity and rhythm"],
    ["dialogue_pass", "subtext"],
    ["voice_pass", HIGH_CONCEPT.narrative_voice.description],
    ["motif_infusion", "brass compass"],
  ] as const)("revises the whole scene in the %s", async (stage, instruction) => {
    const draft = "Ines climbed the stairs.\n\n“Nobody,” she said.";
    const model = modelAnswering("Ines took the stairs two at a time.\n\n“Nobody,” she lied.");
    const text = await writerFor(model).reviseScene(stage, sceneInput(draft), recordingCall());

    expect(text).toBe("Ines took the stairs two at a time.\n\n“Nobody,” she lied.");
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(prompt).toContain(draft);
    expect(prompt).toContain(instruction);
  });

  it("audits a scene against the plan and returns the fixed text with its issues located", async () => {
    const fixed = { text: "Silas Venn opened the door.", issues: [{ kind: "name", description: "Silas was called Simon", fix: "Simon → Silas" }] };
    const model = modelAnswering(JSON.stringify(fixed));
    const result = await writerFor(model).auditScene(sceneInput("Simon Venn opened the door."), recordingCall());

    expect(result).toEqual({ text: "Silas Venn opened the door.", issues: [{ chapter: 1, scene: 2, ...fixed.issues[0] }] });
    expect(model.doGenerateCalls[0]?.responseFormat?.type).toBe("json");
    const prompt = promptText(model.doGenerateCalls[0]);
    expect(prompt).toContain("Simon Venn opened the door.");
    expect(prompt).toContain("Silas Venn: antagonist");
    expect(prompt).toContain(WORLD.rules[0]);
  });

  it("asks again when the audit comes back without the scene", async () => {
    const model = modelAnswering(JSON.stringify({ text: " ", issues: [] }), JSON.stringify({ text: "She waited.", issues: [] }));
    const result = await writerFor(model).auditScene(sceneInput("She waited."), recordingCall());
    expect(result).toEqual({ text: "She waited.", issues: [] });
    expect(model.doGenerateCalls).toHaveLength(2);
  });

  it("asks again when the model answers with no text", async () => {
    const model = modelAnswering("   ", "She waited.");
    const call = recordingCall();
    expect(await writerFor(model).draftScene(sceneInput(), call)).toBe("She waited.");
    expect(model.doGenerateCalls).toHaveLength(2);
    expect(call.usages).toHaveLength(2);
  });
});

describe("LlmWriter usage and budget", () => {
  it("reports the tokens and cost of each request", async () => {
    const model = new MockLanguageModelV3({ doGenerate: async () => answer("She waited.", 1_000, 500) });
    const call = recordingCall();
    await writerFor(model).draftScene(sceneInput(), call);
    await writerFor(model).draftScene(sceneInput(), call);

    // 1 000 × $1/M + 500 × $2/M = $0.002 per request.
    expect(call.usages).toEqual([
      { input_tokens: 1_000, output_tokens: 500, cost_usd: 0.002 },
      { input_tokens: 1_000, output_tokens: 500, cost_usd: 0.002 },
    ]);
  });

  it("refuses a request whose worst case exceeds the remaining budget, without sending it", async () => {
    const model = modelAnswering(JSON.stringify(HIGH_CONCEPT));
    const call = recordingCall({ remainingBudgetUsd: 0.0001 });
    const failure = writerFor(model).highConcept(BRIEF, call);

    await expect(failure).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(model.doGenerateCalls).toHaveLength(0);
    expect(call.usages).toHaveLength(0);
  });

  it("sends a request the remaining budget covers", async () => {
    const model = modelAnswering(JSON.stringify(HIGH_CONCEPT));
    // Worst case: about 500 prompt tokens and 2 000 output tokens, well under a cent.
    await writerFor(model).highConcept(BRIEF, recordingCall({ remainingBudgetUsd: 0.01 }));
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  it("checks the budget again before a retry", async () => {
    const model = modelAnswering("not json", JSON.stringify(HIGH_CONCEPT));
    let remaining = 0.01;
    const call = { ...recordingCall(), onUsage: () => (remaining = 0), remainingBudgetUsd: () => remaining };

    await expect(writerFor(model).highConcept(BRIEF, call)).rejects.toBeInstanceOf(BudgetExhaustedError);
    expect(model.doGenerateCalls).toHaveLength(1);
  });
});

describe("LlmWriter abort", () => {
  /** A model that answers only after a minute, unless its request is aborted. */
  function slowModel(): MockLanguageModelV3 {
    return new MockLanguageModelV3({
      doGenerate: (options) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => resolve(answer("Too late.")), 60_000);
          options.abortSignal?.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(options.abortSignal?.reason);
          });
        }),
    });
  }

  it("stops a slow request as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const failure = writerFor(slowModel()).draftScene(sceneInput(), recordingCall({ signal: controller.signal }));

    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("rejects with an AbortError whatever reason the signal carries", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("paused by the user")), 20);
    const failure = writerFor(slowModel()).highConcept(BRIEF, recordingCall({ signal: controller.signal }));
    await expect(failure).rejects.toMatchObject({ name: "AbortError" });
  });

  it("sends nothing when the signal has already aborted", async () => {
    const model = modelAnswering("She waited.");
    const controller = new AbortController();
    controller.abort();
    await expect(writerFor(model).draftScene(sceneInput(), recordingCall({ signal: controller.signal }))).rejects.toMatchObject({ name: "AbortError" });
    expect(model.doGenerateCalls).toHaveLength(0);
  });
});
