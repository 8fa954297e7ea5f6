/** The twelve stages of the pipeline; numbers and keys are part of the public contract. */
export const STAGES = [
  { number: 1, key: "high_concept", name: "High concept", scope: "project", description: "Premise, themes, motifs, core conflict and narrative voice." },
  { number: 2, key: "world_building", name: "World building", scope: "project", description: "Setting, places, rules and culture." },
  { number: 3, key: "beat_sheet", name: "Beat sheet", scope: "project", description: "Three-act beats and the pacing curve." },
  { number: 4, key: "characters", name: "Characters", scope: "project", description: "The cast with goals, arcs, relationships and voice." },
  { number: 5, key: "scene_outline", name: "Scene outline", scope: "project", description: "Every chapter's scenes: goal, conflict, outcome, point of view." },
  { number: 6, key: "scene_drafting", name: "Scene drafting", scope: "scene", description: "The prose of every scene." },
  { number: 7, key: "self_refine", name: "Self-refine", scope: "scene", description: "Each scene revised for clarity and rhythm." },
  { number: 8, key: "continuity_audit", name: "Continuity audit", scope: "scene", description: "Inconsistencies in names, timeline and facts, and the fixes applied." },
  { number: 9, key: "dialogue_pass", name: "Dialogue pass", scope: "scene", description: "Dialogue and psychological realism revised." },
  { number: 10, key: "voice_pass", name: "Voice pass", scope: "scene", description: "The narrative voice made consistent." },
  { number: 11, key: "motif_infusion", name: "Motif infusion", scope: "scene", description: "Themes and motifs woven through the text." },
  { number: 12, key: "output_validation", name: "Output validation", scope: "project", description: "The final manuscript and its quality report." },
] as const satisfies readonly StageDefinition[];

export interface StageDefinition {
  number: number;
  key: string;
  name: string;
  /** `project` stages run once; `scene` stages run scene by scene, with a checkpoint after each. */
  scope: "project" | "scene";
  description: string;
}

export type Stage = (typeof STAGES)[number];
export type StageKey = Stage["key"];
export type StageNumber = Stage["number"];
export const STAGE_COUNT = STAGES.length;

/** The scene stages that rewrite the previous stage's text. */
export const REVISION_STAGES = ["self_refine", "continuity_audit", "dialogue_pass", "voice_pass", "motif_infusion"] as const;
export type RevisionStageKey = (typeof REVISION_STAGES)[number];

export function stageByNumber(number: number): Stage | undefined {
  return STAGES.find((stage) => stage.number === number);
}

export function stageByKey(key: StageKey): Stage {
  const stage = STAGES.find((candidate) => candidate.key === key);
  if (!stage) throw new Error(`unknown stage ${key}`);
  return stage;
}
