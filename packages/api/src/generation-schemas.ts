import { z } from "zod";
import {
  EVENT_PAGE_SIZE,
  EVENT_TYPES,
  Id,
  integer,
  JOB_STATUSES,
  pageOf,
  PAUSE_REASONS,
  PROJECT_STATUSES,
  STAGE_COUNT,
  STAGE_STATUSES,
  WriterConfig,
} from "@scriptorium/contract";
import { BeatSheetSchema, CastSchema, ContinuityIssueSchema, HighConceptSchema, OutlineSchema, QualityReportSchema, WorldSchema } from "@scriptorium/domain";
import { Flag, Timestamp } from "./schemas";

// ─── Projects ────────────────────────────────────────────────────────────────

export const ProjectIdInput = z.object({ id: Id });
export const ManuscriptInput = ProjectIdInput.extend({
  chapter_from: integer(1, 10_000).optional().meta({ description: "First chapter to include (1-based); default the first" }),
  chapter_to: integer(1, 10_000).optional().meta({ description: "Last chapter to include (inclusive); default the last" }),
});

export const Project = z
  .object({
    id: z.string(),
    title: z.string(),
    author: z.string(),
    genre: z.string(),
    synopsis: z.string(),
    protagonist: z.string(),
    tone: z.string(),
    target_words: z.int(),
    chapters: z.int(),
    scenes_per_chapter: z.int(),
    writer: WriterConfig,
    seed: z.int(),
    budget_usd: z.number().nullable(),
    status: z.enum(PROJECT_STATUSES).meta({ description: "new until the first job; then the latest job's status" }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "Project" });

export const ProjectList = pageOf(Project).meta({ id: "ProjectList" });

// ─── Generation ──────────────────────────────────────────────────────────────

const StageNumber = z.int().min(1).max(STAGE_COUNT);

export const StageStatus = z
  .object({
    number: StageNumber,
    key: z.string(),
    name: z.string(),
    status: z.enum(STAGE_STATUSES),
    progress: z.number().min(0).max(1),
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    duration_ms: z.int().nullable(),
  })
  .meta({ id: "StageStatus" });

export const JobStatus = z
  .object({
    job_id: z.string(),
    project_id: z.string(),
    status: z.enum(JOB_STATUSES),
    pause_requested: z.boolean(),
    cancel_requested: z.boolean(),
    pause_reason: z.enum(PAUSE_REASONS).nullable(),
    only_stage: StageNumber.nullable().meta({ description: "Set for a job that runs one stage alone" }),
    current_stage: z.object({ number: StageNumber, key: z.string(), name: z.string() }).nullable(),
    stages: z.array(StageStatus),
    progress: z.number().min(0).max(1),
    message: z.string(),
    error: z.string().nullable(),
    words: z.int(),
    tokens: z.int(),
    cost_usd: z.number(),
    output_paths: z.array(z.string()),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    updated_at: Timestamp,
    last_event_id: z.int().meta({ description: "The project's newest event when this status was read; resume a live stream from it" }),
  })
  .meta({ id: "JobStatus" });

export const StartInput = z.object({ id: Id, force: Flag.optional().meta({ description: "Redo every stage instead of reusing finished ones" }) });

export const RunStageInput = z.object({ id: Id, stage_number: integer(1, STAGE_COUNT) });

export const StageInfo = StageStatus.extend({
  description: z.string(),
  scope: z.enum(["project", "scene"]).meta({ description: "scene stages work scene by scene, with a checkpoint after each" }),
  tokens: z.int(),
  cost_usd: z.number(),
}).meta({ id: "StageInfo" });

export const StageList = z.object({ items: z.array(StageInfo) }).meta({ id: "StageList" });

const SceneStageSummary = z.object({
  scenes: z.int(),
  words: z.int(),
  issues: z.array(ContinuityIssueSchema).optional().meta({ description: "Continuity audit only" }),
  fixes_applied: z.int().optional(),
});

const ValidationOutput = z.object({
  manuscript: z.object({
    title: z.string(),
    author: z.string(),
    words: z.int(),
    chapters: z.array(z.object({ number: z.int(), title: z.string(), words: z.int(), scenes: z.int() })),
  }),
  report: QualityReportSchema,
});

export const StageOutput = StageInfo.extend({
  output: z
    .union([HighConceptSchema, WorldSchema, BeatSheetSchema, CastSchema, OutlineSchema, SceneStageSummary, ValidationOutput])
    .nullable()
    .meta({ description: "The stage's typed output; null until it has run" }),
  scenes: z
    .array(z.object({ chapter: z.int(), scene: z.int(), words: z.int(), text: z.string() }))
    .nullable()
    .meta({ description: "Scene stages: every scene's text after this stage" }),
}).meta({ id: "StageOutput" });

export const StageOutputInput = RunStageInput;

export const GenerationEvent = z
  .object({
    id: z.int().meta({ description: "Increases by one per event within a project" }),
    project_id: z.string(),
    job_id: z.string().nullable(),
    type: z.enum(EVENT_TYPES),
    data: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
  })
  .meta({ id: "GenerationEvent" });

export const EventLogInput = z.object({
  id: Id,
  after: integer(0, Number.MAX_SAFE_INTEGER).optional().meta({ description: "Return events after this id; default 0 (from the start)" }),
  limit: integer(1, EVENT_PAGE_SIZE).optional().meta({ description: `At most this many events; default ${EVENT_PAGE_SIZE}` }),
});

export const EventLog = z
  .object({
    items: z.array(GenerationEvent),
    last_event_id: z.int().meta({ description: "Pass as `after` to continue" }),
  })
  .meta({ id: "EventLog" });

export const EventsSubscriptionInput = z.object({
  project_id: Id,
  /** tRPC's reconnect key: the id of the last event received. */
  lastEventId: z.union([z.string(), z.number()]).nullish(),
});

export const ManuscriptScene = z.object({ number: z.int(), words: z.int(), text: z.string() });

export const Manuscript = z
  .object({
    project_id: z.string(),
    title: z.string(),
    author: z.string(),
    stage: z.int().meta({ description: "The scene stage (6–11) whose text this is: the latest finished one" }),
    stage_key: z.string(),
    words: z.int(),
    chapters: z.array(z.object({ number: z.int(), title: z.string(), words: z.int(), scenes: z.array(ManuscriptScene) })),
  })
  .meta({ id: "Manuscript" });
