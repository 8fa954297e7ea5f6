import { z } from "zod";
import { JOB_STATUSES, PAUSE_REASONS } from "./jobs";
import { STAGE_KEYS } from "./stages";

export const EVENT_TYPES = ["status_update", "progress", "stage_started", "stage_completed", "log", "error"] as const;

const LOG_LEVELS = ["info", "warn", "error"] as const;

/** Events a page of a project's backlog holds at most; readers page through with `after`. */
export const EVENT_PAGE_SIZE = 1_000;

const StageKey = z.enum(STAGE_KEYS);

/**
 * What each kind of event says. Every transport sends events as they are
 * stored, so this is the shape subscribers read and the only shape the
 * pipeline may write.
 */
export const GenerationEventPayload = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("status_update"),
    data: z.object({ job_id: z.string(), status: z.enum(JOB_STATUSES), reason: z.enum(PAUSE_REASONS).optional() }),
  }),
  z.object({
    type: z.literal("progress"),
    data: z.object({
      job_id: z.string(),
      stage: z.number(),
      stage_key: StageKey,
      /** 0–1 within the stage. */
      stage_progress: z.number(),
      /** 0–1 over the job: the whole pipeline, or the one stage a single-stage job runs. */
      progress: z.number(),
      message: z.string(),
    }),
  }),
  z.object({
    type: z.literal("stage_started"),
    /** `resumed`: the stage continues from a checkpoint rather than from its start. */
    data: z.object({ stage: z.number(), stage_key: StageKey, name: z.string(), resumed: z.boolean() }),
  }),
  z.object({
    type: z.literal("stage_completed"),
    data: z.object({ stage: z.number(), stage_key: StageKey, duration_ms: z.number() }),
  }),
  z.object({
    type: z.literal("log"),
    data: z.object({ level: z.enum(LOG_LEVELS), message: z.string() }),
  }),
  z.object({
    type: z.literal("error"),
    /** `stage`: the stage that failed, or null when the job failed outside any stage. */
    data: z.object({ job_id: z.string(), stage: z.number().nullable(), message: z.string() }),
  }),
]);
export type GenerationEventPayload = z.infer<typeof GenerationEventPayload>;

/** One persisted event of a project's generation, as every transport sends it. */
export type GenerationEvent = GenerationEventPayload & {
  /** Increases by one per event within a project; subscribers resume after the last id they saw. */
  id: number;
  project_id: string;
  job_id: string | null;
  created_at: string;
};
