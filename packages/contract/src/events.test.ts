import { describe, expect, it } from "vitest";
import { EVENT_TYPES, GenerationEventPayload } from "./events";

describe("GenerationEventPayload", () => {
  it("has one shape for each event type", () => {
    expect(GenerationEventPayload.options.map((option) => option.shape.type.value)).toEqual([...EVENT_TYPES]);
  });

  it("reads back every kind of event the pipeline writes", () => {
    const written = [
      { type: "status_update", data: { job_id: "j1", status: "paused", reason: "budget_exhausted" } },
      { type: "status_update", data: { job_id: "j1", status: "running" } },
      { type: "progress", data: { job_id: "j1", stage: 6, stage_key: "scene_drafting", stage_progress: 0.5, progress: 0.46, message: "Chapter 1, scene 2" } },
      { type: "stage_started", data: { stage: 1, stage_key: "high_concept", name: "High concept", resumed: false } },
      { type: "stage_completed", data: { stage: 1, stage_key: "high_concept", duration_ms: 12 } },
      { type: "log", data: { level: "warn", message: "Paused: the budget is spent." } },
      { type: "error", data: { job_id: "j1", stage: null, message: "The worker lost its lease." } },
    ];
    for (const event of written) expect(GenerationEventPayload.parse(event)).toEqual(event);
  });

  it("refuses data that does not fit its type", () => {
    expect(GenerationEventPayload.safeParse({ type: "progress", data: { job_id: "j1", status: "running" } }).success).toBe(false);
    expect(GenerationEventPayload.safeParse({ type: "stage_started", data: { stage: 1, stage_key: "prologue", name: "Prologue", resumed: false } }).success).toBe(false);
    expect(GenerationEventPayload.safeParse({ type: "heartbeat", data: {} }).success).toBe(false);
  });
});
