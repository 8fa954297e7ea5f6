import { sql, type SQL } from "drizzle-orm";
import { bigint, boolean, check, customType, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import {
  ACTIVE_JOB_STATUSES,
  ARTIFACT_TYPES,
  ATTEMPT_OUTCOMES,
  DEFAULT_LANGUAGE,
  DEPLOY_PROFILES,
  DEPLOY_SCOPES,
  DEPLOYMENT_STATUSES,
  EVENT_TYPES,
  EXPORT_FORMATS,
  JOB_KINDS,
  JOB_STATUSES,
  PAUSE_REASONS,
  PROJECT_STATUSES,
  SCENE_TEXT_SOURCES,
  SCOPES,
  STAGE_STATUSES,
  TRIM_SIZES,
  type ArtifactMetadata,
  type Finding,
  type ArtifactSource,
  type ArtifactType,
  type GenerationEventPayload,
  type RewriteJobSpec,
  type StoredFile,
  type WriterSettings,
} from "@scriptorium/contract";

/** A point in time with its zone, read as a Date. */
function instant(name: string) {
  return timestamp(name, { withTimezone: true, mode: "date" });
}

/** A point in time the database sets when the row is inserted. */
function instantDefaultNow(name: string) {
  return instant(name).notNull().defaultNow();
}

/** The row belongs to the parent row `parent` names, and is deleted with it. */
function belongsTo(name: string, parent: () => AnyPgColumn) {
  return text(name).notNull().references(parent, { onDelete: "cascade" });
}

/** When the row was created and when it last changed. */
function timestamps() {
  return { createdAt: instantDefaultNow("created_at"), updatedAt: instantDefaultNow("updated_at") };
}

/** A row of one collection's, in that collection's workspace. */
function ofCollection() {
  return { workspaceId: belongsTo("workspace_id", () => workspaces.id), collectionId: belongsTo("collection_id", () => collections.id) };
}

/** A row of one project's, in that project's workspace. */
function ofProject() {
  return { workspaceId: belongsTo("workspace_id", () => workspaces.id), projectId: belongsTo("project_id", () => projects.id) };
}

/** `column in ('a', 'b')`: the values are constants of our own vocabulary, never input, so they are written out as literals. */
function isOneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in ${sql.raw(`(${values.map((value) => `'${value}'`).join(", ")})`)}`;
}

/** Every row that holds user data belongs to exactly one workspace. */
export const workspaces = pgTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: instantDefaultNow("created_at"),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    workspaceId: belongsTo("workspace_id", () => workspaces.id),
    name: text("name").notNull(),
    scope: text("scope", { enum: SCOPES }).notNull(),
    /** The first characters of the key, shown in listings so people can recognise it. */
    prefix: text("prefix").notNull(),
    /** SHA-256 of the whole key; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    createdAt: instantDefaultNow("created_at"),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_idx").on(table.keyHash),
    index("api_keys_workspace_idx").on(table.workspaceId),
    check("api_keys_scope_check", isOneOf(table.scope, SCOPES)),
  ],
);

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const collections = pgTable(
  "collections",
  {
    id: text("id").primaryKey(),
    workspaceId: belongsTo("workspace_id", () => workspaces.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Kept by triggers on artifacts (migration 0004), so listing collections counts nothing. */
    artifactCount: integer("artifact_count").notNull().default(0),
    ...timestamps(),
  },
  (table) => [uniqueIndex("collections_workspace_name_idx").on(table.workspaceId, table.name)],
);

export const artifacts = pgTable(
  "artifacts",
  {
    id: text("id").primaryKey(),
    ...ofCollection(),
    type: text("type", { enum: ARTIFACT_TYPES }).notNull(),
    name: text("name").notNull(),
    source: jsonb("source").$type<ArtifactSource>().notNull(),
    /** Branch, tag or commit followed upstream; null follows the remote's default branch. */
    trackedRef: text("tracked_ref"),
    /** The commit (git) or content hash (local) the stored copy came from. */
    resolvedVersion: text("resolved_version").notNull(),
    /** The upstream object the stored copy came from (git tree or blob id); null for local sources. */
    upstreamObject: text("upstream_object"),
    /** The stored copy's content hash; differs from `baseHash` while the copy has local edits. */
    contentHash: text("content_hash").notNull(),
    files: jsonb("files").$type<StoredFile[]>().notNull(),
    /** The merge base: the files exactly as upstream had them at the last import or sync (their bytes are blobs too). */
    baseFiles: jsonb("base_files").$type<StoredFile[]>().notNull(),
    baseHash: text("base_hash").notNull(),
    metadata: jsonb("metadata").$type<ArtifactMetadata>().notNull(),
    /** What the security review found in the stored copy; null until it has been reviewed (artifacts stored before the review existed). */
    findings: jsonb("findings").$type<Finding[]>(),
    addedAt: instantDefaultNow("added_at"),
    refreshedAt: instant("refreshed_at"),
    updatedAt: instantDefaultNow("updated_at"),
  },
  (table) => [
    uniqueIndex("artifacts_collection_type_name_idx").on(table.collectionId, table.type, table.name),
    index("artifacts_workspace_idx").on(table.workspaceId),
    // Name order, the artifact list's default. (Not updated_at: a refresh rewrites it on every changed row, and an index on it would cost every refresh more than sorting one collection's rows costs a listing.)
    index("artifacts_collection_name_id_idx").on(table.collectionId, table.name, table.id),
  ],
);

/** The state of some artifacts just before a refresh changed them; rollback restores it. */
export const snapshots = pgTable(
  "snapshots",
  {
    id: text("id").primaryKey(),
    ...ofCollection(),
    mode: text("mode").notNull(),
    requestId: text("request_id").notNull(),
    artifacts: jsonb("artifacts").$type<SnapshotArtifact[]>().notNull(),
    createdAt: instantDefaultNow("created_at"),
  },
  (table) => [index("snapshots_collection_idx").on(table.collectionId, table.createdAt)],
);

/** A whole artifact row as kept in a snapshot (timestamps as ISO strings), so rollback can restore it exactly. */
export interface SnapshotArtifact {
  id: string;
  type: ArtifactType;
  name: string;
  source: ArtifactSource;
  trackedRef: string | null;
  resolvedVersion: string;
  upstreamObject: string | null;
  contentHash: string;
  files: StoredFile[];
  /** Absent in snapshots taken before artifacts kept a merge base: the base was then the stored copy itself. */
  baseFiles?: StoredFile[];
  baseHash?: string;
  /** Absent (or null) in snapshots of artifacts not reviewed yet. */
  findings?: Finding[] | null;
  metadata: ArtifactMetadata;
  addedAt: string;
  refreshedAt: string | null;
  updatedAt: string;
}

/**
 * Where the workspace's artifacts are deployed: one row per target (a folder
 * an agent tool reads, with its profile), as the command line last reported
 * it. `target` is the client's hash of host name, absolute path and profile,
 * so the same folder always reports to the same row.
 */
export const deployments = pgTable(
  "deployments",
  {
    id: text("id").primaryKey(),
    workspaceId: belongsTo("workspace_id", () => workspaces.id),
    target: text("target").notNull(),
    profile: text("profile", { enum: DEPLOY_PROFILES }).notNull(),
    scope: text("scope", { enum: DEPLOY_SCOPES }).notNull(),
    host: text("host"),
    /** Only when the user chose to report it (`--report-path`). */
    path: text("path"),
    createdAt: instantDefaultNow("created_at"),
    /** The last report, whether or not it changed anything. */
    reportedAt: instantDefaultNow("reported_at"),
    /** The last report that changed what is recorded. */
    updatedAt: instantDefaultNow("updated_at"),
  },
  (table) => [
    uniqueIndex("deployments_workspace_target_idx").on(table.workspaceId, table.target),
    // The list's order: most recently heard from first.
    index("deployments_workspace_reported_idx").on(table.workspaceId, table.reportedAt, table.id),
    check("deployments_profile_check", isOneOf(table.profile, DEPLOY_PROFILES)),
    check("deployments_scope_check", isOneOf(table.scope, DEPLOY_SCOPES)),
  ],
);

/**
 * The artifacts one target holds, as last reported. No foreign key to the
 * artifact or its collection: a target still holds files of an artifact
 * deleted from the collection, and the record keeps saying so (the artifact
 * reads as `removed`) until the target reports it gone.
 */
export const deploymentArtifacts = pgTable(
  "deployment_artifacts",
  {
    deploymentId: belongsTo("deployment_id", () => deployments.id),
    artifactId: text("artifact_id").notNull(),
    collectionId: text("collection_id").notNull(),
    /** The collection's content hash of what was deployed. */
    contentHash: text("content_hash").notNull(),
    /** The local state the target reported; the current one also depends on the collection (see DeploymentService). */
    status: text("status", { enum: DEPLOYMENT_STATUSES }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.deploymentId, table.artifactId] }),
    index("deployment_artifacts_artifact_idx").on(table.artifactId),
    index("deployment_artifacts_collection_idx").on(table.collectionId, table.artifactId),
    check("deployment_artifacts_status_check", isOneOf(table.status, DEPLOYMENT_STATUSES)),
  ],
);

export type DeploymentRow = typeof deployments.$inferSelect;
export type DeploymentArtifactRow = typeof deploymentArtifacts.$inferSelect;

export type CollectionRow = typeof collections.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;
export type SnapshotRow = typeof snapshots.$inferSelect;

export const projects = pgTable(
  "projects",
  {
    id: text("id").primaryKey(),
    workspaceId: belongsTo("workspace_id", () => workspaces.id),
    title: text("title").notNull(),
    author: text("author").notNull(),
    genre: text("genre").notNull(),
    synopsis: text("synopsis").notNull(),
    protagonist: text("protagonist").notNull(),
    tone: text("tone").notNull(),
    targetWords: integer("target_words").notNull(),
    chapters: integer("chapters").notNull(),
    /** Null when the outline gives chapters different numbers of scenes. */
    scenesPerChapter: integer("scenes_per_chapter"),
    writer: jsonb("writer").$type<WriterSettings>().notNull(),
    /** BCP 47 tag of the book's language: what LLM writers are asked to write in, and what exports declare. */
    language: text("language").notNull().default(DEFAULT_LANGUAGE),
    seed: bigint("seed", { mode: "number" }).notNull(),
    budgetUsd: doublePrecision("budget_usd"),
    /** Mirrors the latest job; `new` until the first one starts. */
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("new"),
    /** The id of the project's newest event; events are numbered per project. */
    lastEventId: bigint("last_event_id", { mode: "number" }).notNull().default(0),
    /** When the manuscript's text last changed (an export built before it is stale). */
    textUpdatedAt: instant("text_updated_at"),
    ...timestamps(),
  },
  (table) => [index("projects_workspace_idx").on(table.workspaceId, table.createdAt)],
);

export const generationJobs = pgTable(
  "generation_jobs",
  {
    id: text("id").primaryKey(),
    ...ofProject(),
    status: text("status", { enum: JOB_STATUSES }).notNull(),
    /** The whole pipeline, one stage alone (`only_stage`), or a rewrite of one part (`rewrite`). */
    kind: text("kind", { enum: JOB_KINDS }).notNull().default("full"),
    /** Set by pause and cancel; the worker acts on it at its next checkpoint. */
    pauseRequested: boolean("pause_requested").notNull().default(false),
    cancelRequested: boolean("cancel_requested").notNull().default(false),
    /** Why the job is paused: `requested` or `budget_exhausted`. */
    pauseReason: text("pause_reason", { enum: PAUSE_REASONS }),
    /** Redo every stage instead of reusing finished ones. */
    force: boolean("force").notNull().default(false),
    /** Set for a job that runs one stage alone. */
    onlyStage: integer("only_stage"),
    /** Set for a rewrite job: the part it rewrites and how. */
    rewrite: jsonb("rewrite").$type<RewriteJobSpec>(),
    currentStage: integer("current_stage"),
    message: text("message").notNull().default(""),
    error: text("error"),
    tokens: integer("tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    /** The manuscript's words when the job last stopped (ended or paused); null until then. */
    words: integer("words"),
    /** The worker holding the job, and until when; a lease that runs out lets another worker take over. */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: instant("lease_expires_at"),
    /** How many times a worker has claimed the job; checkpoints are written only under the current claim. */
    claims: integer("claims").notNull().default(0),
    createdAt: instantDefaultNow("created_at"),
    startedAt: instant("started_at"),
    finishedAt: instant("finished_at"),
    updatedAt: instantDefaultNow("updated_at"),
  },
  (table) => [
    // At most one active job per project, enforced by the database itself.
    uniqueIndex("generation_jobs_one_active_idx")
      .on(table.projectId)
      .where(isOneOf(table.status, ACTIVE_JOB_STATUSES)),
    index("generation_jobs_project_idx").on(table.projectId, table.createdAt),
    index("generation_jobs_claim_idx").on(table.status, table.createdAt),
  ],
);

/**
 * Every claim of a job by a worker: who held it, from when to when, and how
 * it ended (null while it lasts). Written by the job queue where it claims
 * jobs and changes their state, so the history of a job's runs survives
 * pauses, restarts and takeovers.
 */
export const jobAttempts = pgTable(
  "job_attempts",
  {
    ...ofProject(),
    jobId: text("job_id")
      .notNull()
      .references(() => generationJobs.id, { onDelete: "cascade" }),
    /** The job's claim counter when this claim was made: 1 for the first. */
    claim: integer("claim").notNull(),
    workerId: text("worker_id").notNull(),
    startedAt: instantDefaultNow("started_at"),
    endedAt: instant("ended_at"),
    outcome: text("outcome", { enum: ATTEMPT_OUTCOMES }),
  },
  (table) => [primaryKey({ columns: [table.jobId, table.claim] })],
);

/** Each stage's current state and output for a project (one row per project and stage). */
export const stageRuns = pgTable(
  "stage_runs",
  {
    ...ofProject(),
    stage: integer("stage").notNull(),
    status: text("status", { enum: STAGE_STATUSES }).notNull().default("pending"),
    progress: doublePrecision("progress").notNull().default(0),
    /** The stage's typed output (see the domain's stage output schemas). */
    output: jsonb("output"),
    /** Planning stages (1–5): which of the stage's versions `output` is; null before the first. */
    version: integer("version"),
    /** When the current output was written by hand (an edit, or a restored version); null when the writer produced it. */
    editedAt: instant("edited_at"),
    jobId: text("job_id"),
    tokens: integer("tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    /** Time spent running, summed over pauses. */
    durationMs: integer("duration_ms").notNull().default(0),
    startedAt: instant("started_at"),
    finishedAt: instant("finished_at"),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.stage] })],
);

/** The text of one scene after one scene stage (6–11): the checkpoint of scene stages. */
export const sceneTexts = pgTable(
  "scene_texts",
  {
    ...ofProject(),
    stage: integer("stage").notNull(),
    chapter: integer("chapter").notNull(),
    scene: integer("scene").notNull(),
    text: text("text").notNull(),
    words: integer("words").notNull(),
    /** Stage 8's findings for this scene. */
    notes: jsonb("notes"),
    /** The text an earlier stage built this one on has changed since: the next run redoes this scene of this stage. */
    stale: boolean("stale").notNull().default(false),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.stage, table.chapter, table.scene] }),
    // Job status reports look for stale scenes on every read: only the few stale rows are indexed.
    index("scene_texts_stale_idx").on(table.projectId, table.stage).where(sql`${table.stale}`),
  ],
);

/** Every version of a planning stage's output (1–5), generated or written by hand; the current one is also in `stage_runs`. */
export const stageOutputVersions = pgTable(
  "stage_output_versions",
  {
    ...ofProject(),
    stage: integer("stage").notNull(),
    version: integer("version").notNull(),
    output: jsonb("output").notNull(),
    /** Written by hand (an edit or a restore) rather than by the writer. */
    edited: boolean("edited").notNull(),
    /** The version a restore copied. */
    restoredFrom: integer("restored_from"),
    /** The job whose writer produced it; null for edits and restores. */
    jobId: text("job_id"),
    createdAt: instantDefaultNow("created_at"),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.stage, table.version] })],
);

/** Every text a scene has had, from any stage, edit or rewrite, numbered per scene; kept when the scene is rewritten or leaves the outline. */
export const sceneTextVersions = pgTable(
  "scene_text_versions",
  {
    ...ofProject(),
    chapter: integer("chapter").notNull(),
    scene: integer("scene").notNull(),
    version: integer("version").notNull(),
    /** The scene stage (6–11) whose text this was. */
    stage: integer("stage").notNull(),
    source: text("source", { enum: SCENE_TEXT_SOURCES }).notNull(),
    jobId: text("job_id"),
    text: text("text").notNull(),
    words: integer("words").notNull(),
    createdAt: instantDefaultNow("created_at"),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.chapter, table.scene, table.version] })],
);

/** Scenes whose text the writer wrote by hand: stages 6–11 leave them as they are (until a forced start, or unpinning). */
export const scenePins = pgTable(
  "scene_pins",
  {
    ...ofProject(),
    chapter: integer("chapter").notNull(),
    scene: integer("scene").notNull(),
    /** The scene text version that stays. */
    version: integer("version").notNull(),
    createdAt: instantDefaultNow("created_at"),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.chapter, table.scene] })],
);

export const generationEvents = pgTable(
  "generation_events",
  {
    ...ofProject(),
    id: bigint("id", { mode: "number" }).notNull(),
    jobId: text("job_id"),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    data: jsonb("data").$type<GenerationEventPayload["data"]>().notNull(),
    createdAt: instantDefaultNow("created_at"),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.id] })],
);

export type ProjectRow = typeof projects.$inferSelect;
export type GenerationJobRow = typeof generationJobs.$inferSelect;
export type JobAttemptRow = typeof jobAttempts.$inferSelect;
export type StageRunRow = typeof stageRuns.$inferSelect;
export type SceneTextRow = typeof sceneTexts.$inferSelect;
export type StageOutputVersionRow = typeof stageOutputVersions.$inferSelect;
export type SceneTextVersionRow = typeof sceneTextVersions.$inferSelect;
export type GenerationEventRow = typeof generationEvents.$inferSelect;

/**
 * The latest build of one format of a project's manuscript. The file lives
 * under the data directory, named by its SHA-256, so a row never points at a
 * half-written file and the hash is the download's ETag.
 */
export const projectExports = pgTable(
  "project_exports",
  {
    ...ofProject(),
    format: text("format", { enum: EXPORT_FORMATS }).notNull(),
    /** The download's name: the title's slug and the format's extension. */
    filename: text("filename").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    /** Page size of the paged formats (`6x9` or `5x8`). */
    trim: text("trim", { enum: TRIM_SIZES }).notNull(),
    /** What the file was built from (text version, title, author); a different one now means stale. */
    sourceFingerprint: text("source_fingerprint").notNull(),
    createdAt: instantDefaultNow("created_at"),
    modifiedAt: instantDefaultNow("modified_at"),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.format] }),
    check("project_exports_format_check", isOneOf(table.format, EXPORT_FORMATS)),
  ],
);

export type ProjectExportRow = typeof projectExports.$inferSelect;

/** Binary data (PostgreSQL `bytea`), as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * File contents kept in the database, so that every process sharing one
 * PostgreSQL reads every artifact's files and every export without a shared
 * volume: content-addressed by SHA-256 (stored once however many refer to
 * it), in chunks, so that a large file is written and read a piece at a
 * time. The embedded database keeps files in its data directory instead.
 */
export const storedFiles = pgTable("stored_files", {
  sha256: text("sha256").primaryKey(),
  sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
  chunks: integer("chunks").notNull(),
  createdAt: instantDefaultNow("created_at"),
});

export const storedFileChunks = pgTable(
  "stored_file_chunks",
  {
    sha256: text("sha256")
      .notNull()
      .references(() => storedFiles.sha256, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (table) => [primaryKey({ columns: [table.sha256, table.seq] })],
);
