import { z } from "zod";
import { PROJECT_LIMITS } from "@scriptorium/contract";

/**
 * The typed output of every stage. Writers produce these, the database
 * stores them as JSON, the API returns them as they are: one schema per
 * concept, shared by the offline writer, the LLM writers (as structured
 * output schemas) and the router.
 */

export const HighConceptSchema = z.object({
  logline: z.string(),
  premise: z.string(),
  themes: z.array(z.string()).min(1),
  motifs: z.array(z.string()).min(1),
  core_conflict: z.string(),
  narrative_voice: z.object({
    person: z.enum(["first", "third"]),
    tense: z.enum(["past", "present"]),
    description: z.string(),
  }),
});
export type HighConcept = z.infer<typeof HighConceptSchema>;

export const WorldSchema = z.object({
  setting: z.object({ name: z.string(), era: z.string(), description: z.string() }),
  places: z.array(z.object({ name: z.string(), description: z.string() })).min(1),
  rules: z.array(z.string()),
  culture: z.array(z.string()),
});
export type World = z.infer<typeof WorldSchema>;

export const BeatSheetSchema = z.object({
  beats: z
    .array(
      z.object({
        act: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        name: z.string(),
        description: z.string(),
        /** Where the beat falls in the book, 0 (first page) to 1 (last). */
        position: z.number().min(0).max(1),
      }),
    )
    .min(3),
  /** Tension per chapter, 0 to 1, one value per chapter in order. */
  pacing_curve: z.array(z.number().min(0).max(1)),
});
export type BeatSheet = z.infer<typeof BeatSheetSchema>;

const CharacterSchema = z.object({
  name: z.string(),
  role: z.string(),
  goal: z.string(),
  arc: z.string(),
  voice: z.string(),
  traits: z.array(z.string()),
  relationships: z.array(z.object({ with: z.string(), kind: z.string() })),
});
export type Character = z.infer<typeof CharacterSchema>;

export const CastSchema = z.object({ cast: z.array(CharacterSchema).min(2) });
export type Cast = z.infer<typeof CastSchema>;

const ScenePlanSchema = z.object({
  /** 1-based within its chapter. */
  number: z.number().int().min(1),
  pov: z.string(),
  place: z.string(),
  goal: z.string(),
  conflict: z.string(),
  outcome: z.string(),
  target_words: z.number().int().min(1),
});
export type ScenePlan = z.infer<typeof ScenePlanSchema>;

export const OutlineSchema = z.object({
  chapters: z
    .array(
      z.object({
        number: z.number().int().min(1),
        title: z.string(),
        scenes: z.array(ScenePlanSchema).min(1),
      }),
    )
    .min(1),
});
export type Outline = z.infer<typeof OutlineSchema>;

export const ContinuityIssueSchema = z.object({
  chapter: z.number().int(),
  scene: z.number().int(),
  kind: z.enum(["name", "timeline", "fact"]),
  description: z.string(),
  /** What was changed in the text to resolve it. */
  fix: z.string(),
});
export type ContinuityIssue = z.infer<typeof ContinuityIssueSchema>;

export const QualityReportSchema = z.object({
  total_words: z.number().int(),
  target_words: z.number().int(),
  /** (total - target) / target. */
  deviation: z.number(),
  chapter_words: z.array(z.number().int()),
  /** Coefficient of variation of chapter lengths; 0 is perfectly even. */
  chapter_balance: z.number(),
  repetition: z.object({
    /** Share of word trigrams that occur more than once. */
    repeated_trigram_ratio: z.number(),
    /** The most repeated three-word phrases that say something (not "out of the"), most frequent first. */
    most_repeated: z.array(z.object({ phrase: z.string(), count: z.number().int() })),
    /**
     * Share of sentences longer than 20 characters whose text occurs exactly
     * once in the book; null in reports made before sentences were counted.
     */
    unique_sentence_ratio: z.number().nullable().default(null),
    /** The sentences longer than 20 characters that occur more than once, most frequent first (empty in reports made before they were counted). */
    most_repeated_sentences: z.array(z.object({ sentence: z.string(), count: z.number().int() })).default([]),
  }),
  readability: z.object({
    flesch_reading_ease: z.number(),
    average_sentence_words: z.number(),
  }),
  /** Share of words inside quotation marks. */
  dialogue_ratio: z.number(),
  warnings: z.array(z.string()),
});
export type QualityReport = z.infer<typeof QualityReportSchema>;

/** The documents of the planning stages (1–5), by stage number: what an edit of a stage must be. */
const PLANNING_DOCUMENTS: Readonly<Record<number, z.ZodObject>> = {
  1: HighConceptSchema,
  2: WorldSchema,
  3: BeatSheetSchema,
  4: CastSchema,
  5: OutlineSchema,
};

/** The shape of a book as its outline has it: chapters, and the scenes of each when they all have as many. */
export interface BookShape {
  chapters: number;
  /** Null when chapters have different numbers of scenes. */
  scenesPerChapter: number | null;
}

export function shapeOf(outline: Outline): BookShape {
  const counts = new Set(outline.chapters.map((chapter) => chapter.scenes.length));
  const [only] = counts;
  return { chapters: outline.chapters.length, scenesPerChapter: counts.size === 1 && only !== undefined ? only : null };
}

/** Scenes per chapter on average, whole and at least one: what writers plan with when chapters differ. */
export function averageScenesPerChapter(outline: Outline): number {
  const scenes = outline.chapters.reduce((total, chapter) => total + chapter.scenes.length, 0);
  return Math.max(1, Math.round(scenes / Math.max(1, outline.chapters.length)));
}

export interface DocumentProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Checks a planning stage's document as a writer sends it (exactly what
 * the stage's output is): the stage's schema, with no fields it does not
 * know, and for an outline the numbering the manuscript addresses scenes
 * by and the limits of a project. Returns the document, or the problems
 * with their paths inside it.
 */
export function checkStageDocument(stage: number, document: unknown): { output: unknown; problems: DocumentProblem[] } {
  const schema = PLANNING_DOCUMENTS[stage];
  if (!schema) throw new Error(`stage ${stage} has no document to edit`);
  const parsed = z.strictObject(schema.shape).safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue): DocumentProblem[] => {
      const path = issue.path.filter((key) => typeof key !== "symbol");
      // A field of another stage's document is named itself, not the object holding it.
      if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ path: [...path, key], message: "Not a field of this stage's document." }));
      return [{ path, message: issue.message }];
    });
    return { output: null, problems };
  }
  const problems = schema === OutlineSchema ? outlineProblems(parsed.data as Outline) : [];
  return { output: parsed.data, problems };
}

function outlineProblems(outline: Outline): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  if (outline.chapters.length > PROJECT_LIMITS.maxChapters) {
    problems.push({ path: ["chapters"], message: `A book has at most ${PROJECT_LIMITS.maxChapters} chapters.` });
  }
  outline.chapters.forEach((chapter, chapterIndex) => {
    if (chapter.number !== chapterIndex + 1) {
      problems.push({ path: ["chapters", chapterIndex, "number"], message: `Chapters are numbered 1, 2, 3… in order: expected ${chapterIndex + 1}.` });
    }
    if (chapter.scenes.length > PROJECT_LIMITS.maxScenesPerChapter) {
      problems.push({ path: ["chapters", chapterIndex, "scenes"], message: `A chapter has at most ${PROJECT_LIMITS.maxScenesPerChapter} scenes.` });
    }
    chapter.scenes.forEach((scene, sceneIndex) => {
      if (scene.number !== sceneIndex + 1) {
        problems.push({ path: ["chapters", chapterIndex, "scenes", sceneIndex, "number"], message: `Scenes are numbered 1, 2, 3… within their chapter: expected ${sceneIndex + 1}.` });
      }
    });
  });
  const words = outline.chapters.reduce((total, chapter) => total + chapter.scenes.reduce((sum, scene) => sum + scene.target_words, 0), 0);
  if (words > PROJECT_LIMITS.maxTargetWords) {
    problems.push({ path: ["chapters"], message: `The scenes' target_words add up to ${words}; a book has at most ${PROJECT_LIMITS.maxTargetWords} words.` });
  }
  return problems;
}
