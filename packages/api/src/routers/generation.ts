import { tracked } from "@trpc/server";
import { EVENT_PAGE_SIZE } from "@scriptorium/contract";
import {
  EventLog,
  EventLogInput,
  EventsSubscriptionInput,
  GenerationPlan,
  JobEventLogInput,
  JobIdInput,
  JobList,
  JobListInput,
  JobStatus,
  Manuscript,
  ManuscriptInput,
  PlanInput,
  ProjectIdInput,
  RewriteInput,
  RunStageInput,
  SceneEdit,
  SceneEditInput,
  SceneInput,
  ScenePin,
  SceneVersionList,
  StageDocumentInput,
  StageList,
  StageOutput,
  StageOutputInput,
  StageVersionInput,
  StageVersionList,
  StageVersionOutput,
  StageVersionsInput,
  StartInput,
} from "../generation-schemas";
import { toJobStatus, toJobSummary, toManuscript, toPage, toPlan, toSceneEdit, toSceneVersion, toStageInfo, toStageOutput, toStageVersion, toStageVersionOutput } from "../serialize";
import { readProcedure, router, writeProcedure } from "../trpc";

const TAGS = ["generation"];
const path = <Suffix extends string>(suffix: Suffix) => `/v2/projects/{id}/generate${suffix}` as const;
const jobsPath = <Suffix extends string>(suffix: Suffix) => `/v2/projects/{id}/jobs${suffix}` as const;
const scenePath = <Suffix extends string>(suffix: Suffix) => `/v2/projects/{id}/manuscript/chapters/{chapter}/scenes/{scene}${suffix}` as const;

export const generationRouter = router({
  start: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: path(""),
        tags: TAGS,
        summary: "Start a generation job",
        description: "Runs every stage not yet finished; `force` redoes all of them. 409 when the project already has a queued, running or paused job.",
      },
    })
    .input(StartInput)
    .output(JobStatus)
    .mutation(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.start(ctx.principal.workspaceId, input.id, { force: input.force }))),

  status: readProcedure
    .meta({ openapi: { method: "GET", path: path("/status"), tags: TAGS, summary: "The latest job's status", description: "404 before the first start." } })
    .input(ProjectIdInput)
    .output(JobStatus)
    .query(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.status(ctx.principal.workspaceId, input.id))),

  pause: writeProcedure
    .meta({ openapi: { method: "POST", path: path("/pause"), tags: TAGS, summary: "Pause the job at its next checkpoint", description: "409 names the job's state when it cannot pause." } })
    .input(ProjectIdInput)
    .output(JobStatus)
    .mutation(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.pause(ctx.principal.workspaceId, input.id))),

  resume: writeProcedure
    .meta({ openapi: { method: "POST", path: path("/resume"), tags: TAGS, summary: "Resume a paused job from its last checkpoint" } })
    .input(ProjectIdInput)
    .output(JobStatus)
    .mutation(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.resume(ctx.principal.workspaceId, input.id))),

  cancel: writeProcedure
    .meta({ openapi: { method: "POST", path: path("/cancel"), tags: TAGS, summary: "Cancel the job; finished stage outputs are kept" } })
    .input(ProjectIdInput)
    .output(JobStatus)
    .mutation(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.cancel(ctx.principal.workspaceId, input.id))),

  plan: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: path("/plan"),
        tags: TAGS,
        summary: "What a start would run now, and what it would cost",
        description:
          "The stages and scenes a start would run and why (pending, stale, failed, forced), each with its writer, estimated tokens, cost and time, and the totals; `stage` plans running one stage alone, `force` a start that redoes everything, `rewrite_chapter` (with `rewrite_scene`, `rewrite_from` and `force`) a rewrite as `POST …/rewrite` would make it. While a job is active it shows what that job still has to do (with `stage`, `force` or `rewrite_chapter`, 409 as a start would answer). 409 too when `stage` or a rewrite lacks finished prerequisites; 404 for a chapter or scene the outline does not have.",
      },
    })
    .input(PlanInput)
    .output(GenerationPlan)
    .query(async ({ ctx, input }) => {
      const rewrite = input.rewrite_chapter === undefined ? undefined : { chapter: input.rewrite_chapter, scene: input.rewrite_scene, from: input.rewrite_from };
      return toPlan(await ctx.services.plans.plan(ctx.principal.workspaceId, input.id, { stage: input.stage, force: input.force, rewrite }));
    }),

  jobs: readProcedure
    .meta({ openapi: { method: "GET", path: jobsPath(""), tags: TAGS, summary: "Every job of the project, newest first, a page at a time", description: "Each with its attempts: every claim by a worker, when, and how it ended." } })
    .input(JobListInput)
    .output(JobList)
    .query(async ({ ctx, input }) => toPage(await ctx.services.jobs.list(ctx.principal.workspaceId, input.id, input), toJobSummary)),

  job: readProcedure
    .meta({ openapi: { method: "GET", path: jobsPath("/{job_id}"), tags: TAGS, summary: "One job's status", description: "As the latest job's status; an earlier job's stages as it left them." } })
    .input(JobIdInput)
    .output(JobStatus)
    .query(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.job(ctx.principal.workspaceId, input.id, input.job_id))),

  jobEvents: readProcedure
    .meta({ openapi: { method: "GET", path: jobsPath("/{job_id}/events"), tags: TAGS, summary: "One job's events after an id" } })
    .input(JobEventLogInput)
    .output(EventLog)
    .query(async ({ ctx, input }) => {
      const after = input.after ?? 0;
      const items = await ctx.services.jobs.jobEvents(ctx.principal.workspaceId, input.id, input.job_id, after, input.limit ?? EVENT_PAGE_SIZE);
      return { items, last_event_id: items.at(-1)?.id ?? after };
    }),

  stages: readProcedure
    .meta({ openapi: { method: "GET", path: path("/stages"), tags: TAGS, summary: "The 12 stages and this project's status of each" } })
    .input(ProjectIdInput)
    .output(StageList)
    .query(async ({ ctx, input }) => ({ items: (await ctx.services.jobs.stages(ctx.principal.workspaceId, input.id)).map(toStageInfo) })),

  stage: readProcedure
    .meta({ openapi: { method: "GET", path: path("/stages/{stage_number}"), tags: TAGS, summary: "One stage's output", description: "Scene stages include every scene's text after the stage." } })
    .input(StageOutputInput)
    .output(StageOutput)
    .query(async ({ ctx, input }) => toStageOutput(await ctx.services.jobs.stageOutput(ctx.principal.workspaceId, input.id, input.stage_number))),

  runStage: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: path("/stages/{stage_number}"),
        tags: TAGS,
        summary: "Run one stage alone",
        description: "Needs stages 1..N-1 finished (409 otherwise, or while a job is active); marks the stages after N stale. 422 outside 1–12.",
      },
    })
    .input(RunStageInput)
    .output(JobStatus)
    .mutation(async ({ ctx, input }) => toJobStatus(await ctx.services.jobs.runStage(ctx.principal.workspaceId, input.id, input.stage_number))),

  eventLog: readProcedure
    .meta({ openapi: { method: "GET", path: path("/events"), tags: TAGS, summary: "Persisted events after an id (polling alternative to live streams)" } })
    .input(EventLogInput)
    .output(EventLog)
    .query(async ({ ctx, input }) => {
      const after = input.after ?? 0;
      const items = await ctx.services.jobs.eventLog(ctx.principal.workspaceId, input.id, after, input.limit ?? EVENT_PAGE_SIZE);
      return { items, last_event_id: items.at(-1)?.id ?? after };
    }),

  /** Every event after `lastEventId`, then live ones (tRPC only: SSE or WebSocket); reconnecting resumes where it stopped. */
  events: readProcedure.input(EventsSubscriptionInput).subscription(async function* ({ ctx, input, signal }) {
    const after = Number(input.lastEventId ?? 0);
    const stop = signal ?? new AbortController().signal;
    for await (const event of ctx.services.jobs.follow(ctx.principal.workspaceId, input.project_id, Number.isFinite(after) ? after : 0, stop)) {
      yield tracked(String(event.id), event);
    }
  }),

  manuscript: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/v2/projects/{id}/manuscript",
        tags: TAGS,
        summary: "Chapters and scenes of the latest text",
        description: "404 until scene drafting (stage 6) has finished. `chapter_from` and `chapter_to` (1-based, inclusive) select chapters; `words` always counts the whole manuscript.",
      },
    })
    .input(ManuscriptInput)
    .output(Manuscript)
    .query(async ({ ctx, input }) => {
      const { project, manuscript } = await ctx.services.jobs.manuscript(ctx.principal.workspaceId, input.id, { from: input.chapter_from, to: input.chapter_to });
      return toManuscript(project, manuscript);
    }),

  editStage: writeProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: path("/stages/{stage_number}/output"),
        tags: TAGS,
        summary: "Replace a planning stage's output with the writer's own document",
        description:
          "The body is the stage's document, exactly the `output` of `GET …/stages/{n}` (stages 1–5). It is stored as the stage's next version (`edited: true`), counts as completed even if the stage never ran, and every later stage that has output becomes stale: the next start redoes exactly those. An outline also reshapes the book (`chapters`, `scenes_per_chapter`). 422 names the fields of an invalid document (a document of another stage included); 409 while a job is active.",
      },
    })
    .input(StageDocumentInput)
    .output(StageOutput)
    .mutation(async ({ ctx, input }) => {
      const { id, stage_number, ...document } = input;
      return toStageOutput(await ctx.services.edits.editStage(ctx.principal.workspaceId, id, stage_number, document));
    }),

  stageVersions: readProcedure
    .meta({ openapi: { method: "GET", path: path("/stages/{stage_number}/versions"), tags: TAGS, summary: "A planning stage's versions, newest first", description: "Stages 1–5 (422 otherwise)." } })
    .input(StageVersionsInput)
    .output(StageVersionList)
    .query(async ({ ctx, input }) => ({ items: (await ctx.services.edits.stageVersions(ctx.principal.workspaceId, input.id, input.stage_number)).map(toStageVersion) })),

  stageVersion: readProcedure
    .meta({ openapi: { method: "GET", path: path("/stages/{stage_number}/versions/{version}"), tags: TAGS, summary: "One version of a planning stage's output" } })
    .input(StageVersionInput)
    .output(StageVersionOutput)
    .query(async ({ ctx, input }) => toStageVersionOutput(await ctx.services.edits.stageVersion(ctx.principal.workspaceId, input.id, input.stage_number, input.version))),

  restoreStageVersion: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: path("/stages/{stage_number}/versions/{version}/restore"),
        tags: TAGS,
        summary: "Make an earlier version of a planning stage current again",
        description: "Stored as a new version that copies it (`restored_from`); the same stages become stale as after an edit. 409 while a job is active.",
      },
    })
    .input(StageVersionInput)
    .output(StageOutput)
    .mutation(async ({ ctx, input }) => toStageOutput(await ctx.services.edits.restoreStageVersion(ctx.principal.workspaceId, input.id, input.stage_number, input.version))),

  editScene: writeProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: scenePath(""),
        tags: TAGS,
        summary: "Replace a scene's latest text with the writer's own, and pin it",
        description:
          "Later runs of stages 6–11 leave a pinned scene as it is, unless started with `force` or the scene is unpinned. Stage 12 and the exports become stale; the text it replaces stays among the scene's versions. 404 for a chapter or scene the manuscript does not have; 409 while a job is active.",
      },
    })
    .input(SceneEditInput)
    .output(SceneEdit)
    .mutation(async ({ ctx, input }) => toSceneEdit(await ctx.services.edits.editScene(ctx.principal.workspaceId, input.id, input.chapter, input.scene, input.text))),

  unpinScene: writeProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: scenePath("/pin"),
        tags: TAGS,
        summary: "Unpin a scene: later runs of stages 6–11 may rewrite it again",
        description: "The scene keeps its text until one does. Unpinning a scene that is not pinned changes nothing. 409 while a job is active.",
      },
    })
    .input(SceneInput)
    .output(ScenePin)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.edits.unpinScene(ctx.principal.workspaceId, input.id, input.chapter, input.scene);
      return { chapter: input.chapter, scene: input.scene, pinned: false };
    }),

  sceneVersions: readProcedure
    .meta({
      openapi: {
        method: "GET",
        path: scenePath("/versions"),
        tags: TAGS,
        summary: "Every text a scene has had, newest first",
        description: "Which stage, edit or rewrite produced each, when, and its words.",
      },
    })
    .input(SceneInput)
    .output(SceneVersionList)
    .query(async ({ ctx, input }) => ({ items: (await ctx.services.edits.sceneVersions(ctx.principal.workspaceId, input.id, input.chapter, input.scene)).map(toSceneVersion) })),

  rewrite: writeProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/v2/projects/{id}/rewrite",
        tags: TAGS,
        summary: "Rewrite a chapter or one scene following an instruction",
        description:
          "A job like any other (events, pause, resume, cancel; 409 while another is active): it redrafts the scenes following the instruction (`from: draft`, the default) or revises their current text with it (`revise`), then runs stages 7–11 over those scenes alone and stage 12 over the book. Needs the book written through stage 11 (409). Pinned scenes are left as they are unless `force`. 404 for a chapter or scene the outline does not have.",
      },
    })
    .input(RewriteInput)
    .output(JobStatus)
    .mutation(async ({ ctx, input }) => {
      const { id, ...request } = input;
      return toJobStatus(await ctx.services.jobs.rewrite(ctx.principal.workspaceId, id, request));
    }),
});
