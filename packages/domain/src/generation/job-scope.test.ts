import { describe, expect, it } from "vitest";
import type { StageStatus } from "@scriptorium/contract";
import { checkPrerequisites, jobKind, scopeOfJob, stagesOfStart, stagesRedoneOnStart, stagesToRun, type JobScope, type StageStates } from "./job-scope";
import { stageByNumber, type Stage } from "./stages";

function states(statuses: Record<number, StageStatus>, jobId = "earlier"): StageStates {
  return new Map(Object.entries(statuses).map(([stage, status]) => [Number(stage), { status, jobId }]));
}

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
  it("derives a stored job's kind and scope from its row", () => {
    expect(jobKind({ onlyStage: null })).toBe("full");
    expect(jobKind({ onlyStage: 4 })).toBe("stage");
    expect(scopeOfJob({ id: "j", onlyStage: null, force: true })).toEqual(FORCE);
    expect(scopeOfJob({ id: "j", onlyStage: 4, force: false })).toEqual({ kind: "stage", stage: stage(4) });
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
});
