import { z } from "zod";
import {
  EVENT_PAGE_SIZE,
  EVENT_TYPES,
  Flag,
  Id,
  integer,
  JOB_KINDS,
  JOB_STATUSES,
  pageOf,
  PAUSE_REASONS,
  PROJECT_STATUSES,
  RewriteRequest,
  SCENE_TEXT_SOURCES,
  SceneTextInput,
  STAGE,
  STAGE_COUNT,
  STAGE_STATUSES,
  WriterConfig,
} from "@scriptorium/contract";
import { BeatSheetSchema, CastSchema, ContinuityIssueSchema, HighConceptSchema, OutlineSchema, QualityReportSchema, WorldSchema } from "@scriptorium/domain";
import { Timestamp } from "./schemas";

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
    chapters: z.int().meta({ description: "Follows the outline once there is one" }),
    scenes_per_chapter: z.int().nullable().meta({ description: "null when the outline gives chapters different numbers of scenes" }),
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
    kind: z.enum(JOB_KINDS).meta({ description: "full: the pipeline; stage: one stage alone; rewrite: one chapter or scene rewritten" }),
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
  version: z.int().nullable().meta({ description: "Planning stages (1–5): the version of the output; null before the first" }),
  edited: z.boolean().meta({ description: "The output was written by hand (an edit, or a restored version)" }),
  edited_at: Timestamp.nullable(),
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

export const ManuscriptScene = z.object({
  number: z.int(),
  words: z.int(),
  text: z.string(),
  pinned: z.boolean().meta({ description: "Written by hand: stages 6–11 leave it as it is until it is unpinned or a start is forced" }),
});

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

// ─── Steering ────────────────────────────────────────────────────────────────

/**
 * A planning stage's document, as `GET …/stages/{n}` returns it in
 * `output`, sent as the whole body. Every stage's fields are listed (each
 * checked for its type here); the stage's own schema, with its required
 * fields and nothing else, is checked by the domain.
 */
export const StageDocumentInput = z
  .strictObject({
    id: Id,
    stage_number: integer(1, STAGE_COUNT),
    ...HighConceptSchema.partial().shape,
    ...WorldSchema.partial().shape,
    ...BeatSheetSchema.partial().shape,
    ...CastSchema.partial().shape,
    ...OutlineSchema.partial().shape,
  })
  .meta({ description: `The stage's document: the fields of exactly one planning stage (1–${STAGE.scene_outline})` });

export const StageVersionsInput = RunStageInput;
export const StageVersionInput = RunStageInput.extend({ version: integer(1, 1_000_000) });

export const StageVersion = z
  .object({
    version: z.int(),
    edited: z.boolean().meta({ description: "Written by hand (an edit or a restore) rather than by the writer" }),
    restored_from: z.int().nullable().meta({ description: "The version a restore copied" }),
    job_id: z.string().nullable().meta({ description: "The job whose writer produced it" }),
    created_at: Timestamp,
    current: z.boolean().meta({ description: "The stage's output now" }),
  })
  .meta({ id: "StageVersion" });

export const StageVersionList = z.object({ items: z.array(StageVersion) }).meta({ id: "StageVersionList" });

export const StageVersionOutput = StageVersion.extend({
  stage: StageNumber,
  stage_key: z.string(),
  output: z.union([HighConceptSchema, WorldSchema, BeatSheetSchema, CastSchema, OutlineSchema]),
}).meta({ id: "StageVersionOutput" });

export const SceneInput = z.object({ id: Id, chapter: integer(1, 10_000), scene: integer(1, 10_000) });
export const SceneEditInput = SceneInput.extend(SceneTextInput.shape);

export const SceneEdit = z
  .object({
    chapter: z.int(),
    scene: z.int(),
    stage: z.int().meta({ description: "The scene stage whose text the edit replaced: the manuscript's" }),
    stage_key: z.string(),
    version: z.int().meta({ description: "The scene text version the edit added, which the pin keeps" }),
    words: z.int(),
    text: z.string(),
    pinned: z.literal(true),
  })
  .meta({ id: "SceneEdit" });

export const ScenePin = z.object({ chapter: z.int(), scene: z.int(), pinned: z.boolean() }).meta({ id: "ScenePin" });

export const SceneVersion = z
  .object({
    version: z.int(),
    stage: z.int().meta({ description: "The scene stage (6–11) whose text it was" }),
    stage_key: z.string(),
    source: z.enum(SCENE_TEXT_SOURCES).meta({ description: "stage: written by that stage; edit: by hand; rewrite: a rewrite's new draft or revision" }),
    job_id: z.string().nullable(),
    created_at: Timestamp,
    words: z.int(),
    text: z.string(),
    pinned: z.boolean().meta({ description: "The text the scene's pin keeps" }),
  })
  .meta({ id: "SceneVersion" });

export const SceneVersionList = z.object({ items: z.array(SceneVersion) }).meta({ id: "SceneVersionList" });

export const RewriteInput = RewriteRequest.extend({ id: Id });
