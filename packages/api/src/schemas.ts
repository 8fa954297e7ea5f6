import { z } from "zod";
import {
  ArtifactMetadata,
  ArtifactName,
  ArtifactSource,
  ArtifactType,
  CONFLICT_KINDS,
  CONTENT_LIMITS,
  FILE_CHANGES,
  Flag,
  Finding,
  FindingSeverity,
  Id,
  MERGE_KINDS,
  MetadataField,
  NamePattern,
  OnConflict,
  PageInput,
  pageOf,
  REFRESH_MODE_ALIASES,
  REFRESH_MODES,
  REASON_CODES,
  Scope,
  SourceInput,
  StoredFile,
} from "@scriptorium/contract";

/**
 * The API's own wire schemas: answers, and the inputs only the API reads.
 * What the dashboard's forms share with it lives in @scriptorium/contract.
 * Field names are snake_case everywhere.
 */

export const Timestamp = z.iso.datetime({ offset: true }).meta({ description: "ISO-8601 timestamp", example: "2026-01-21T09:30:00.000Z" });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: Scope,
    prefix: z.string().meta({ description: "The key's first characters, for recognising it" }),
    created_at: Timestamp,
  })
  .meta({ id: "ApiKey" });

export const IssuedApiKey = ApiKey.extend({
  key: z.string().meta({ description: "The secret key. Shown in this answer only: store it now." }),
}).meta({ id: "IssuedApiKey" });

export const ApiKeyList = pageOf(ApiKey).meta({ id: "ApiKeyList" });

export const RevokeApiKeyInput = z.object({ id: Id });
export const RevokedApiKey = z.object({ id: z.string(), revoked: z.literal(true) }).meta({ id: "RevokedApiKey" });

export const KeyChange = z
  .object({ change: z.enum(["created", "revoked"]), key_id: z.string() })
  .meta({ id: "KeyChange" });

export const Workspace = z.object({ id: z.string(), name: z.string() }).meta({ id: "Workspace" });

export const CreateWorkspaceInput = z.object({ name: z.string().trim().min(1, "Give the workspace a name").max(100) });
export const CreatedWorkspace = z
  .object({ workspace: Workspace, admin_key: IssuedApiKey })
  .meta({ id: "CreatedWorkspace" });

export const WhoAmI = z
  .object({
    workspace: Workspace,
    key: z.object({ id: z.string(), name: z.string(), scope: Scope, prefix: z.string() }),
  })
  .meta({ id: "WhoAmI" });

/** The body of every REST error (and the shape tRPC clients see in `error.shape`). */
export const ErrorBody = z
  .object({
    code: z.string().meta({ description: "Machine-readable error code, e.g. NOT_FOUND", example: "NOT_FOUND" }),
    message: z.string().meta({ description: "What went wrong, for people" }),
    request_id: z.string().meta({ description: "Echoes X-Request-ID; quote it when reporting a problem" }),
    fields: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "The offending fields, for validation errors" }),
  })
  .meta({ id: "Error" });

// ─── Collections ─────────────────────────────────────────────────────────────

/** A Flag in a GET's query string: the adapter takes only string-like parameters there, which a pipe is. */
export const QueryFlag = Flag.pipe(z.boolean());

export const Artifact = z
  .object({
    id: z.string(),
    collection_id: z.string(),
    type: ArtifactType,
    name: z.string(),
    source: ArtifactSource,
    tracked_ref: z.string().nullable().meta({ description: "Branch, tag or commit followed upstream; null for the remote's default branch (or a local source)" }),
    resolved_version: z.string().meta({ description: "The commit (git) or content hash (local) the stored copy came from" }),
    content_hash: z.string().meta({ description: "Hash of the stored copy's content (file names, bytes, executable bits)" }),
    metadata: ArtifactMetadata,
    files: z.array(StoredFile),
    base_files: z
      .array(z.object({ path: z.string(), sha256: z.string() }))
      .meta({ description: "The merge base: the files exactly as upstream had them at the last import or sync (readable through the collection's blob route)" }),
    locally_modified: z.boolean().meta({ description: "True while the stored copy differs from its merge base (edited here)" }),
    modified_files: z.array(z.string()).meta({ description: "Paths added, changed or deleted here since the last import or sync" }),
    findings_summary: z
      .object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() })
      .meta({ description: "How many findings the security review has on the stored copy, by severity (GET …/findings lists them)" }),
    added_at: Timestamp,
    refreshed_at: Timestamp.nullable(),
    updated_at: Timestamp,
  })
  .meta({ id: "Artifact" });

export const Collection = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    created_at: Timestamp,
    updated_at: Timestamp,
    artifact_count: z.number().int(),
  })
  .meta({ id: "Collection" });

export const CollectionList = pageOf(Collection).meta({ id: "CollectionList" });
export const ArtifactList = pageOf(Artifact).meta({ id: "ArtifactList" });
/** The artifacts one import added: bounded (MAX_ARTIFACTS_PER_IMPORT), so not paged. */
export const ImportedArtifacts = z.object({ items: z.array(Artifact) }).meta({ id: "ImportedArtifacts" });

export const CollectionIdInput = z.object({ collection_id: Id });
export const Deleted = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "Deleted" });

const NamePatternInput = NamePattern.min(1).meta({ description: "Glob on the artifact name, case-insensitive", example: "canvas*" });
export const ListArtifactsInput = PageInput.extend({
  collection_id: Id,
  type: ArtifactType.optional(),
  name_pattern: NamePatternInput.optional(),
  q: z.string().trim().max(200).optional().meta({ description: "Words that must each appear in the name, description or tags (case-insensitive)", example: "pdf form" }),
  sort: z.enum(["name", "updated_at"]).optional().meta({ description: "name (default) or updated_at" }),
  order: z.enum(["asc", "desc"]).optional().meta({ description: "Default: asc for name, desc (newest first) for updated_at" }),
  findings: FindingSeverity.optional().meta({ description: "Only artifacts with a security-review finding of this severity or a higher one" }),
});
export const ArtifactIdInput = z.object({ collection_id: Id, artifact_id: Id });
export const AddArtifactsInput = z.object({
  collection_id: Id,
  source: SourceInput,
  type: ArtifactType.optional().meta({ description: "The type, when the source does not tell" }),
  name: ArtifactName.min(1).optional().meta({ description: "A name for a single artifact (default: its folder or file name)" }),
});

export const RefreshMode = z
  .enum([...REFRESH_MODES, "metadata_only", "check_only"])
  .transform((mode) => (mode === "metadata_only" || mode === "check_only" ? REFRESH_MODE_ALIASES[mode] : mode))
  .meta({ description: "metadata (default; alias metadata_only), check (alias check_only) or sync" });

/** Chosen by the caller to follow its own refresh (a random UUID serves). */
const ProgressToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "16 to 64 letters, digits, - or _");

export const RefreshInput = z.object({
  collection_id: Id,
  mode: RefreshMode.optional(),
  artifact_filter: z.object({ type: ArtifactType.optional(), name_pattern: NamePatternInput.optional() }).optional(),
  dry_run: Flag.optional().meta({ description: "Compute everything, apply nothing" }),
  fields: z.array(MetadataField).optional().meta({ description: "Only these metadata fields are updated" }),
  on_conflict: OnConflict.optional(),
  accept_findings: z
    .union([z.literal("all"), z.array(z.string().max(1_200)).max(10_000)])
    .optional()
    .meta({ description: 'High findings a sync may bring in anyway: "<rule_id>@<path>" keys from findings_added, or "all"' }),
  include_diff: Flag.optional().meta({ description: `Entries whose content changes carry a unified diff per file (at most ${CONTENT_LIMITS.patchBytes / 1024} KiB each)` }),
  entries: z
    .enum(["all", "changed", "none"])
    .optional()
    .meta({ description: "Which artifacts `result.entries` lists: all (default), changed (all but the plainly unchanged), or none; the counts always cover all" }),
  progress_token: ProgressToken.optional().meta({ description: "A token of the caller's choosing: `collections.refreshProgress` with the same token follows this refresh live" }),
});

export const RefreshProgressInput = z.object({ collection_id: Id, progress_token: ProgressToken });

export const FileChangeItem = z
  .object({
    path: z.string(),
    change: z.enum(FILE_CHANGES),
    additions: z.number().int(),
    deletions: z.number().int(),
    patch: z.string().optional().meta({ description: "Unified diff, 3 lines of context (include_diff, text files only)" }),
    truncated: z.literal(true).optional().meta({ description: "The patch was cut at its size limit" }),
  })
  .meta({ id: "FileChange" });

export const ConflictItem = z
  .object({
    path: z.string(),
    kind: z.enum(CONFLICT_KINDS),
    base_sha256: z.string().nullable(),
    ours_sha256: z.string().nullable(),
    theirs_sha256: z.string().nullable(),
  })
  .meta({ id: "MergeConflict" });

export const RefreshEntry = z
  .object({
    artifact_id: z.string(),
    name: z.string(),
    type: ArtifactType,
    status: z.enum(["refreshed", "unchanged", "skipped", "error"]),
    changes: z.array(z.string()),
    old_values: z.record(z.string(), z.unknown()),
    new_values: z.record(z.string(), z.unknown()),
    current_version: z.string(),
    upstream_version: z.string().nullable(),
    update_available: z.boolean(),
    reason: z.string().nullable(),
    reason_code: z.enum(REASON_CODES).optional().meta({ description: "The reason, machine-readable; absent where there is none" }),
    error: z.string().nullable(),
    duration_ms: z.number(),
    merge: z
      .enum(MERGE_KINDS)
      .optional()
      .meta({ description: "How the update lands: fast_forward (no local edits), clean (merged with them), conflict (needs on_conflict)" }),
    files_changed: z.array(FileChangeItem).optional().meta({ description: "From the stored copy to what this entry brings; present where content changes" }),
    conflicts: z.array(ConflictItem).optional().meta({ description: "Files changed here and upstream that cannot be merged" }),
    findings_added: z.array(Finding).optional().meta({ description: "Security-review findings the entry's content brings that the stored copy does not have" }),
    findings_removed: z.array(Finding).optional().meta({ description: "Findings of the stored copy that the entry's content no longer has" }),
  })
  .meta({ id: "RefreshEntry" });

export const RefreshResponse = z
  .object({
    status: z.enum(["success", "partial", "error"]),
    timestamp: Timestamp,
    request_id: z.string(),
    mode: z.enum(REFRESH_MODES),
    dry_run: z.boolean(),
    snapshot_id: z.string().nullable(),
    result: z.object({
      refreshed_count: z.number().int(),
      unchanged_count: z.number().int(),
      skipped_count: z.number().int(),
      error_count: z.number().int(),
      update_available_count: z.number().int(),
      entries: z.array(RefreshEntry),
      duration_ms: z.number(),
    }),
    took_ms: z.number(),
  })
  .meta({ id: "RefreshResponse" });

export const Snapshot = z
  .object({
    id: z.string(),
    collection_id: z.string(),
    mode: z.string().meta({ description: "What took it: metadata, sync, edit (a file written or deleted), or rollback (the state a rollback replaced)" }),
    request_id: z.string(),
    artifact_count: z.number().int(),
    artifact_names: z.array(z.string()),
    created_at: Timestamp,
  })
  .meta({ id: "Snapshot" });
export const SnapshotList = pageOf(Snapshot).meta({ id: "SnapshotList" });
export const ListSnapshotsInput = PageInput.extend({ collection_id: Id });
export const RollbackInput = z.object({ collection_id: Id, snapshot_id: Id.optional().meta({ description: "Default: the newest snapshot" }) });
export const RollbackResponse = z
  .object({ snapshot_id: z.string(), restored_count: z.number().int(), undo_snapshot_id: z.string().meta({ description: "Roll back to this to undo the rollback" }) })
  .meta({ id: "RollbackResponse" });

// ─── Artifact files ──────────────────────────────────────────────────────────

export const ArtifactFile = z
  .object({ path: z.string(), size: z.number().int(), sha256: z.string(), executable: z.boolean(), media_type: z.string() })
  .meta({ id: "ArtifactFile" });
export const ArtifactFileList = z.object({ items: z.array(ArtifactFile) }).meta({ id: "ArtifactFileList" });

const FilePath = z.string().min(1).max(CONTENT_LIMITS.pathBytes).meta({ description: "Relative to the artifact, `/`-separated", example: "scripts/run.sh" });
export const ArtifactFileInput = ArtifactIdInput.extend({ path: FilePath });
export const InlineFile = ArtifactFile.extend({ content_base64: z.base64() }).meta({ id: "InlineFile" });
export const WriteFileInput = ArtifactFileInput.extend({
  content_base64: z.base64().meta({ description: `The file's bytes, base64 (at most ${CONTENT_LIMITS.inlineFileBytes / 1024 / 1024} MiB; larger files go through PUT …/files/{path})` }),
  if_match: z.string().max(200).optional().meta({ description: "The sha256 the file must still have (or `*`: it must exist); otherwise 412 and nothing changes" }),
});
export const DeleteFileInput = ArtifactFileInput.extend({ if_match: WriteFileInput.shape.if_match });
export const FileEdit = z
  .object({
    file: ArtifactFile.nullable().meta({ description: "The file as written; null after a delete" }),
    created: z.boolean(),
    snapshot_id: z.string().meta({ description: "The snapshot taken before the edit: rolling back to it undoes the edit" }),
    artifact: Artifact,
  })
  .meta({ id: "FileEdit" });

export const FindingList = z.object({ items: z.array(Finding) }).meta({ id: "FindingList" });
