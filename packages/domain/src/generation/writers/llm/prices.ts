/** What a model costs, in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/** Models without a known price (local servers, unlisted models) are counted as free. */
export const FREE: ModelPrice = { inputPerMillion: 0, outputPerMillion: 0 };

/**
 * Published list prices of common models (standard tier, no caching or
 * batch discounts). Keys are model ids without a date suffix, so a dated
 * snapshot such as `gpt-4o-mini-2024-07-18` costs what `gpt-4o-mini` costs.
 * Update this table when providers change their prices.
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
  "gpt-5.4": { inputPerMillion: 2.5, outputPerMillion: 15 },
  "gpt-5.4-mini": { inputPerMillion: 0.75, outputPerMillion: 4.5 },
  "gpt-5.4-nano": { inputPerMillion: 0.2, outputPerMillion: 1.25 },
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
  "claude-opus-5": { inputPerMillion: 5, outputPerMillion: 25 },
  "claude-opus-5-5": { inputPerMillion: 4, outputPerMillion: 20 },
};

/** A trailing snapshot date (`-2024-07-18`, `-20250929`) or `-latest`. */
const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/;

/**
 * The price of a model by its id. Only exact ids (up to a snapshot suffix)
 * match: a prefix such as `gpt-5` must not price `gpt-5-pro`, which costs
 * far more.
 */
export function priceOf(modelId: string): ModelPrice {
  const id = modelId.trim().toLowerCase();
  return PRICES[id] ?? PRICES[id.replace(SNAPSHOT_SUFFIX, "")] ?? FREE;
}

export function costUsd(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}

/** Tokens a prompt is assumed to take before the provider counts them: about four characters per token. */
function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

/** The most a request can cost: its estimated prompt plus every output token it allows. */
export function worstCaseCostUsd(price: ModelPrice, promptCharacters: number, maxOutputTokens: number): number {
  return costUsd(price, estimateTokens(promptCharacters), maxOutputTokens);
}
