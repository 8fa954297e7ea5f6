import { describe, expect, it } from "vitest";
import { isSceneStage, STAGE, STAGE_COUNT, STAGES, stageByNumber } from "./stages";

describe("stages", () => {
  it("numbers the twelve stages 1 to 12, in order", () => {
    expect(STAGE_COUNT).toBe(12);
    expect(STAGES.map((stage) => stage.number)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it("names every stage's number by its key, as the stage list has it", () => {
    expect(Object.entries(STAGE)).toEqual(STAGES.map((stage) => [stage.key, stage.number]));
  });

  it("finds a stage by number, and nothing outside 1–12", () => {
    expect(stageByNumber(STAGE.continuity_audit)?.key).toBe("continuity_audit");
    expect(stageByNumber(0)).toBeUndefined();
    expect(stageByNumber(13)).toBeUndefined();
  });

  it("works scene by scene from drafting to motif infusion", () => {
    const sceneStages = STAGES.filter((stage) => isSceneStage(stage.number)).map((stage) => stage.number);
    expect(sceneStages).toEqual([STAGE.scene_drafting, STAGE.self_refine, STAGE.continuity_audit, STAGE.dialogue_pass, STAGE.voice_pass, STAGE.motif_infusion]);
    expect(isSceneStage(99)).toBe(false);
  });
});
