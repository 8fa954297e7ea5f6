import { generateText, NoOutputGeneratedError, Output, type LanguageModel, type LanguageModelUsage } from "ai";
import { z } from "zod";
import {
  BeatSheetSchema,
  CastSchema,
  ContinuityIssueSchema,
  HighConceptSchema,
  OutlineSchema,
  WorldSchema,
  type BeatSheet,
  type Cast,
  type HighConcept,
  type Outline,
  type World,
} from "../../outputs";
import type { RevisionStageKey } from "../../stages";
import { countWords } from "../../quality";
import {
  BudgetExhaustedError,
  type AuditResult,
  type ProjectBrief,
  type SceneInput,
  type SceneRewrite,
  type StoryPlan,
  type Writer,
  type WriterCall,
  type WriterProvider,
} from "../writer";
import { judgeFailure, type FailureContext } from "./failures";
import { costUsd, worstCaseCostUsd, type ModelPrice } from "./prices";
import {
  auditPrompt,
  beatSheetPrompt,
  charactersPrompt,
  draftScenePrompt,
  highConceptPrompt,
  revisionPrompt,
  rewritePrompt,
  sceneOutlinePrompt,
  worldBuildingPrompt,
  type Prompt,
} from "./prompts";
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from "./retry";
import { normalizeSceneText } from "./scene-text";

/** A provider's model object; a bare model-id string would route through a hosted gateway, which we never use. */
export type ProviderModel = Exclude<LanguageModel, string>;

export interface LlmWriterOptions {
  provider: Exclude<WriterProvider, "offline">;
  model: ProviderModel;
  modelId: string;
  price: ModelPrice;
  /** The provider as users know it, for error messages: "OpenAI", "the OpenAI-compatible server at http://…". */
  label: string;
  /** Where the API key comes from, named when the provider rejects it. */
  keySource: string;
  /** Values never to show in an error message (the API key). */
  secrets?: readonly string[];
  /**
   * Repeat the expected JSON Schema in the prompt of structured stages, for
   * servers that may not enforce a response schema themselves.
   */
  describeSchemaInPrompt?: boolean;
  retryPolicy?: RetryPolicy;
}

/*
 * Output allowances per request. They bound what a request can cost (the
 * budget check counts every allowed token) and must stay within what common
 * models accept: 16 384 is the smallest maximum among the usual defaults.
 */
const MAX_OUTPUT_TOKENS = 16_384;
const PLANNING_OUTPUT_TOKENS = { highConcept: 2_000, world: 3_000, cast: 5_000 };
const OUTLINE_TOKENS_PER_SCENE = 250;
/** English prose runs at about 1.35 tokens per word; the margin leaves room for a longer scene than planned. */
export const TOKENS_PER_WORD = 1.35;
const SCENE_MARGIN = 1.5;
/** The audit also lists its findings. */
const AUDIT_EXTRA_TOKENS = 1_500;

function withinCap(tokens: number): number {
  return Math.min(MAX_OUTPUT_TOKENS, Math.ceil(tokens));
}

function sceneOutputTokens(words: number): number {
  return withinCap(Math.max(1_024, words * TOKENS_PER_WORD * SCENE_MARGIN));
}

/** What the audit answers; the chapter and scene numbers come from where the scene sits, not from the model. */
export const AuditAnswerSchema = z.object({
  // A refinement rather than minLength: not every provider's structured output accepts string-length keywords.
  text: z.string().refine((text) => text.trim() !== "", "the scene text is empty"),
  issues: z.array(ContinuityIssueSchema.pick({ kind: true, description: true, fix: true })),
});

/**
 * A writer backed by a language model through the AI SDK: structured output
 * for the planning stages, prose for the scene stages. Every request is
 * checked against the budget first, retried on transient failures, and its
 * usage reported.
 */
export class LlmWriter implements Writer {
  readonly provider: Exclude<WriterProvider, "offline">;
  private readonly model: ProviderModel;
  private readonly price: ModelPrice;
  private readonly describeSchemaInPrompt: boolean;
  private readonly retryPolicy: RetryPolicy;
  private readonly failureContext: FailureContext;

  constructor(options: LlmWriterOptions) {
    this.provider = options.provider;
    this.model = options.model;
    this.price = options.price;
    this.describeSchemaInPrompt = options.describeSchemaInPrompt ?? false;
    this.retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.failureContext = {
      label: options.label,
      modelId: options.modelId,
      keySource: options.keySource,
      secrets: options.secrets ?? [],
      attemptTimeoutMs: this.retryPolicy.attemptTimeoutMs,
    };
  }

  highConcept(brief: ProjectBrief, call: WriterCall): Promise<HighConcept> {
    return this.structured(HighConceptSchema, "high_concept", highConceptPrompt(brief), PLANNING_OUTPUT_TOKENS.highConcept, call);
  }

  worldBuilding(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept">, call: WriterCall): Promise<World> {
    return this.structured(WorldSchema, "world", worldBuildingPrompt(brief, earlier), PLANNING_OUTPUT_TOKENS.world, call);
  }

  beatSheet(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world">, call: WriterCall): Promise<BeatSheet> {
    // About 150 tokens a beat, and a few per chapter for the pacing curve.
    const tokens = withinCap(2_500 + brief.chapters * 10);
    return this.structured(BeatSheetSchema, "beat_sheet", beatSheetPrompt(brief, earlier), tokens, call);
  }

  characters(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world" | "beats">, call: WriterCall): Promise<Cast> {
    return this.structured(CastSchema, "cast", charactersPrompt(brief, earlier), PLANNING_OUTPUT_TOKENS.cast, call);
  }

  async sceneOutline(brief: ProjectBrief, earlier: Omit<StoryPlan, "outline">, call: WriterCall): Promise<Outline> {
    const scenes = brief.chapters * brief.scenes_per_chapter;
    const tokens = withinCap(1_000 + scenes * OUTLINE_TOKENS_PER_SCENE);
    const outline = await this.structured(OutlineSchema, "outline", sceneOutlinePrompt(brief, earlier), tokens, call);
    return renumbered(outline);
  }

  draftScene(input: SceneInput, call: WriterCall): Promise<string> {
    return this.prose(draftScenePrompt(input), sceneOutputTokens(input.ref.scene.target_words), call);
  }

  reviseScene(stage: Exclude<RevisionStageKey, "continuity_audit">, input: SceneInput, call: WriterCall): Promise<string> {
    return this.prose(revisionPrompt(stage, input), sceneOutputTokens(revisedLength(input)), call);
  }

  async auditScene(input: SceneInput, call: WriterCall): Promise<AuditResult> {
    const tokens = withinCap(sceneOutputTokens(revisedLength(input)) + AUDIT_EXTRA_TOKENS);
    const answer = await this.structured(AuditAnswerSchema, "continuity_audit", auditPrompt(input), tokens, call);
    return {
      text: normalizeSceneText(answer.text),
      issues: answer.issues.map((issue) => ({ chapter: input.ref.chapter, scene: input.ref.scene.number, ...issue })),
    };
  }

  rewriteScene(rewrite: SceneRewrite, input: SceneInput, call: WriterCall): Promise<string> {
    const words = rewrite.from === "revise" ? revisedLength(input) : input.ref.scene.target_words;
    return this.prose(rewritePrompt(rewrite, input), sceneOutputTokens(words), call);
  }

  private async structured<T>(schema: z.ZodType<T>, name: string, prompt: Prompt, maxOutputTokens: number, call: WriterCall): Promise<T> {
    const request = this.describeSchemaInPrompt ? withSchemaDescription(prompt, schema) : prompt;
    return this.send(request, maxOutputTokens, call, async (signal) => {
      const result = await generateText({
        ...this.requestSettings(request, maxOutputTokens, call, signal),
        output: Output.object({ schema, name }),
      });
      return result.output;
    });
  }

  private async prose(prompt: Prompt, maxOutputTokens: number, call: WriterCall): Promise<string> {
    return this.send(prompt, maxOutputTokens, call, async (signal) => {
      const result = await generateText(this.requestSettings(prompt, maxOutputTokens, call, signal));
      const text = normalizeSceneText(result.text);
      if (text === "") throw new NoOutputGeneratedError({ message: "The model answered without any text." });
      return text;
    });
  }

  /** What every request shares. The SDK's own retries are off: ours judge failures and wait abortably. */
  private requestSettings(prompt: Prompt, maxOutputTokens: number, call: WriterCall, signal: AbortSignal) {
    return {
      model: this.model,
      system: prompt.system,
      prompt: prompt.prompt,
      maxOutputTokens,
      maxRetries: 0,
      abortSignal: signal,
      // Called once per model request, before the answer is parsed: a malformed answer is paid for too.
      onStepFinish: ({ usage }: { usage: LanguageModelUsage }) => this.reportUsage(usage, call),
    };
  }

  /** Sends one logical request: checks the budget before every attempt and retries what can be retried. */
  private send<T>(prompt: Prompt, maxOutputTokens: number, call: WriterCall, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetries(
      async () => {
        this.checkBudget(prompt, maxOutputTokens, call);
        // Aborted by a pause or cancel, or when this attempt takes too long (then judged retryable, as a
        // TimeoutError like AbortSignal.timeout's). The timer holds its controller until the attempt ends:
        // Node 20 can collect an AbortSignal.timeout that only AbortSignal.any refers to before it fires
        // (nodejs/node#57736), and the attempt then never timed out.
        const attemptTimeout = new AbortController();
        const timer = setTimeout(
          () => attemptTimeout.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
          this.retryPolicy.attemptTimeoutMs,
        );
        try {
          return await attempt(AbortSignal.any([call.signal, attemptTimeout.signal]));
        } finally {
          clearTimeout(timer);
        }
      },
      { signal: call.signal, policy: this.retryPolicy, judge: (error) => judgeFailure(error, this.failureContext) },
    );
  }

  private checkBudget(prompt: Prompt, maxOutputTokens: number, call: WriterCall): void {
    const remaining = call.remainingBudgetUsd();
    if (remaining === null) return;
    const needed = worstCaseCostUsd(this.price, prompt.system.length + prompt.prompt.length, maxOutputTokens);
    if (needed > remaining) throw new BudgetExhaustedError(remaining, needed);
  }

  private reportUsage(usage: LanguageModelUsage, call: WriterCall): void {
    const inputTokens = usage.inputTokens ?? 0;
    const outputTokens = usage.outputTokens ?? 0;
    call.onUsage({ input_tokens: inputTokens, output_tokens: outputTokens, cost_usd: costUsd(this.price, inputTokens, outputTokens) });
  }
}

/** A revision is about as long as the text it revises, or the plan's length when that is longer. */
function revisedLength(input: SceneInput): number {
  return Math.max(input.ref.scene.target_words, countWords(input.text));
}

/** Chapters and scenes numbered in order from 1, whatever numbering the model used (some count scenes across the book). */
function renumbered(outline: Outline): Outline {
  return {
    chapters: outline.chapters.map((chapter, chapterIndex) => ({
      ...chapter,
      number: chapterIndex + 1,
      scenes: chapter.scenes.map((scene, sceneIndex) => ({ ...scene, number: sceneIndex + 1 })),
    })),
  };
}

export function withSchemaDescription(prompt: Prompt, schema: z.ZodType): Prompt {
  const jsonSchema = JSON.stringify(z.toJSONSchema(schema));
  return {
    system: prompt.system,
    prompt: `${prompt.prompt}\n\nAnswer with one JSON object, and nothing else, that matches this JSON Schema:\n${jsonSchema}`,
  };
}
