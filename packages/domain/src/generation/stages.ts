import { STAGE, type Stage } from "@scriptorium/contract";

export { STAGE, STAGES, stageByNumber, type Stage, type StageKey, type StageNumber } from "@scriptorium/contract";

/** The scene stages that rewrite the previous stage's text: every scene stage after drafting. */
export type RevisionStageKey = Exclude<Extract<Stage, { scope: "scene" }>["key"], "scene_drafting">;

/** The stages whose outputs make up the story plan that later stages build on; a writer may edit them, and each keeps its versions. */
export const PLANNING_STAGES = [STAGE.high_concept, STAGE.world_building, STAGE.beat_sheet, STAGE.characters, STAGE.scene_outline] as const;

export function isPlanningStage(number: number): boolean {
  return (PLANNING_STAGES as readonly number[]).includes(number);
}
