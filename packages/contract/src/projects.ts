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

/** The genre of a project that names none. */
export const DEFAULT_GENRE = "literary";

/** A genre as a project keeps it: trimmed, and the default when blank. */
export function genreOrDefault(genre: string | undefined): string {
  return genre?.trim() || DEFAULT_GENRE;
}

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

/** The most a price may say, per million tokens: far above any model's, low enough to catch a price typed per token. */
const MAX_PRICE_PER_MTOK = 10_000;

function pricePerMillion(direction: "input" | "output") {
  return z
    .number()
    .min(0, `The ${direction} price cannot be negative.`)
    .max(MAX_PRICE_PER_MTOK, `Give the ${direction} price per million tokens (at most ${MAX_PRICE_PER_MTOK}).`);
}

/** What a model costs, in US dollars per million tokens. */
export const ModelPrice = z
  .object({
    input_per_mtok: pricePerMillion("input").meta({ description: "US dollars per million input (prompt) tokens" }),
    output_per_mtok: pricePerMillion("output").meta({ description: "US dollars per million output (answer) tokens" }),
  })
  .meta({ id: "ModelPrice" });
export type ModelPrice = z.infer<typeof ModelPrice>;

/** One writer: a provider, its model and server, and what the model costs when the price table does not know it. */
const WriterFields = {
  provider: WriterProvider,
  model: ModelId.min(1).nullable().meta({ description: "Model id; null for the provider's default" }),
  base_url: BaseUrl.nullable().meta({ description: "OpenAI-compatible servers only" }),
  price: ModelPrice.nullable().meta({ description: "What the model costs; null to take it from the price table (a budget needs a known price)" }),
};

/** The stages a writer of their own can run: every stage but the last, whose report is computed without a writer. */
export const WRITER_STAGE_NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const LAST_WRITER_STAGE = WRITER_STAGE_NUMBERS[WRITER_STAGE_NUMBERS.length - 1];

/** A key of `writer.stages`: a stage number, as JSON object keys are text. */
const StageNumberKey = z.string().regex(/^(?:[1-9]|1[01])$/);
const STAGE_KEY_MESSAGE = `Stage numbers 1 to ${LAST_WRITER_STAGE} can have a writer of their own (stage 12 computes its report without one).`;

/** A writer that runs some stages instead of the project's own writer. */
export const StageWriterConfig = z.object(WriterFields).meta({ id: "StageWriterConfig" });
export type StageWriterConfig = z.infer<typeof StageWriterConfig>;

/** A project's writer as the API shows it: every field present. */
export const WriterConfig = z
  .object({
    ...WriterFields,
    stages: z
      .record(StageNumberKey, StageWriterConfig)
      .meta({ description: "Writers for single stages, by stage number (1–11), in place of the project's writer: e.g. a strong model for the outline, a cheap one for the revisions" }),
  })
  .meta({ id: "WriterConfig" });
export type WriterConfig = z.infer<typeof WriterConfig>;

/** One writer as a request gives it: only the provider is needed (offline by default); a blank model or URL becomes null. */
const StageWriterInput = z.object({
  provider: WriterProvider.default("offline"),
  model: WriterFields.model.optional().transform((value) => value ?? null),
  base_url: WriterFields.base_url.optional().transform((value) => value ?? null),
  price: WriterFields.price.optional(),
});

/** A project's writer as a request gives it; it replaces the whole writer, stage writers included. */
const WriterConfigInput = StageWriterInput.extend({
  stages: z.record(StageNumberKey, StageWriterInput, { error: (issue) => (issue.code === "invalid_key" ? STAGE_KEY_MESSAGE : undefined) }).optional(),
});

/** A writer as requests give it and projects store it: no price and no stage writers when none were set. */
export type StageWriterSettings = z.output<typeof StageWriterInput>;
export type WriterSettings = z.output<typeof WriterConfigInput>;

/** The project's own writer, without the stage writers. */
export function projectWriterOf(writer: WriterSettings): StageWriterSettings {
  return { provider: writer.provider, model: writer.model, base_url: writer.base_url, price: writer.price };
}

/** The writer that runs one stage: the stage's own when `writer.stages` names one, else the project's. */
export function writerOfStage(writer: WriterSettings, stage: number): StageWriterSettings {
  return writer.stages?.[String(stage)] ?? projectWriterOf(writer);
}

/** The language a project is written in when it names none. */
export const DEFAULT_LANGUAGE = "en";

/** A well-formed BCP 47 tag in its canonical form ("en-US" for "EN-us"), or null. */
export function canonicalLanguageTag(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** A language tag as people read it: "French (fr)", "Brazilian Portuguese (pt-BR)"; the tag alone when it names no language Intl knows. */
export function describeLanguage(tag: string): string {
  const name = LANGUAGE_NAMES.of(tag);
  return name ? `${name} (${tag})` : tag;
}

/** A BCP 47 language tag, checked and written canonically. */
export const LanguageTag = z
  .string()
  .trim()
  .min(1, "Give a language tag such as en, fr or pt-BR.")
  .max(35, "Keep the language tag to 35 characters or fewer.")
  .refine((tag) => canonicalLanguageTag(tag) !== null, "Use a BCP 47 language tag such as en, fr or pt-BR.")
  .transform((tag) => canonicalLanguageTag(tag) ?? tag)
  .meta({ description: `BCP 47 language tag of the book (e.g. en, fr, pt-BR); default ${DEFAULT_LANGUAGE}` });

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
  language: LanguageTag.optional(),
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
