import type { BeatSheet, Cast, HighConcept, Outline, World } from "../generation/outputs";
import type { ProjectBrief, SceneInput, StoryPlan, Usage, WriterCall } from "../generation/writers/writer";

/** Sample project and plan for the writer tests: small, valid against the stage schemas, with distinctive words to look for in prompts. */

export const BRIEF: ProjectBrief = {
  title: "The Salt Archive",
  author: "Mara Quill",
  genre: "mystery",
  synopsis: "A lighthouse keeper's daughter finds ledgers that prove the harbour was sold twice.",
  protagonist: "Ines Calder",
  tone: "brooding",
  target_words: 6_000,
  chapters: 2,
  scenes_per_chapter: 2,
  seed: 42,
  language: "en",
};

export const HIGH_CONCEPT: HighConcept = {
  logline: "A keeper's daughter uncovers a double sale that drowned a town.",
  premise: "Ines Calder inherits her father's lighthouse and his secret ledgers.",
  themes: ["inheritance", "complicity"],
  motifs: ["brass compass", "tide tables", "gull cries"],
  core_conflict: "Ines against the harbour board that profits from the lie.",
  narrative_voice: { person: "third", tense: "past", description: "salt-dry, close on Ines, short declaratives" },
};

export const WORLD: World = {
  setting: { name: "Port Verrin", era: "1920s", description: "A fog-bound fishing port on a cliff." },
  places: [
    { name: "The Lamp Room", description: "Glass, brass and the smell of paraffin at the top of the tower." },
    { name: "Harbour Office", description: "Damp panelling, a clock that runs fast, ledgers under lock." },
  ],
  rules: ["The tide closes the causeway twice a day."],
  culture: ["Fishers never whistle at sea."],
};

export const BEATS: BeatSheet = {
  beats: [
    { act: 1, name: "Opening ledger", description: "Ines finds the first ledger.", position: 0.05 },
    { act: 2, name: "Midpoint flood", description: "The causeway floods with Ines on the wrong side.", position: 0.5 },
    { act: 3, name: "Board confrontation", description: "Ines reads the ledgers aloud to the town.", position: 0.9 },
  ],
  pacing_curve: [0.3, 0.8],
};

export const CAST: Cast = {
  cast: [
    {
      name: "Ines Calder",
      role: "protagonist",
      goal: "clear her father's name",
      arc: "from obedience to defiance",
      voice: "clipped, wry",
      traits: ["stubborn"],
      relationships: [{ with: "Silas Venn", kind: "adversary" }],
    },
    {
      name: "Silas Venn",
      role: "antagonist",
      goal: "keep the sale buried",
      arc: "unravels",
      voice: "smooth, ledger-precise",
      traits: ["patient"],
      relationships: [{ with: "Ines Calder", kind: "adversary" }],
    },
  ],
};

export const OUTLINE: Outline = {
  chapters: [
    {
      number: 1,
      title: "Paraffin",
      scenes: [
        { number: 1, pov: "Ines Calder", place: "The Lamp Room", goal: "find the missing key", conflict: "the storm", outcome: "she finds a ledger", target_words: 1_500 },
        { number: 2, pov: "Ines Calder", place: "Harbour Office", goal: "read the register", conflict: "Silas arrives", outcome: "she hides", target_words: 1_500 },
      ],
    },
    {
      number: 2,
      title: "Low Water",
      scenes: [
        { number: 1, pov: "Silas Venn", place: "Harbour Office", goal: "burn the copies", conflict: "damp paper", outcome: "one survives", target_words: 1_500 },
        { number: 2, pov: "Ines Calder", place: "The Lamp Room", goal: "signal the town", conflict: "the lamp fails", outcome: "the town sees", target_words: 1_500 },
      ],
    },
  ],
};

const PLAN: StoryPlan = { highConcept: HIGH_CONCEPT, world: WORLD, beats: BEATS, cast: CAST, outline: OUTLINE };

/** The second scene of chapter 1, after a first scene whose last words are recognisable. */
export function sceneInput(text = ""): SceneInput {
  const chapter = OUTLINE.chapters[0];
  const scene = chapter?.scenes[1];
  if (!chapter || !scene) throw new Error("the sample outline lost its first chapter");
  return {
    brief: BRIEF,
    plan: PLAN,
    ref: { chapter: chapter.number, chapterTitle: chapter.title, scene },
    text,
    previousText: "The lamp turned all night.\n\nAt dawn she closed the ledger with the torn corner.",
  };
}

/** A writer call that records what was reported; the budget is unlimited unless given. */
export function recordingCall(options: { signal?: AbortSignal; remainingBudgetUsd?: number | null } = {}): WriterCall & { usages: Usage[] } {
  const usages: Usage[] = [];
  return {
    usages,
    signal: options.signal ?? new AbortController().signal,
    onUsage: (usage) => usages.push(usage),
    remainingBudgetUsd: () => options.remainingBudgetUsd ?? null,
  };
}
