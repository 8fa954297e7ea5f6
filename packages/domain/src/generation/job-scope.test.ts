import { describe, expect, it } from "vitest";
import type { StageStatus } from "@scriptorium/contract";
import { checkPrerequisites, effectsOfStart, scenesToRun, scopeOfJob, scopeOfStart, stagesOfStart, stagesToRun, type JobScope, type StageStates } from "./job-scope";
import type { Outline } from "./outputs";
import { stageByNumber, type Stage } from "./stages";
import type { SceneRef } from "./writers/writer";

/** Stage states by number; `staleScenes` names the scene stages some of whose scenes are stale. */
function states(statuses: Record<number, StageStatus>, jobId = "earlier", staleScenes: number[] = []): StageStates {
  return new Map(Object.entries(statuses).map(([stage, status]) => [Number(stage), { status, jobId, staleScenes: staleScenes.includes(Number(stage)) }]));
}

const stagesRedoneOnStart = (scope: JobScope, now: StageStates) => effectsOfStart(scope, now).staleStages;

function stage(number: number): Stage {
  const found = stageByNumber(number);
  if (!found) throw new Error(`no stage ${number}`);
  return found;
}

const FULL: JobScope = { kind: "full", force: false };
const FORCE: JobScope = { kind: "full", force: true };
const done = (count: number): Record<number, StageStatus> => Object.fromEntries(Array.from({ length: count }, (_, index) => [index + 1, "completed" as const]));
const summary = (work: { stage: Stage; reason: string }[]) => work.map((item) => [item.stage.number, item.reason]);

describe("what a job runs", () => {
  it("reads a stored job's scope from its kind", () => {
    expect(scopeOfJob({ id: "j", kind: "full", onlyStage: null, force: true, rewrite: null })).toEqual(FORCE);
    expect(scopeOfJob({ id: "j", kind: "stage", onlyStage: 4, force: false, rewrite: null })).toEqual({ kind: "stage", stage: stage(4) });
    const rewrite = { chapter: 2, scene: null, instruction: "Rain.", from: "draft" as const, scenes: [1, 3] };
    expect(scopeOfJob({ id: "j", kind: "rewrite", onlyStage: null, force: false, rewrite })).toEqual({ kind: "rewrite", rewrite, force: false });
    expect(() => scopeOfJob({ id: "j", kind: "rewrite", onlyStage: null, force: false, rewrite: null })).toThrow(/does not say what it rewrites/);
  });

  it("runs every stage not finished, saying why", () => {
    const now = states({ ...done(5), 6: "failed", 7: "stale", 8: "pending" });
    expect(summary(stagesToRun(FULL, now, null))).toEqual([
      [6, "failed"],
      [7, "stale"],
      [8, "pending"],
      [9, "pending"],
      [10, "pending"],
      [11, "pending"],
      [12, "pending"],
    ]);
    expect(stagesToRun(FULL, states(done(12)), null)).toEqual([]);
  });

  it("marks what a start redoes stale, and a plan calls that forced", () => {
    const now = states({ ...done(6), 7: "pending" });
    expect(stagesRedoneOnStart(FULL, now)).toEqual([]);
    expect(stagesRedoneOnStart(FORCE, now)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const forced = stagesOfStart(FORCE, now);
    expect(summary(forced.work)).toEqual([...[1, 2, 3, 4, 5, 6, 7].map((number) => [number, "forced"]), ...[8, 9, 10, 11, 12].map((number) => [number, "pending"])]);
    expect(forced.statesAfterStart.get(7)?.status).toBe("stale");

    // One stage alone redoes itself and makes every later stage that ran stale, but not one that never finished.
    const all = states({ ...done(10), 11: "pending" });
    expect(stagesRedoneOnStart({ kind: "stage", stage: stage(9) }, all)).toEqual([9, 10]);
    expect(summary(stagesOfStart({ kind: "stage", stage: stage(9) }, all).work)).toEqual([[9, "forced"]]);
    expect(summary(stagesOfStart({ kind: "stage", stage: stage(11) }, all).work)).toEqual([[11, "pending"]]);
  });

  it("does not run again the stage a stage job already finished, and needs the stages before it", () => {
    const scope: JobScope = { kind: "stage", stage: stage(3) };
    expect(stagesToRun(scope, states({ ...done(3) }, "this-job"), "this-job")).toEqual([]);
    expect(summary(stagesToRun(scope, states({ ...done(3) }, "earlier"), "this-job"))).toEqual([[3, "forced"]]);
    expect(() => checkPrerequisites(scope, states({ 1: "completed", 2: "stale" }))).toThrow(/not finished: 2 \(world_building\)/);
    expect(() => checkPrerequisites(scope, states(done(2)))).not.toThrow();
    expect(() => checkPrerequisites(FULL, new Map())).not.toThrow();
  });

  it("redoes a completed scene stage whose scenes an edit made stale, and calls it stale", () => {
    const now = states(done(12), "earlier", [7]);
    expect(summary(stagesToRun(FULL, now, null))).toEqual([[7, "stale"]]);
    expect(summary(stagesOfStart(FULL, now).work)).toEqual([[7, "stale"]]);
  });

  it("settles a rewrite's scenes against the outline and the pins, and redoes them in stages 6–11 and stage 12", () => {
    const outline = { chapters: [1, 2].map((number) => ({ number, title: `Chapter ${number}`, scenes: [1, 2, 3].map((scene) => ({ number: scene })) })) } as unknown as Outline;
    const part = { chapter: 2, scene: null, instruction: "Rain.", from: "draft" as const };
    const pinned = new Set(["2:2"]);
    const scope = scopeOfStart({ kind: "rewrite", part, force: false }, outline, pinned, "p");
    const rewrite = { ...part, scenes: [1, 3] };
    expect(scope).toEqual({ kind: "rewrite", rewrite, force: false });
    expect(scopeOfStart({ kind: "rewrite", part, force: true }, outline, pinned, "p")).toMatchObject({ rewrite: { scenes: [1, 2, 3] } });
    expect(() => scopeOfStart({ kind: "rewrite", part: { ...part, chapter: 3 }, force: false }, outline, pinned, "p")).toThrow(/Chapter 3/);
    expect(() => scopeOfStart({ kind: "rewrite", part: { ...part, scene: 4 }, force: false }, outline, pinned, "p")).toThrow(/Scene 4 of chapter 2/);
    expect(() => scopeOfStart({ kind: "rewrite", part: { ...part, scene: 2 }, force: false }, outline, pinned, "p")).toThrow(/Nothing to rewrite: chapter 2, scene 2 is pinned/);

    expect(() => checkPrerequisites({ kind: "rewrite", part, force: false }, states({ ...done(10), 11: "stale", 12: "completed" }))).toThrow(/Not finished: 11 \(motif_infusion\)/);
    expect(() => checkPrerequisites({ kind: "rewrite", part, force: false }, states(done(11)))).not.toThrow();

    const now = states(done(12));
    expect(effectsOfStart(scope, now)).toEqual({ staleStages: [12], staleScenes: { chapter: 2, scenes: [1, 3] }, droppedPins: null });
    expect(effectsOfStart({ kind: "rewrite", rewrite, force: true }, now).droppedPins).toEqual({ chapter: 2, scenes: [1, 3] });
    expect(effectsOfStart(FORCE, now).droppedPins).toBe("all");
    const start = stagesOfStart(scope, now);
    expect(summary(start.work)).toEqual([6, 7, 8, 9, 10, 11, 12].map((number) => [number, "forced"]));
    // Its worker, which sees stale scenes of its own part only, runs the same stages.
    expect(summary(stagesToRun(scope, states({ ...done(11), 12: "stale" }, "earlier", [6, 7, 8, 9, 10, 11]), "rewrite-job")).map(([number]) => number)).toEqual([6, 7, 8, 9, 10, 11, 12]);

    const refs = [1, 2].flatMap((chapter) => [1, 2, 3].map((number) => ({ chapter, chapterTitle: "", scene: { number } }) as unknown as SceneRef));
    const keys = (scenes: SceneRef[]) => scenes.map((ref) => `${ref.chapter}:${ref.scene.number}`);
    const stored = new Map(keys(refs).map((key) => [key, { stale: key === "2:1" || key === "1:2" }]));
    expect(keys(scenesToRun(scope, true, stored, refs))).toEqual(["2:1"]);
    expect(keys(scenesToRun(FULL, true, stored, refs))).toEqual(["1:2", "2:1"]);
    expect(keys(scenesToRun(FULL, false, stored, refs))).toEqual(keys(refs));
  });
});
