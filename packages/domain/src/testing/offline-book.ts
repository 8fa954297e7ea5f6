import type { RevisionStageKey } from "../generation/stages";
import type { AuditResult, ProjectBrief, SceneInput, SceneRef, StoryPlan, WriterCall } from "../generation/writers/writer";
import { OfflineWriter } from "../generation/writers/offline";

/** Test support: a brief with sensible defaults, and the offline writer's whole chain of stages 1–11. */

export const CALL: WriterCall = { signal: new AbortController().signal, onUsage() {}, remainingBudgetUsd: () => null };

export function briefFor(overrides: Partial<ProjectBrief> = {}): ProjectBrief {
  return {
    title: "The Salt Road",
    author: "A. Writer",
    genre: "fantasy",
    synopsis: "",
    protagonist: "",
    tone: "",
    target_words: 5000,
    chapters: 5,
    scenes_per_chapter: 3,
    seed: 7,
    language: "en",
    ...overrides,
  };
}

export async function planFor(brief: ProjectBrief): Promise<StoryPlan> {
  const writer = new OfflineWriter();
  const highConcept = await writer.highConcept(brief, CALL);
  const world = await writer.worldBuilding(brief, { highConcept }, CALL);
  const beats = await writer.beatSheet(brief, { highConcept, world }, CALL);
  const cast = await writer.characters(brief, { highConcept, world, beats }, CALL);
  const outline = await writer.sceneOutline(brief, { highConcept, world, beats, cast }, CALL);
  return { highConcept, world, beats, cast, outline };
}

/** Every scene in outline order, located as the scene stages see it. */
export function sceneRefs(plan: StoryPlan): SceneRef[] {
  return plan.outline.chapters.flatMap((chapter) => chapter.scenes.map((scene) => ({ chapter: chapter.number, chapterTitle: chapter.title, scene })));
}

export const SCENE_STAGES = ["scene_drafting", "self_refine", "continuity_audit", "dialogue_pass", "voice_pass", "motif_infusion"] as const;
type SceneStage = (typeof SCENE_STAGES)[number];

export interface Book {
  plan: StoryPlan;
  /** The text of every scene after each scene stage, in outline order. */
  texts: Record<SceneStage, string[]>;
  audits: AuditResult[];
}

/** Runs stages 1–11 the way a job does: each scene stage over every scene, with the scene before for continuity. */
export async function writeBook(brief: ProjectBrief): Promise<Book> {
  const writer = new OfflineWriter();
  const plan = await planFor(brief);
  const refs = sceneRefs(plan);
  const texts = {} as Record<SceneStage, string[]>;
  const audits: AuditResult[] = [];
  let current = refs.map(() => "");
  for (const stage of SCENE_STAGES) {
    const done: string[] = [];
    for (const [index, ref] of refs.entries()) {
      const input: SceneInput = { brief, plan, ref, text: current[index] ?? "", previousText: index > 0 ? (done[index - 1] ?? null) : null };
      if (stage === "scene_drafting") done.push(await writer.draftScene(input, CALL));
      else if (stage === "continuity_audit") {
        const audit = await writer.auditScene(input, CALL);
        audits.push(audit);
        done.push(audit.text);
      } else done.push(await writer.reviseScene(stage satisfies Exclude<RevisionStageKey, "continuity_audit">, input, CALL));
    }
    texts[stage] = done;
    current = done;
  }
  return { plan, texts, audits };
}
