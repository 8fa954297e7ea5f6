import { z } from "zod";
import {
  ATTEMPT_OUTCOMES,
  EVENT_PAGE_SIZE,
  EVENT_TYPES,
  Flag,
  Id,
  integer,
  JOB_KINDS,
  JOB_STATUSES,
  ModelPrice,
  PageInput,
  pageOf,
  PAUSE_REASONS,
  PROJECT_STATUSES,
  REWRITE_FROM,
  RewriteRequest,
  RUN_REASONS,
  SCENE_TEXT_SOURCES,
  SceneTextInput,
  STAGE,
  STAGE_COUNT,
  STAGE_STATUSES,
  WriterConfig,
  WriterProvider,
} from "@scriptorium/contract";
import { BeatSheetSchema, CastSchema, ContinuityIssueSchema, HighConceptSchema, OutlineSchema, QualityReportSchema, WorldSchema } from "@scriptorium/domain";
import { QueryFlag, Timestamp } from "./schemas";

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
    language: z.string().meta({ description: "BCP 47 tag of the book's language" }),
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

const JobKind = z.enum(JOB_KINDS).meta({ description: "full: every stage not yet finished; stage: one stage alone; rewrite: a chapter or scene rewritten" });

export const JobStatus = z
  .object({
    job_id: z.string(),
    project_id: z.string(),
    kind: JobKind,
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

// ─── Plans ───────────────────────────────────────────────────────────────────

export const PlanInput = z.object({
  id: Id,
  stage: integer(1, STAGE_COUNT).optional().meta({ description: "Plan running this stage alone (as POST …/generate/stages/{n})" }),
  force: QueryFlag.optional().meta({ description: "Plan a start that redoes every stage (as POST …/generate with force); with rewrite_chapter, a rewrite of pinned scenes too" }),
  rewrite_chapter: integer(1, 10_000).optional().meta({ description: "Plan a rewrite of this chapter (as POST …/rewrite)" }),
  rewrite_scene: integer(1, 10_000).optional().meta({ description: "With rewrite_chapter: of this scene alone" }),
  rewrite_from: z.enum(REWRITE_FROM).optional().meta({ description: "With rewrite_chapter: draft (the default) or revise" }),
}).refine((input) => input.rewrite_chapter !== undefined || (input.rewrite_scene === undefined && input.rewrite_from === undefined), {
  path: ["rewrite_chapter"],
  message: "rewrite_scene and rewrite_from plan a rewrite: name its chapter in rewrite_chapter.",
});

const Tokens = {
  requests: z.int().meta({ description: "Model requests (none for the offline writer and stage 12)" }),
  input_tokens: z.int().meta({ description: "Estimated prompt tokens" }),
  output_tokens: z.int().meta({ description: "Estimated answer tokens" }),
  cost_usd: z.number().nullable().meta({ description: "Estimated cost; null when a model's price is unknown" }),
  seconds: z.number().meta({ description: "Estimated time" }),
};

export const PlannedStage = z
  .object({
    number: StageNumber,
    key: z.string(),
    name: z.string(),
    reason: z.enum(RUN_REASONS).meta({ description: "pending: never finished; stale: out of date; failed: failed last time; forced: redone because the start asks (force, running the stage alone, or a rewrite)" }),
    writer: z
      .object({
        provider: WriterProvider,
        model: z.string().nullable().meta({ description: "The model called; null for the offline writer" }),
        base_url: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "Who writes the stage; null for stage 12, which computes its report" }),
    price: ModelPrice.nullable().meta({ description: "What the model costs; null when unknown (or for stage 12)" }),
    price_source: z.enum(["offline", "project", "table"]).nullable().meta({ description: "offline: free; project: writer.price or the stage's price; table: the price table" }),
    scenes: z
      .array(z.object({ chapter: z.int(), scenes: z.array(z.int()) }))
      .nullable()
      .meta({ description: "Scene stages: the scenes it writes, by chapter; null for the other stages" }),
    scene_count: z.int().meta({ description: "Scenes it writes (0 for the other stages)" }),
    pinned_scenes: z.int().meta({ description: "Of those, scenes written by hand (pinned): carried through unchanged, with no request" }),
    kept_scenes: z.int().meta({ description: "Scenes (of the rewritten part, for a rewrite) kept as an earlier run left them: finished and not stale" }),
    ...Tokens,
  })
  .meta({ id: "PlannedStage" });

export const GenerationPlan = z
  .object({
    project_id: z.string(),
    active_job: z
      .object({ job_id: z.string(), status: z.enum(JOB_STATUSES) })
      .nullable()
      .meta({ description: "The queued, running or paused job whose remaining work this plan shows; null: what a new start would run" }),
    kind: JobKind,
    force: z.boolean(),
    only_stage: StageNumber.nullable(),
    rewrite: z
      .object({
        chapter: z.int(),
        scene: z.int().nullable().meta({ description: "The scene asked for; null: the whole chapter" }),
        from: z.enum(REWRITE_FROM),
        scenes: z.array(z.int()).meta({ description: "The scenes it rewrites: pinned ones are left out unless force" }),
      })
      .nullable()
      .meta({ description: "A rewrite's part; null for the other kinds" }),
    stages: z.array(PlannedStage),
    totals: z.object(Tokens),
    budget_usd: z.number().nullable(),
    spent_usd: z.number().meta({ description: "What the project's jobs have spent so far (the budget covers them all)" }),
    prices_as_of: z.string().meta({ description: "Date of the price table the estimates use" }),
    warnings: z
      .array(z.object({ code: z.enum(["offline_writes_english", "price_unknown", "over_budget"]), message: z.string() }))
      .meta({ description: "What to know before starting" }),
  })
  .meta({ id: "GenerationPlan" });

// ─── Runs ────────────────────────────────────────────────────────────────────

export const JobListInput = PageInput.extend({ id: Id });
export const JobIdInput = z.object({ id: Id, job_id: Id });

export const JobAttempt = z
  .object({
    claim: z.int().meta({ description: "1 for the job's first claim, 2 for the next, …" }),
    worker_id: z.string().meta({ description: "The worker that held the job: host, process id and a random part" }),
    started_at: Timestamp,
    ended_at: Timestamp.nullable().meta({ description: "Null while the worker holds the job" }),
    outcome: z
      .enum(ATTEMPT_OUTCOMES)
      .nullable()
      .meta({
        description:
          "completed, paused, budget_exhausted, cancelled, failed; handed_back: the worker stopped (shutdown, lost database) and the job continued elsewhere; taken_over: the worker's lease ran out and another took the job over; null while it lasts",
      }),
  })
  .meta({ id: "JobAttempt" });

export const JobSummary = z
  .object({
    job_id: z.string(),
    kind: JobKind,
    status: z.enum(JOB_STATUSES),
    only_stage: StageNumber.nullable(),
    force: z.boolean(),
    rewrite: z
      .object({
        chapter: z.int(),
        scene: z.int().nullable().meta({ description: "Null for the whole chapter" }),
        from: z.enum(REWRITE_FROM),
        instruction: z.string(),
        scenes: z.array(z.int()).meta({ description: "The scenes it rewrites: pinned ones left out unless forced" }),
      })
      .nullable()
      .meta({ description: "A rewrite job's part, how and with what instruction; null for other kinds" }),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    finished_at: Timestamp.nullable(),
    duration_ms: z.int().nullable().meta({ description: "Time workers spent on the job, pauses not counted; null before it first ran" }),
    words: z.int().nullable().meta({ description: "The manuscript's words as the job left it (now, for an active job)" }),
    tokens: z.int(),
    cost_usd: z.number(),
    attempts: z.array(JobAttempt),
    error: z.string().nullable(),
  })
  .meta({ id: "JobSummary" });

export const JobList = pageOf(JobSummary).meta({ id: "JobList" });

export const JobEventLogInput = EventLogInput.extend({ job_id: Id });

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
