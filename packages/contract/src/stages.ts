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

interface StageDefinition {
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
export const STAGE_KEYS = STAGES.map((stage) => stage.key);

/** Each stage's number by its key, so code names the stage it means instead of a bare number. */
export const STAGE = {
  high_concept: 1,
  world_building: 2,
  beat_sheet: 3,
  characters: 4,
  scene_outline: 5,
  scene_drafting: 6,
  self_refine: 7,
  continuity_audit: 8,
  dialogue_pass: 9,
  voice_pass: 10,
  motif_infusion: 11,
  output_validation: 12,
} as const satisfies { readonly [S in Stage as S["key"]]: S["number"] };

export function stageByNumber(number: number): Stage | undefined {
  return STAGES.find((stage) => stage.number === number);
}

/** Stages 6 to 11 work scene by scene: their output is the text of every scene. */
export function isSceneStage(number: number): boolean {
  return stageByNumber(number)?.scope === "scene";
}

export const STAGE_STATUSES = ["pending", "running", "completed", "failed", "stale", "skipped"] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];
