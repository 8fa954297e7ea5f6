import { z } from "zod";
import { Id } from "./ids";

export const WRITER_PROVIDERS = ["offline", "openai", "anthropic", "openai-compatible"] as const;

export const WriterProvider = z.enum(WRITER_PROVIDERS).meta({
  id: "WriterProvider",
  description: "offline: deterministic, no network; openai / anthropic: their APIs (OPENAI_API_KEY, ANTHROPIC_API_KEY); openai-compatible: any server speaking OpenAI's chat API (base_url or SCRIPTORIUM_LLM_BASE_URL).",
});
export type WriterProvider = z.infer<typeof WriterProvider>;

export function isWriterProvider(value: string): value is WriterProvider {
  return (WRITER_PROVIDERS as readonly string[]).includes(value);
}

/** The bounds a project's size must fall within. */
export const PROJECT_LIMITS = {
  minTargetWords: 1_000,
  maxTargetWords: 500_000,
  maxChapters: 200,
  maxScenesPerChapter: 12,
  /** A scene shorter than this is not a scene. */
  minWordsPerScene: 100,
  maxSeed: 2 ** 31 - 1,
} as const;

export const DEFAULT_TARGET_WORDS = 60_000;
export const DEFAULT_SCENES_PER_CHAPTER = 3;

/** Typical chapter lengths by genre: thrillers run short chapters, fantasy and literary fiction long ones. */
const WORDS_PER_CHAPTER_BY_GENRE = {
  fantasy: 4_000,
  "science fiction": 3_500,
  mystery: 3_000,
  thriller: 2_500,
  romance: 3_000,
  horror: 3_000,
  literary: 4_000,
} as const satisfies Record<string, number>;
const DEFAULT_WORDS_PER_CHAPTER = 3_000;

/** The genres whose typical chapter length is known; any other genre is welcome too. */
export const KNOWN_GENRES = Object.keys(WORDS_PER_CHAPTER_BY_GENRE);

/** Own keys only: a genre named like an object's built-ins ("constructor") is not a known genre. */
function isKnownGenre(genre: string): genre is keyof typeof WORDS_PER_CHAPTER_BY_GENRE {
  return Object.hasOwn(WORDS_PER_CHAPTER_BY_GENRE, genre);
}

/** The chapter count a project gets when it names none: its length in the genre's typical chapters. */
export function defaultChapterCount(targetWords: number, genre: string): number {
  const key = genre.trim().toLowerCase();
  const perChapter = isKnownGenre(key) ? WORDS_PER_CHAPTER_BY_GENRE[key] : DEFAULT_WORDS_PER_CHAPTER;
  return Math.min(PROJECT_LIMITS.maxChapters, Math.max(1, Math.round(targetWords / perChapter)));
}

/** An integer that also reads from a query string or path segment ("12"); documented as the integer it is. */
export function integer(min: number, max: number) {
  return z
    .union([z.number(), z.string().trim().regex(/^-?\d+$/, "Expected a whole number").transform(Number)])
    .pipe(z.int().min(min).max(max))
    .meta({
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        delete jsonSchema.anyOf;
        Object.assign(jsonSchema, { type: "integer", minimum: min, maximum: max });
      },
    });
}

/** A boolean that also reads "true"/"false" from query strings (where a plain coercion would turn "false" into true). */
export const Flag = z.union([z.boolean(), z.stringbool()]);

// Text fields carry messages that read as advice: the dashboard shows them next to the field.

export const ModelId = z.string().trim().max(200, "Keep the model id to 200 characters or fewer.");
const BaseUrl = z.url({ protocol: /^https?$/, error: "Enter a URL starting with http:// or https://." }).max(500, "Keep the URL to 500 characters or fewer.");

export const WriterConfig = z
  .object({
    provider: WriterProvider,
    model: ModelId.min(1).nullable().meta({ description: "Model id; null for the provider's default" }),
    base_url: BaseUrl.nullable().meta({ description: "OpenAI-compatible servers only" }),
  })
  .meta({ id: "WriterConfig" });
export type WriterConfig = z.infer<typeof WriterConfig>;

const WriterConfigInput = z.object({
  provider: WriterProvider.default("offline"),
  model: WriterConfig.shape.model.optional().transform((value) => value ?? null),
  base_url: WriterConfig.shape.base_url.optional().transform((value) => value ?? null),
});

/** A project's text fields. */
export const ProjectFields = {
  title: z.string().trim().min(1, "Give the project a title.").max(200, "Keep the title to 200 characters or fewer."),
  author: z.string().trim().max(200, "Keep the author to 200 characters or fewer."),
  genre: z.string().trim().max(60, "Keep the genre to 60 characters or fewer.").meta({ description: `e.g. ${KNOWN_GENRES.join(", ")}` }),
  synopsis: z.string().trim().max(10_000, "Keep the synopsis to 10,000 characters or fewer."),
  protagonist: z.string().trim().max(100, "Keep the name to 100 characters or fewer.").meta({ description: "The protagonist's name; empty lets the writer choose" }),
  tone: z.string().trim().max(200, "Keep the tone to 200 characters or fewer."),
};

export const CreateProjectInput = z.object({
  title: ProjectFields.title,
  author: ProjectFields.author.optional(),
  genre: ProjectFields.genre.optional(),
  synopsis: ProjectFields.synopsis.optional(),
  protagonist: ProjectFields.protagonist.optional(),
  tone: ProjectFields.tone.optional(),
  target_words: integer(PROJECT_LIMITS.minTargetWords, PROJECT_LIMITS.maxTargetWords)
    .meta({ description: `Length of the book in words (${PROJECT_LIMITS.minTargetWords}–${PROJECT_LIMITS.maxTargetWords}); default 60 000` })
    .optional(),
  chapters: integer(1, PROJECT_LIMITS.maxChapters).meta({ description: "Default: derived from target_words and genre" }).optional(),
  scenes_per_chapter: integer(1, PROJECT_LIMITS.maxScenesPerChapter).meta({ description: "Default 3" }).optional(),
  writer: WriterConfigInput.optional(),
  seed: integer(0, PROJECT_LIMITS.maxSeed).meta({ description: "Same project and seed, same book (offline writer); default random, stored" }).optional(),
  budget_usd: z
    .number()
    .positive()
    .max(100_000)
    .nullable()
    .meta({ description: "LLM spending limit; the job pauses (budget_exhausted) before exceeding it" })
    .optional(),
});
export type CreateProjectInput = z.output<typeof CreateProjectInput>;

export const UpdateProjectInput = CreateProjectInput.partial().extend({ id: Id });
