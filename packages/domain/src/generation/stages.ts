import type { Stage } from "@scriptorium/contract";

export { STAGE, STAGES, stageByNumber, type Stage, type StageKey, type StageNumber } from "@scriptorium/contract";

/** The scene stages that rewrite the previous stage's text: every scene stage after drafting. */
export type RevisionStageKey = Exclude<Extract<Stage, { scope: "scene" }>["key"], "scene_drafting">;
