/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** What the offline writer costs, and what a model without a known price counts as when the project has no budget. */
export const FREE: ModelPrice = { inputPerMillion: 0, outputPerMillion: 0 };

/** When the list prices below were last checked against the providers' pricing pages (docs/generation.md names the sources). */
export const PRICE_TABLE_DATE = "2026-12-06";

/**
 * Published list prices of current models (standard tier, short prompts,
 * no caching or batch discounts). Keys are model ids without a date
 * suffix, so a dated snapshot such as `gpt-4o-mini-2024-07-18` costs what
 * `gpt-4o-mini` costs. Gemini models are reached through Google's
 * OpenAI-compatible endpoint. Update this table, and PRICE_TABLE_DATE,
 * when providers change their prices; a project can always name its own
 * (`writer.price`).
 */
const PRICES: Readonly<Record<string, ModelPrice>> = {
  // OpenAI
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  "gpt-4.1": { inputPerMillion: 2, outputPerMillion: 8 },
  "gpt-4.1-mini": { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  "gpt-4.1-nano": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gpt-5": { inputPerMillion: 1.25, outputPerMillion: 10 },
  "gpt-5-mini": { inputPerMillion: 0.25, outputPerMillion: 2 },
  "gpt-5-nano": { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  "gpt-5.1": { inputPerMillion: 1.25, outputPerMillion: 10 },
  "gpt-5.4": { inputPerMillion: 2.5, outputPerMillion: 15 },
  "gpt-5.4-mini": { inputPerMillion: 0.75, outputPerMillion: 4.5 },
  "gpt-5.4-nano": { inputPerMillion: 0.2, outputPerMillion: 1.25 },
  "gpt-5.4-pro": { inputPerMillion: 30, outputPerMillion: 180 },
  "gpt-5.5": { inputPerMillion: 5, outputPerMillion: 30 },
  "gpt-5.5-pro": { inputPerMillion: 30, outputPerMillion: 180 },
  "o3": { inputPerMillion: 2, outputPerMillion: 8 },
  "o4-mini": { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  // Anthropic
  "claude-3-5-haiku": { inputPerMillion: 0.8, outputPerMillion: 4 },
  "claude-haiku-4-5": { inputPerMillion: 1, outputPerMillion: 5 },
  "claude-sonnet-4": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-sonnet-4-0": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-sonnet-4-5": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-sonnet-4-6": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-sonnet-5": { inputPerMillion: 2, outputPerMillion: 10 },
  "claude-sonnet-5-5": { inputPerMillion: 2, outputPerMillion: 10 },
  "claude-opus-4": { inputPerMillion: 15, outputPerMillion: 75 },
  "claude-opus-4-0": { inputPerMillion: 15, outputPerMillion: 75 },
  "claude-opus-4-1": { inputPerMillion: 15, outputPerMillion: 75 },
  "claude-opus-4-5": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-4-6": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-4-7": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-4-8": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-5": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-5-5": { inputPerMillion: 4, outputPerMillion: 20 },
  // Google (through its OpenAI-compatible endpoint; prompts up to 200 000 tokens)
  "gemini-2.5-flash-lite": { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  "gemini-2.5-flash": { inputPerMillion: 0.3, outputPerMillion: 2.5 },
  "gemini-2.5-pro": { inputPerMillion: 1.25, outputPerMillion: 10 },
  "gemini-3-flash": { inputPerMillion: 0.5, outputPerMillion: 3 },
  "gemini-3-flash-preview": { inputPerMillion: 0.5, outputPerMillion: 3 },
  "gemini-3.1-flash-lite": { inputPerMillion: 0.25, outputPerMillion: 1.5 },
  "gemini-3.1-pro": { inputPerMillion: 2, outputPerMillion: 12 },
  "gemini-3.5-flash": { inputPerMillion: 1.5, outputPerMillion: 9 },
};

/** A trailing snapshot date (`-2024-07-18`, `-20250929`) or `-latest`. */
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/**
 * The listed price of a model by its id, or null when the table does not
 * know it. Only exact ids (up to a snapshot suffix) match: a prefix such as
 * `gpt-5` must not price `gpt-5-pro`, which costs far more.
 */
export function listedPrice(modelId: string): ModelPrice | null {
  const id = modelId.trim().toLowerCase();
  return PRICES[id] ?? PRICES[id.replace(SNAPSHOT_SUFFIX, "")] ?? null;
}

/** The listed price of a model; a model the table does not know counts as free (a project with a budget never gets that far). */
export function priceOf(modelId: string): ModelPrice {
  return listedPrice(modelId) ?? FREE;
}

export function costUsd(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}

/** Tokens a prompt is assumed to take before the provider counts them: about four characters per token. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

/** The most a request can cost: its estimated prompt plus every output token it allows. */
export function worstCaseCostUsd(price: ModelPrice, promptCharacters: number, maxOutputTokens: number): number {
  return costUsd(price, estimateTokens(promptCharacters), maxOutputTokens);
}
