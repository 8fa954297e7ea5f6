import { describe, expect, it } from "vitest";
import { describeStageNumbers, settingChanges, stagesMadeStale, stagesMadeStaleByEdit, type ProjectSettings, type StageProgress } from "./project-changes";

const OFFLINE: ProjectSettings = {
  title: "The Tin Orchard",
  author: "",
  genre: "mystery",
  synopsis: "",
  protagonist: "",
  tone: "",
  target_words: 6_000,
  chapters: 4,
  scenes_per_chapter: 3,
  seed: 7,
  language: "en",
  writer: { provider: "offline", model: null, base_url: null },
};

/** A model plans the book (stages 1–5); the offline writer writes and revises it. */
const MODEL_PLANS: ProjectSettings = {
  ...OFFLINE,
  writer: {
    provider: "openai",
    model: "gpt-4o-mini",
    base_url: null,
    stages: Object.fromEntries([6, 7, 8, 9, 10, 11].map((stage) => [String(stage), { provider: "offline" as const, model: null, base_url: null }])),
  },
};

const firstStages = (before: ProjectSettings, after: Partial<ProjectSettings>) =>
  settingChanges(before, { ...before, ...after }).map((change) => [change.field, change.firstStage]);

describe("settingChanges", () => {
  it("finds the first stage each changed setting feeds, earliest first", () => {
    expect(firstStages(OFFLINE, { title: "Another", tone: "wry", target_words: 9_000, chapters: 5 })).toEqual([
      ["tone", 1],
      ["chapters", 3],
      ["target_words", 5],
      ["title", 12],
    ]);
    expect(firstStages(OFFLINE, { author: "A. N. Other", scenes_per_chapter: 2, protagonist: "Ines", genre: "horror", synopsis: "Bees." })).toEqual([
      ["genre", 1],
      ["synopsis", 1],
      ["protagonist", 1],
      ["scenes_per_chapter", 5],
      ["author", 12],
    ]);
  });

  it("counts the seed where the offline writer writes and the language where a model does", () => {
    expect(firstStages(OFFLINE, { seed: 8 })).toEqual([["seed", 1]]);
    expect(firstStages(OFFLINE, { language: "fr" })).toEqual([]);
    expect(firstStages(MODEL_PLANS, { seed: 8 })).toEqual([["seed", 6]]);
    expect(firstStages(MODEL_PLANS, { language: "fr" })).toEqual([["language", 1]]);
    // Who writes after the change decides.
    expect(firstStages(OFFLINE, { language: "fr", writer: MODEL_PLANS.writer })).toEqual([["language", 1]]);
  });

  it("sees nothing written in a change of writer, price or unchanged values", () => {
    expect(firstStages(OFFLINE, { writer: MODEL_PLANS.writer })).toEqual([]);
    expect(firstStages(MODEL_PLANS, { writer: { ...MODEL_PLANS.writer, price: { input_per_mtok: 1, output_per_mtok: 2 } } })).toEqual([]);
    expect(firstStages(OFFLINE, { ...OFFLINE })).toEqual([]);
  });
});

describe("stagesMadeStale", () => {
  const stages = (states: Record<number, Omit<StageProgress, "number">>): StageProgress[] =>
    Object.entries(states).map(([number, state]) => ({ number: Number(number), ...state }));
  const done = { status: "completed", progress: 1 } as const;

  it("takes every stage from the first fed one that has done work and is not stale already", () => {
    const states = stages({
      1: done,
      2: done,
      3: done,
      4: done,
      5: done,
      6: { status: "pending", progress: 0.5 },
      7: { status: "pending", progress: 0 },
      8: { status: "failed", progress: 0.2 },
      12: { status: "stale", progress: 0 },
    });
    expect(stagesMadeStale([{ field: "target_words", firstStage: 5 }], states)).toEqual([5, 6, 8]);
    expect(stagesMadeStale([{ field: "title", firstStage: 12 }, { field: "genre", firstStage: 1 }], states)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(stagesMadeStale([{ field: "title", firstStage: 12 }], states)).toEqual([]);
    expect(stagesMadeStale([], states)).toEqual([]);
  });

  it("after a planning document's edit, takes the later stages that have done work", () => {
    const states = stages({ 1: done, 2: done, 3: done, 4: done, 5: { status: "stale", progress: 1 }, 6: { status: "pending", progress: 0.3 }, 7: { status: "pending", progress: 0 } });
    expect(stagesMadeStaleByEdit(4, states)).toEqual([6]);
    expect(stagesMadeStaleByEdit(2, states)).toEqual([3, 4, 6]);
    expect(stagesMadeStaleByEdit(5, stages({ 1: done, 5: done }))).toEqual([]);
  });
});

describe("describeStageNumbers", () => {
  it("writes runs of stages as ranges", () => {
    expect(describeStageNumbers([12])).toBe("12");
    expect(describeStageNumbers([5, 6, 7, 8, 9, 10, 11, 12])).toBe("5–12");
    expect(describeStageNumbers([8, 3, 5, 6])).toBe("3, 5–6, 8");
    expect(describeStageNumbers([])).toBe("");
  });
});
