import type { StageKey } from "@scriptorium/contract";

export { STAGE, STAGES, stageByNumber, type Stage } from "@scriptorium/contract";

/** The scene stages that rewrite the previous stage's text. */
export const REVISION_STAGES = ["self_refine", "continuity_audit", "dialogue_pass", "voice_pass", "motif_infusion"] as const satisfies readonly StageKey[];
export type RevisionStageKey = (typeof REVISION_STAGES)[number];
