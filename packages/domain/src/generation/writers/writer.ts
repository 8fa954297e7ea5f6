import type { BeatSheet, Cast, ContinuityIssue, HighConcept, Outline, ScenePlan, World } from "../outputs";
import type { ProjectSettings, RewriteFrom, WriterProvider } from "@scriptorium/contract";
import type { RevisionStageKey } from "../stages";

export type { StageWriterSettings, WriterProvider, WriterSettings } from "@scriptorium/contract";

/**
 * What a writer knows about the project: everything the user set, with
 * defaults filled in (the scenes per chapter always a number) and without
 * the writer settings, which choose the writer rather than inform it.
 */
export type ProjectBrief = Omit<ProjectSettings, "scenes_per_chapter" | "writer"> & { scenes_per_chapter: number };

/** Tokens and money one writer call spent. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** Passed to every writer call. */
export interface WriterCall {
  /** Aborted when the job is paused or cancelled: an in-flight call stops at once. */
  signal: AbortSignal;
  /** Reports what a call spent, once per model request (retries included). */
  onUsage(usage: Usage): void;
  /**
   * Money still available to the job, or null without a budget. A writer
   * must throw BudgetExhaustedError instead of starting a request whose
   * worst case would spend more than this.
   */
  remainingBudgetUsd(): number | null;
}

/** The earlier stages' outputs, carried forward into every later stage. */
export interface StoryPlan {
  highConcept: HighConcept;
  world: World;
  beats: BeatSheet;
  cast: Cast;
  outline: Outline;
}

/** One scene, located in the outline. */
export interface SceneRef {
  chapter: number;
  chapterTitle: string;
  scene: ScenePlan;
}

/** What scene stages read: the plan, where the scene sits, and its text so far. */
export interface SceneInput {
  brief: ProjectBrief;
  plan: StoryPlan;
  ref: SceneRef;
  /** The scene's text after the previous stage; empty for drafting. */
  text: string;
  /** The text of the scene before this one after the same stage, when there is one (for continuity). */
  previousText: string | null;
}

/** What a writer asked a rewrite of a scene to do. */
export interface SceneRewrite {
  /** The writer's instruction, in their words. */
  instruction: string;
  /** `draft`: write the scene anew following it; `revise`: revise the scene's current text (the input's `text`) with it. */
  from: RewriteFrom;
  /** The current text of the scene after the rewritten part, when there is one (for continuity). */
  nextText: string | null;
}

export interface AuditResult {
  /** The scene with every fix applied. */
  text: string;
  issues: ContinuityIssue[];
}

/**
 * A writer produces every stage but the last (the quality report is
 * computed, not written). Scene text is plain prose: paragraphs separated by
 * one blank line, dialogue in typographic double quotes (“ ”), no headings
 * and no scene-break markers (scenes are kept apart by the manuscript).
 *
 * Writers are pure with respect to their inputs: the offline writer returns
 * byte-identical output for the same inputs, which is what makes pause,
 * resume and crash recovery produce the same manuscript.
 */
export interface Writer {
  readonly provider: WriterProvider;
  highConcept(brief: ProjectBrief, call: WriterCall): Promise<HighConcept>;
  worldBuilding(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept">, call: WriterCall): Promise<World>;
  beatSheet(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world">, call: WriterCall): Promise<BeatSheet>;
  characters(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world" | "beats">, call: WriterCall): Promise<Cast>;
  sceneOutline(brief: ProjectBrief, earlier: Omit<StoryPlan, "outline">, call: WriterCall): Promise<Outline>;
  draftScene(input: SceneInput, call: WriterCall): Promise<string>;
  /** Stages 7, 9, 10 and 11. */
  reviseScene(stage: Exclude<RevisionStageKey, "continuity_audit">, input: SceneInput, call: WriterCall): Promise<string>;
  /** Stage 8: finds inconsistencies against the plan and earlier scenes, and fixes them. */
  auditScene(input: SceneInput, call: WriterCall): Promise<AuditResult>;
  /** A rewrite's new draft or revision of one scene, in place of stage 6's text; the later stages then run over it as usual. */
  rewriteScene(rewrite: SceneRewrite, input: SceneInput, call: WriterCall): Promise<string>;
}

/** Thrown before a model request that could overspend the job's budget; the job pauses with reason `budget_exhausted`. */
export class BudgetExhaustedError extends Error {
  override name = "BudgetExhaustedError";
  constructor(
    readonly remainingUsd: number,
    readonly neededUsd: number,
  ) {
    super(`The budget has $${remainingUsd.toFixed(4)} left; the next request could cost up to $${neededUsd.toFixed(4)}.`);
  }
}

/**
 * A writer failure after its retries (or one that retrying cannot fix, such
 * as a rejected API key). The message is shown to users: it names the
 * provider and the cause, never a key.
 */
export class WriterFailedError extends Error {
  override name = "WriterFailedError";
}
