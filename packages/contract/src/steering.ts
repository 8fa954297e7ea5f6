import { z } from "zod";
import { Flag, integer } from "./projects";

/** Bounds of what a writer sends to steer a book. */
export const STEERING_LIMITS = {
  /** A rewrite's instruction. */
  instructionChars: 4_000,
  /** The text of one scene written by hand. */
  sceneTextChars: 200_000,
} as const;

/** Where a rewrite starts: a new draft of the part following the instruction, or a revision of its current text. */
export const REWRITE_FROM = ["draft", "revise"] as const;
export type RewriteFrom = (typeof REWRITE_FROM)[number];

/** What produced a text of a scene: a scene stage, an edit by hand, or a rewrite's new draft or revision. */
export const SCENE_TEXT_SOURCES = ["stage", "edit", "rewrite"] as const;
export type SceneTextSource = (typeof SCENE_TEXT_SOURCES)[number];

/** A request to rewrite one chapter, or one scene of it. */
export const RewriteRequest = z.object({
  chapter: integer(1, 10_000).meta({ description: "The chapter to rewrite (1-based)" }),
  scene: integer(1, 10_000).optional().meta({ description: "One scene of the chapter (1-based); the whole chapter when omitted" }),
  instruction: z
    .string()
    .trim()
    .min(1, "Say what the rewrite should change.")
    .max(STEERING_LIMITS.instructionChars, `Keep the instruction to ${STEERING_LIMITS.instructionChars.toLocaleString("en-US")} characters or fewer.`)
    .meta({ description: "What the rewrite should change, in the writer's words" }),
  from: z.enum(REWRITE_FROM).default("draft").meta({ description: "draft: write the part anew following the instruction (default); revise: revise its current text with it" }),
  force: Flag.optional().meta({ description: "Rewrite pinned scenes too (their pins are dropped); by default they are left as they are" }),
});
export type RewriteRequest = z.output<typeof RewriteRequest>;

/** The text a writer puts in place of a scene's latest text. */
export const SceneTextInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, "A scene needs some text.")
    .max(STEERING_LIMITS.sceneTextChars, `Keep a scene to ${STEERING_LIMITS.sceneTextChars.toLocaleString("en-US")} characters or fewer.`)
    .meta({ description: "Plain prose: paragraphs separated by a blank line" }),
});

/** A rewrite job as stored: the request, and the scenes it rewrites (the pinned ones left out unless forced). */
export interface RewriteJobSpec {
  chapter: number;
  scene: number | null;
  instruction: string;
  from: RewriteFrom;
  scenes: number[];
}
