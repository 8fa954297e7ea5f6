import { performance } from "node:perf_hooks";
import type { z } from "zod";
import type { ExportFormat, StageWriterSettings, WriterSettings } from "@scriptorium/contract";
import {
  type ApiKey as DomainApiKey,
  type ArtifactDeployments as DomainArtifactDeployments,
  type Deployment as DomainDeployment,
  findingsSummary,
  modifiedFilesOf,
  type Artifact as DomainArtifact,
  type ArtifactFile as DomainArtifactFile,
  type EditedScene as DomainEditedScene,
  type EditOutcome,
  type Collection as DomainCollection,
  type ExportRecord,
  type IssuedApiKey as DomainIssuedApiKey,
  type JobPlan,
  type JobReport,
  type JobSummary as DomainJobSummary,
  type Page,
  type Manuscript as DomainManuscript,
  type Project as DomainProject,
  type RefreshOutcome,
  type SceneVersion as DomainSceneVersion,
  type Snapshot as DomainSnapshot,
  type StageOutputReport,
  type StagePlan,
  type StageReport,
  type StageVersion as DomainStageVersion,
  type StageVersionWithOutput,
} from "@scriptorium/domain";
import type { ArtifactDeployments, Deployment } from "./deployment-schemas";
import type { Export, ExportStatus } from "./export-schemas";
import type {
  GenerationPlan,
  JobStatus,
  JobSummary,
  Manuscript,
  PlannedStage,
  Project,
  SceneEdit,
  SceneVersion,
  StageInfo,
  StageOutput,
  StageStatus,
  StageVersion,
  StageVersionOutput,
} from "./generation-schemas";
import type { ApiKey, Artifact, ArtifactFile, Collection, FileEdit, IssuedApiKey, RefreshResponse, Snapshot } from "./schemas";

/** A page of a list, each item serialized by `toItem`. */
export function toPage<T, U>(page: Page<T>, toItem: (item: T) => U): { items: U[]; next_cursor: string | null; total?: number } {
  const items = page.items.map(toItem);
  return page.total === undefined ? { items, next_cursor: page.nextCursor } : { items, next_cursor: page.nextCursor, total: page.total };
}

/** Domain rows to API payloads: snake_case names and ISO timestamps. */
export function toApiKey(key: DomainApiKey): z.infer<typeof ApiKey> {
  return { id: key.id, name: key.name, scope: key.scope, prefix: key.prefix, created_at: key.createdAt.toISOString() };
}

export function toIssuedApiKey(key: DomainIssuedApiKey): z.infer<typeof IssuedApiKey> {
  return { ...toApiKey(key), key: key.key };
}

export function toCollection(collection: DomainCollection): z.infer<typeof Collection> {
  return {
    id: collection.id,
    name: collection.name,
    description: collection.description,
    created_at: collection.createdAt.toISOString(),
    updated_at: collection.updatedAt.toISOString(),
    artifact_count: collection.artifactCount,
  };
}

export function toArtifact(row: DomainArtifact): z.infer<typeof Artifact> {
  return {
    id: row.id,
    collection_id: row.collectionId,
    type: row.type,
    name: row.name,
    source: row.source,
    tracked_ref: row.trackedRef,
    resolved_version: row.resolvedVersion,
    content_hash: row.contentHash,
    metadata: row.metadata,
    files: row.files,
    base_files: row.baseFiles.map((file) => ({ path: file.path, sha256: file.sha256 })),
    locally_modified: row.contentHash !== row.baseHash,
    modified_files: modifiedFilesOf(row),
    findings_summary: findingsSummary(row.findings ?? []),
    added_at: row.addedAt.toISOString(),
    refreshed_at: row.refreshedAt?.toISOString() ?? null,
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * Which entries a refresh answer lists: every artifact (the default), only
 * those that are not simply unchanged (refreshed, skipped, failed, or with
 * an update available), or none — the counts are always complete.
 */
export type RefreshEntries = "all" | "changed" | "none";

function listedEntries(entries: RefreshOutcome["entries"], which: RefreshEntries): RefreshOutcome["entries"] {
  if (which === "none") return [];
  if (which === "changed") return entries.filter((entry) => entry.status !== "unchanged" || entry.updateAvailable);
  return entries;
}

export function toRefreshResponse(outcome: RefreshOutcome, requestId: string, startedAt: number, which: RefreshEntries = "all"): z.infer<typeof RefreshResponse> {
  return {
    status: outcome.status,
    timestamp: new Date().toISOString(),
    request_id: requestId,
    mode: outcome.mode,
    dry_run: outcome.dryRun,
    snapshot_id: outcome.snapshotId,
    result: {
      refreshed_count: outcome.counts.refreshed,
      unchanged_count: outcome.counts.unchanged,
      skipped_count: outcome.counts.skipped,
      error_count: outcome.counts.error,
      update_available_count: outcome.counts.updateAvailable,
      entries: listedEntries(outcome.entries, which).map((entry) => ({
        artifact_id: entry.artifactId,
        name: entry.name,
        type: entry.type,
        status: entry.status,
        changes: entry.changes,
        old_values: entry.oldValues,
        new_values: entry.newValues,
        current_version: entry.currentVersion,
        upstream_version: entry.upstreamVersion,
        update_available: entry.updateAvailable,
        reason: entry.reason,
        ...(entry.reasonCode ? { reason_code: entry.reasonCode } : {}),
        error: entry.error,
        duration_ms: entry.durationMs,
        ...(entry.merge ? { merge: entry.merge } : {}),
        ...(entry.filesChanged ? { files_changed: entry.filesChanged } : {}),
        ...(entry.findingsAdded ? { findings_added: entry.findingsAdded } : {}),
        ...(entry.findingsRemoved ? { findings_removed: entry.findingsRemoved } : {}),
        ...(entry.conflicts
          ? {
              conflicts: entry.conflicts.map((conflict) => ({
                path: conflict.path,
                kind: conflict.kind,
                base_sha256: conflict.baseSha256,
                ours_sha256: conflict.oursSha256,
                theirs_sha256: conflict.theirsSha256,
              })),
            }
          : {}),
      })),
      duration_ms: outcome.durationMs,
    },
    took_ms: Math.round((performance.now() - startedAt) * 10) / 10,
  };
}

export function toSnapshot(row: DomainSnapshot): z.infer<typeof Snapshot> {
  return {
    id: row.id,
    collection_id: row.collectionId,
    mode: row.mode,
    request_id: row.requestId,
    artifact_count: row.artifacts.length,
    artifact_names: row.artifacts.map((artifact) => `${artifact.type}/${artifact.name}`),
    created_at: row.createdAt.toISOString(),
  };
}

/** One writer with every field present: a price and stage writers a project never set are null and none. */
function toStageWriter(writer: StageWriterSettings): z.infer<typeof Project>["writer"]["stages"][string] {
  return { provider: writer.provider, model: writer.model, base_url: writer.base_url, price: writer.price ?? null };
}

function toWriter(writer: WriterSettings): z.infer<typeof Project>["writer"] {
  const stages = Object.entries(writer.stages ?? {}).map(([stage, own]) => [stage, toStageWriter(own)] as const);
  return { ...toStageWriter(writer), stages: Object.fromEntries(stages) };
}

/** A project's settings with its identity, writer, budget and state. */
export function toProject(project: DomainProject): z.infer<typeof Project> {
  return {
    id: project.id,
    title: project.title,
    author: project.author,
    genre: project.genre,
    synopsis: project.synopsis,
    protagonist: project.protagonist,
    tone: project.tone,
    target_words: project.targetWords,
    chapters: project.chapters,
    scenes_per_chapter: project.scenesPerChapter,
    seed: project.seed,
    language: project.language,
    writer: toWriter(project.writer),
    budget_usd: project.budgetUsd,
    status: project.status,
    created_at: project.createdAt.toISOString(),
    updated_at: project.updatedAt.toISOString(),
  };
}

export function toExport(record: ExportRecord): z.infer<typeof Export> {
  return {
    format: record.format,
    filename: record.filename,
    size_bytes: record.sizeBytes,
    sha256: record.sha256,
    trim: record.trim,
    created_at: record.createdAt.toISOString(),
    modified_at: record.modifiedAt.toISOString(),
    stale: record.stale,
  };
}

/** Whether one format has been built, and when: the same fields as a listed export, null before the first build. */
export function toExportStatus(format: ExportFormat, record: ExportRecord | null): z.infer<typeof ExportStatus> {
  if (!record) return { format, exists: false, filename: null, size_bytes: null, created_at: null, modified_at: null, stale: null };
  return {
    format,
    exists: true,
    filename: record.filename,
    size_bytes: record.sizeBytes,
    created_at: record.createdAt.toISOString(),
    modified_at: record.modifiedAt.toISOString(),
    stale: record.stale,
  };
}

/** A job's status as every transport sends it: REST, tRPC and the WebSocket protocol. */
export type JobStatusView = z.infer<typeof JobStatus>;

export function toJobStatus(report: JobReport): JobStatusView {
  const current = report.currentStage;
  return {
    job_id: report.jobId,
    project_id: report.projectId,
    kind: report.kind,
    status: report.status,
    pause_requested: report.pauseRequested,
    cancel_requested: report.cancelRequested,
    pause_reason: report.pauseReason,
    only_stage: report.onlyStage,
    current_stage: current ? { number: current.number, key: current.key, name: current.name } : null,
    stages: report.stages.map(toStageStatus),
    progress: report.progress,
    message: report.message,
    error: report.error,
    words: report.words,
    tokens: report.tokens,
    cost_usd: report.costUsd,
    // Where the job's results can be fetched: the REST path of `generation.manuscript`, once there is a manuscript.
    output_paths: report.hasManuscript ? [`/api/v2/projects/${report.projectId}/manuscript`] : [],
    created_at: report.createdAt.toISOString(),
    started_at: report.startedAt?.toISOString() ?? null,
    finished_at: report.finishedAt?.toISOString() ?? null,
    updated_at: report.updatedAt.toISOString(),
    last_event_id: report.lastEventId,
  };
}

function toStageStatus(report: StageReport): z.infer<typeof StageStatus> {
  return {
    number: report.stage.number,
    key: report.stage.key,
    name: report.stage.name,
    status: report.status,
    progress: report.progress,
    started_at: report.startedAt?.toISOString() ?? null,
    finished_at: report.finishedAt?.toISOString() ?? null,
    duration_ms: report.durationMs,
  };
}

export function toStageInfo(report: StageReport): z.infer<typeof StageInfo> {
  return { ...toStageStatus(report), description: report.stage.description, scope: report.stage.scope, tokens: report.tokens, cost_usd: report.costUsd };
}

export function toStageOutput(report: StageOutputReport): z.infer<typeof StageOutput> {
  // The stored output has the shape its stage writes, one of those StageOutput lists; the database hands it back untyped.
  return {
    ...toStageInfo(report),
    output: report.output as z.infer<typeof StageOutput>["output"],
    version: report.version,
    edited: report.editedAt !== null,
    edited_at: report.editedAt?.toISOString() ?? null,
    scenes: report.scenes,
  };
}

export function toStageVersion(version: DomainStageVersion): z.infer<typeof StageVersion> {
  return {
    version: version.version,
    edited: version.edited,
    restored_from: version.restoredFrom,
    job_id: version.jobId,
    created_at: version.createdAt.toISOString(),
    current: version.current,
  };
}

export function toStageVersionOutput(version: StageVersionWithOutput): z.infer<typeof StageVersionOutput> {
  // Versions hold planning documents only, stored as their stage's schema wrote them.
  return { ...toStageVersion(version), stage: version.stage.number, stage_key: version.stage.key, output: version.output as z.infer<typeof StageVersionOutput>["output"] };
}

export function toSceneEdit(edit: DomainEditedScene): z.infer<typeof SceneEdit> {
  return { chapter: edit.chapter, scene: edit.scene, stage: edit.stage.number, stage_key: edit.stage.key, version: edit.version, words: edit.words, text: edit.text, pinned: true };
}

export function toSceneVersion(version: DomainSceneVersion): z.infer<typeof SceneVersion> {
  return {
    version: version.version,
    stage: version.stage.number,
    stage_key: version.stage.key,
    source: version.source,
    job_id: version.jobId,
    created_at: version.createdAt.toISOString(),
    words: version.words,
    text: version.text,
    pinned: version.pinned,
  };
}

/** A project's latest text, headed by the project's identity. */
export function toManuscript(project: DomainProject, manuscript: DomainManuscript): z.infer<typeof Manuscript> {
  return {
    project_id: project.id,
    title: project.title,
    author: project.author,
    stage: manuscript.stage,
    stage_key: manuscript.stageKey,
    words: manuscript.words,
    chapters: manuscript.chapters,
  };
}

export function toArtifactFile(file: DomainArtifactFile): z.infer<typeof ArtifactFile> {
  return { path: file.path, size: file.size, sha256: file.sha256, executable: file.executable, media_type: file.mediaType };
}

export function toFileEdit(edit: EditOutcome): z.infer<typeof FileEdit> {
  return { file: edit.file ? toArtifactFile(edit.file) : null, created: edit.created, snapshot_id: edit.snapshotId, artifact: toArtifact(edit.artifact) };
}

export function toDeployment(deployment: DomainDeployment): z.infer<typeof Deployment> {
  return {
    id: deployment.id,
    target: deployment.target,
    profile: deployment.profile,
    scope: deployment.scope,
    host: deployment.host,
    path: deployment.path,
    artifact_count: deployment.artifactCount,
    artifacts: deployment.artifacts.map((artifact) => ({
      artifact_id: artifact.artifactId,
      collection_id: artifact.collectionId,
      type: artifact.type,
      name: artifact.name,
      content_hash: artifact.contentHash,
      current_content_hash: artifact.currentContentHash,
      reported_status: artifact.reportedStatus,
      status: artifact.status,
      behind: artifact.behind,
    })),
    created_at: deployment.createdAt.toISOString(),
    reported_at: deployment.reportedAt.toISOString(),
    updated_at: deployment.updatedAt.toISOString(),
  };
}

export function toArtifactDeployments(summary: DomainArtifactDeployments): z.infer<typeof ArtifactDeployments> {
  return { artifact_id: summary.artifactId, targets: summary.targets, statuses: summary.statuses };
}

function toPlannedStage(plan: StagePlan): z.infer<typeof PlannedStage> {
  const scenes = plan.scenes?.reduce((total, chapter) => total + chapter.scenes.length, 0) ?? 0;
  return {
    number: plan.stage.number,
    key: plan.stage.key,
    name: plan.stage.name,
    reason: plan.reason,
    writer: plan.writer ? { provider: plan.writer.provider, model: plan.model, base_url: plan.writer.base_url } : null,
    price: plan.price ? { input_per_mtok: plan.price.price.inputPerMillion, output_per_mtok: plan.price.price.outputPerMillion } : null,
    price_source: plan.price?.source ?? null,
    scenes: plan.scenes,
    scene_count: scenes,
    pinned_scenes: plan.pinnedScenes,
    kept_scenes: plan.keptScenes,
    requests: plan.requests,
    input_tokens: plan.inputTokens,
    output_tokens: plan.outputTokens,
    cost_usd: plan.costUsd,
    seconds: plan.seconds,
  };
}

export function toPlan(plan: JobPlan): z.infer<typeof GenerationPlan> {
  return {
    project_id: plan.projectId,
    active_job: plan.activeJob ? { job_id: plan.activeJob.id, status: plan.activeJob.status } : null,
    kind: plan.kind,
    force: plan.force,
    only_stage: plan.onlyStage,
    rewrite: plan.rewrite,
    stages: plan.stages.map(toPlannedStage),
    totals: {
      requests: plan.totals.requests,
      input_tokens: plan.totals.inputTokens,
      output_tokens: plan.totals.outputTokens,
      cost_usd: plan.totals.costUsd,
      seconds: plan.totals.seconds,
    },
    budget_usd: plan.budgetUsd,
    spent_usd: plan.spentUsd,
    prices_as_of: plan.pricesAsOf,
    warnings: plan.warnings,
  };
}

/** One run of a project, with every claim a worker made of it. */
export function toJobSummary(summary: DomainJobSummary): z.infer<typeof JobSummary> {
  const { job } = summary;
  return {
    job_id: job.id,
    kind: job.kind,
    status: job.status,
    only_stage: job.onlyStage,
    force: job.force,
    rewrite: job.rewrite ? { chapter: job.rewrite.chapter, scene: job.rewrite.scene, from: job.rewrite.from, instruction: job.rewrite.instruction, scenes: job.rewrite.scenes } : null,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
    duration_ms: summary.durationMs,
    words: summary.words,
    tokens: job.tokens,
    cost_usd: Math.round(job.costUsd * 1_000_000) / 1_000_000,
    attempts: summary.attempts.map((attempt) => ({
      claim: attempt.claim,
      worker_id: attempt.workerId,
      started_at: attempt.startedAt.toISOString(),
      ended_at: attempt.endedAt?.toISOString() ?? null,
      outcome: attempt.outcome,
    })),
    error: job.error,
  };
}
