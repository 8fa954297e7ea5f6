import { describeLanguage, projectWriterOf, WRITER_STAGE_NUMBERS, writerOfStage, type StageWriterSettings, type WriterSettings } from "@scriptorium/contract";
import { FREE, listedPrice, type ModelPrice } from "./llm/prices";

/** Used when a project names no model. */
export const DEFAULT_MODELS = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-4-5",
} as const;

/** The model a writer calls: the one it names, or its provider's default (none for the offline writer, and none for a server that names none). */
export function modelIdOf(writer: StageWriterSettings): string | null {
  switch (writer.provider) {
    case "offline":
      return null;
    case "openai":
    case "anthropic":
      return writer.model ?? DEFAULT_MODELS[writer.provider];
    case "openai-compatible":
      return writer.model;
  }
}

// Which writer runs a stage is shared with the dashboard, which says what a change of settings makes stale.
export { writerOfStage };

/** Where a writer's price comes from: the offline writer is free; a model's price is the project's own, or the price table's. */
export type PriceSource = "offline" | "project" | "table";

export interface WriterPrice {
  price: ModelPrice;
  source: PriceSource;
}

/** What a writer's model costs, and where that price comes from; null when neither the project nor the price table knows it. */
export function writerPrice(writer: StageWriterSettings): WriterPrice | null {
  if (writer.provider === "offline") return { price: FREE, source: "offline" };
  if (writer.price) return { price: { inputPerMillion: writer.price.input_per_mtok, outputPerMillion: writer.price.output_per_mtok }, source: "project" };
  const model = modelIdOf(writer);
  const listed = model === null ? null : listedPrice(model);
  return listed ? { price: listed, source: "table" } : null;
}

/** A writer of the project whose model has no known price, and where it is set. */
export interface UnpricedWriter {
  /** The writer's place in the project: `["writer"]` or `["writer", "stages", "6"]`. */
  path: string[];
  model: string;
  stages: number[];
}

/**
 * The writers of a project whose models have no known price: the project's
 * own writer (when some stage still uses it) and each stage writer. A budget
 * cannot count what they spend.
 */
export function unpricedWriters(writer: WriterSettings): UnpricedWriter[] {
  const unpriced: UnpricedWriter[] = [];
  const stagesOfProjectWriter = WRITER_STAGE_NUMBERS.filter((stage) => writer.stages?.[String(stage)] === undefined);
  if (stagesOfProjectWriter.length > 0 && writerPrice(projectWriterOf(writer)) === null) {
    unpriced.push({ path: ["writer"], model: modelIdOf(writer) ?? "(none)", stages: [...stagesOfProjectWriter] });
  }
  for (const [stage, own] of Object.entries(writer.stages ?? {})) {
    if (writerPrice(own) === null) unpriced.push({ path: ["writer", "stages", stage], model: modelIdOf(own) ?? "(none)", stages: [Number(stage)] });
  }
  return unpriced;
}

/** "openai gpt-4o-mini", "offline": a writer as messages name it. */
export function describeWriter(writer: StageWriterSettings): string {
  const model = modelIdOf(writer);
  return model ? `${writer.provider} ${model}` : writer.provider;
}

/** The primary language subtag: "pt" of "pt-BR". */
function primaryLanguage(tag: string): string {
  return (tag.split("-")[0] ?? tag).toLowerCase();
}

/**
 * What a user is told when the offline writer runs stages of a book in
 * another language: it writes English only. Null when nothing is amiss.
 */
export function offlineLanguageNote(writer: WriterSettings, language: string, stages: readonly number[]): string | null {
  if (primaryLanguage(language) === "en") return null;
  const offline = stages.filter((stage) => (WRITER_STAGE_NUMBERS as readonly number[]).includes(stage) && writerOfStage(writer, stage).provider === "offline");
  if (offline.length === 0) return null;
  const which = offline.length === 1 ? `stage ${offline[0]}` : `stages ${offline.join(", ")}`;
  return `The offline writer writes English: ${which} will be written in English, not ${describeLanguage(language)}. Choose an LLM writer for those stages to write in ${describeLanguage(language)}.`;
}
