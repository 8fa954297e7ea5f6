import { describe, expect, it } from "vitest";
import type { WriterSettings } from "@scriptorium/contract";
import { listedPrice } from "./llm/prices";
import { modelIdOf, offlineLanguageNote, unpricedWriters, writerOfStage, writerPrice } from "./stage-writers";

const OPENAI: WriterSettings = { provider: "openai", model: null, base_url: null };
const LOCAL = { provider: "openai-compatible", model: "llama3.1", base_url: "http://127.0.0.1:11434/v1" } as const;

describe("a writer per stage", () => {
  it("runs a stage with its own writer, else the project's", () => {
    const writer: WriterSettings = { ...OPENAI, price: { input_per_mtok: 1, output_per_mtok: 2 }, stages: { "5": { provider: "anthropic", model: "claude-opus-4-7", base_url: null } } };
    expect(writerOfStage(writer, 5)).toEqual({ provider: "anthropic", model: "claude-opus-4-7", base_url: null });
    expect(writerOfStage(writer, 6)).toEqual({ provider: "openai", model: null, base_url: null, price: { input_per_mtok: 1, output_per_mtok: 2 } });
    expect(modelIdOf(writerOfStage(writer, 6))).toBe("gpt-4o-mini");
  });

  it("prices a writer from the project first, then the table; the offline writer is free", () => {
    expect(writerPrice({ provider: "offline", model: null, base_url: null })).toEqual({ price: { inputPerMillion: 0, outputPerMillion: 0 }, source: "offline" });
    expect(writerPrice({ ...OPENAI, model: "gpt-5.4-mini" })).toEqual({ price: listedPrice("gpt-5.4-mini"), source: "table" });
    expect(writerPrice({ ...OPENAI, model: "gpt-5.4-mini", price: { input_per_mtok: 0, output_per_mtok: 0.5 } })).toEqual({
      price: { inputPerMillion: 0, outputPerMillion: 0.5 },
      source: "project",
    });
    expect(writerPrice(LOCAL)).toBeNull();
  });

  it("names every writer whose model has no price, and only writers some stage uses", () => {
    expect(unpricedWriters({ ...LOCAL, stages: { "6": { ...OPENAI, model: "gpt-9-ultra" } } }).map((entry) => [entry.path.join("."), entry.model])).toEqual([
      ["writer", "llama3.1"],
      ["writer.stages.6", "gpt-9-ultra"],
    ]);
    const everyStage = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [String(index + 1), { provider: "offline" as const, model: null, base_url: null }]));
    expect(unpricedWriters({ ...LOCAL, stages: everyStage })).toEqual([]);
    expect(unpricedWriters(OPENAI)).toEqual([]);
  });

  it("says which stages the offline writer writes in English, for a book in another language", () => {
    const writer: WriterSettings = { provider: "offline", model: null, base_url: null, stages: { "7": { ...OPENAI } } };
    expect(offlineLanguageNote(writer, "en-GB", [6, 7])).toBeNull();
    expect(offlineLanguageNote(writer, "de", [7, 12])).toBeNull();
    expect(offlineLanguageNote(writer, "de", [6, 7, 8, 12])).toBe(
      "The offline writer writes English: stages 6, 8 will be written in English, not German (de). Choose an LLM writer for those stages to write in German (de).",
    );
  });
});
