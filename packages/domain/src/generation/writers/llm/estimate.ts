import type { z } from "zod";
import type { RewriteFrom } from "@scriptorium/contract";
import { BeatSheetSchema, CastSchema, HighConceptSchema, OutlineSchema, WorldSchema } from "../../outputs";
import type { Stage } from "../../stages";
import type { ProjectBrief, SceneRef, StoryPlan } from "../writer";
import { AuditAnswerSchema, TOKENS_PER_WORD, withSchemaDescription } from "./llm-writer";
import { estimateTokens } from "./prices";
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

/** What one stage's model requests are expected to take and give. */
export interface LlmEstimate {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface LlmEstimateInput {
  brief: ProjectBrief;
  /** The planning stages' outputs the prompts carry: the stored ones, or stand-ins of the same kind where a stage is still to be written. */
  plan: StoryPlan;
  /** Scene stages: the scenes the stage writes. */
  scenes: readonly SceneRef[];
  /** The writer repeats each structured answer's schema in its prompt (OpenAI-compatible servers). */
  describeSchemaInPrompt: boolean;
  /** Set for a rewrite, whose stage 6 redrafts (or revises) its scenes with the rewrite prompt instead of drafting them. */
  rewriteFrom: RewriteFrom | null;
}

/**
 * Every scene after the first carries the end of the one before; a scene is
 * longer than the allowance, so the allowance is what a prompt spends.
 * (prompts.ts clips the previous scene to this length.)
 */
const PREVIOUS_SCENE_STAND_IN = "…".repeat(1_500);

/** A rewrite's prompt carries the opening of the scene after it, clipped to the same length; the instruction is the writer's, not known to a plan. */
const NEXT_SCENE_STAND_IN = PREVIOUS_SCENE_STAND_IN;

/** The issues the continuity audit lists besides the scene, as a rule a handful of short entries. */
const AUDIT_ISSUES_TOKENS = 200;

function promptTokens(prompt: Prompt): number {
  return estimateTokens(prompt.system.length + prompt.prompt.length);
}

function sceneTokens(words: number): number {
  return Math.ceil(words * TOKENS_PER_WORD);
}

/**
 * The tokens a stage's requests are expected to take (the prompts the LLM
 * writer builds, from the same prompt functions) and to give back (the
 * planning stage's document as long as the plan's; each scene as long as
 * the outline plans it).
 */
export function estimateLlmStage(stage: Stage, input: LlmEstimateInput): LlmEstimate {
  const { brief, plan } = input;
  const structured = (prompt: Prompt, schema: z.ZodType, answer: unknown): LlmEstimate => ({
    requests: 1,
    inputTokens: promptTokens(input.describeSchemaInPrompt ? withSchemaDescription(prompt, schema) : prompt),
    outputTokens: estimateTokens(JSON.stringify(answer).length),
  });
  switch (stage.key) {
    case "high_concept":
      return structured(highConceptPrompt(brief), HighConceptSchema, plan.highConcept);
    case "world_building":
      return structured(worldBuildingPrompt(brief, plan), WorldSchema, plan.world);
    case "beat_sheet":
      return structured(beatSheetPrompt(brief, plan), BeatSheetSchema, plan.beats);
    case "characters":
      return structured(charactersPrompt(brief, plan), CastSchema, plan.cast);
    case "scene_outline":
      return structured(sceneOutlinePrompt(brief, plan), OutlineSchema, plan.outline);
    case "output_validation":
      return { requests: 0, inputTokens: 0, outputTokens: 0 };
    default: {
      const firstChapter = plan.outline.chapters[0]?.number;
      const estimate: LlmEstimate = { requests: 0, inputTokens: 0, outputTokens: 0 };
      for (const ref of input.scenes) {
        const words = ref.scene.target_words;
        const previousText = ref.chapter === firstChapter && ref.scene.number === 1 ? null : PREVIOUS_SCENE_STAND_IN;
        // The scene's own text goes into revision prompts whole; it is counted by its length rather than built.
        const sceneInput = { brief, plan, ref, text: "", previousText };
        let prompt: Prompt;
        let textTokens = sceneTokens(words);
        let answerTokens = sceneTokens(words);
        if (stage.key === "scene_drafting" && input.rewriteFrom !== null) {
          prompt = rewritePrompt({ instruction: "", from: input.rewriteFrom, nextText: NEXT_SCENE_STAND_IN }, sceneInput);
          // A redraft writes without the scene's text; a revision reads it in.
          if (input.rewriteFrom === "draft") textTokens = 0;
        } else if (stage.key === "scene_drafting") {
          prompt = draftScenePrompt(sceneInput);
          textTokens = 0;
        } else if (stage.key === "continuity_audit") {
          const audit = auditPrompt(sceneInput);
          prompt = input.describeSchemaInPrompt ? withSchemaDescription(audit, AuditAnswerSchema) : audit;
          answerTokens += AUDIT_ISSUES_TOKENS;
        } else {
          prompt = revisionPrompt(stage.key, sceneInput);
        }
        estimate.requests += 1;
        estimate.inputTokens += promptTokens(prompt) + textTokens;
        estimate.outputTokens += answerTokens;
      }
      return estimate;
    }
  }
}
