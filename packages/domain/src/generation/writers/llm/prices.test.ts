import { describe, expect, it } from "vitest";
import { costUsd, FREE, priceOf, worstCaseCostUsd } from "./prices";

describe("model prices", () => {
  it("knows common models, dated snapshots included", () => {
    expect(priceOf("gpt-4o-mini")).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(priceOf("gpt-4o-mini-2024-07-18")).toEqual(priceOf("gpt-4o-mini"));
    expect(priceOf("claude-sonnet-4-5-20250929")).toEqual({ inputPerMillion: 3, outputPerMillion: 15 });
    expect(priceOf("claude-3-5-haiku-latest")).toEqual({ inputPerMillion: 0.8, outputPerMillion: 4 });
  });

  it("counts unknown models as free rather than guessing from a prefix", () => {
    expect(priceOf("llama3.1:8b")).toEqual(FREE);
    expect(priceOf("gpt-5-pro")).toEqual(FREE);
  });

  it("computes cost and the worst case of a request", () => {
    const price = { inputPerMillion: 2, outputPerMillion: 8 };
    expect(costUsd(price, 1_000_000, 500_000)).toBe(6);
    // 4 000 characters ≈ 1 000 tokens: $0.002, plus 1 000 output tokens: $0.008.
    expect(worstCaseCostUsd(price, 4_000, 1_000)).toBeCloseTo(0.01, 12);
  });
});
