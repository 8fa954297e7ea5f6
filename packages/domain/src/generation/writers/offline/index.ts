import type { BeatSheet, Cast, HighConcept, Outline, World } from "../../outputs";
import type { RevisionStageKey } from "../../stages";
import type { AuditResult, ProjectBrief, SceneInput, SceneRewrite, StoryPlan, Writer, WriterCall } from "../writer";
import { auditScene } from "./audit";
import { buildBeatSheet } from "./beats";
import { buildCast } from "./cast";
import { buildHighConcept } from "./concept";
import { infuseDialogue } from "./dialogue-pass";
import { draftScene } from "./draft";
import { infuseMotifs } from "./motif-pass";
import { buildOutline } from "./outline";
import { selfRefine } from "./refine";
import { rewriteScene } from "./rewrite";
import { applyVoice } from "./voice-pass";
import { buildWorld } from "./world";

/**
 * The offline writer: no network, no keys, no cost. Every result is a pure
 * function of the call's inputs (the brief and its seed, the earlier stages'
 * outputs, the scene and its text), so the same project always yields the
 * same book, byte for byte, however often a job is paused or restarted.
 */
export class OfflineWriter implements Writer {
  readonly provider = "offline" as const;

  async highConcept(brief: ProjectBrief, call: WriterCall): Promise<HighConcept> {
    call.signal.throwIfAborted();
    return buildHighConcept(brief);
  }

  async worldBuilding(brief: ProjectBrief, _earlier: Pick<StoryPlan, "highConcept">, call: WriterCall): Promise<World> {
    call.signal.throwIfAborted();
    return buildWorld(brief);
  }

  async beatSheet(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world">, call: WriterCall): Promise<BeatSheet> {
    call.signal.throwIfAborted();
    return buildBeatSheet(brief, earlier);
  }

  async characters(brief: ProjectBrief, earlier: Pick<StoryPlan, "highConcept" | "world" | "beats">, call: WriterCall): Promise<Cast> {
    call.signal.throwIfAborted();
    return buildCast(brief, earlier);
  }

  async sceneOutline(brief: ProjectBrief, earlier: Omit<StoryPlan, "outline">, call: WriterCall): Promise<Outline> {
    call.signal.throwIfAborted();
    return buildOutline(brief, earlier);
  }

  async draftScene(input: SceneInput, call: WriterCall): Promise<string> {
    call.signal.throwIfAborted();
    return draftScene(input);
  }

  async reviseScene(stage: Exclude<RevisionStageKey, "continuity_audit">, input: SceneInput, call: WriterCall): Promise<string> {
    call.signal.throwIfAborted();
    switch (stage) {
      case "self_refine":
        return selfRefine(input);
      case "dialogue_pass":
        return infuseDialogue(input);
      case "voice_pass":
        return applyVoice(input);
      case "motif_infusion":
        return infuseMotifs(input);
    }
  }

  async auditScene(input: SceneInput, call: WriterCall): Promise<AuditResult> {
    call.signal.throwIfAborted();
    return auditScene(input);
  }

  async rewriteScene(rewrite: SceneRewrite, input: SceneInput, call: WriterCall): Promise<string> {
    call.signal.throwIfAborted();
    return rewriteScene(rewrite, input);
  }
}
