import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { and, eq, inArray, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { METADATA_FIELDS, type ArtifactMetadata, type Finding, type MergeKind, type MetadataField, type OnConflict, type ReasonCode, type RefreshMode, type StoredFile } from "@scriptorium/contract";
import { artifacts, collections, snapshots, type ArtifactRow, type Database } from "@scriptorium/db";
import type { Cluster } from "../cluster/cluster";
import { NotFoundError } from "../errors";
import type { Logger } from "../logger";
import { matcherFor, type ArtifactFilter } from "./artifact-filter";
import { blobHash, type BlobStore } from "./blob-store";
import { checkContentLimits, modifiedFilesOf, storedMainFile } from "./artifact-files";
import { contentHashOf, manifestOf } from "./content";
import { parseMetadata, type UpstreamMetadata } from "./front-matter";
import { changedFields, mergeMetadata } from "./metadata";
import { findingKey, type SecurityReview } from "../review/security-review";
import type { RefreshProgressReporter } from "./refresh-progress";
import { toSnapshotArtifact } from "./snapshot-service";
import { fileChanges, mergeThreeWay, type FileChangeSummary, type MergeConflict } from "./three-way";
import type { Revision, UpstreamReader } from "./upstream/upstream-reader";
import { yieldToEventLoop } from "../event-loop";
import { INLINE_OFFLOAD, type Offload } from "../offload";
import type { LocalMetadataResult } from "./local-metadata";
import type { LocalArtifactSource, LocalRevision } from "./upstream/local-source";

export interface RefreshOptions {
  mode: RefreshMode;
  filter: ArtifactFilter;
  dryRun: boolean;
  /** Only these metadata fields are updated (metadata and sync modes); all when absent. */
  fields?: readonly MetadataField[] | undefined;
  /** How a sync settles files changed both here and upstream that cannot be merged. Default "skip". */
  onConflict?: OnConflict | undefined;
  /** Entries whose content changes carry unified diffs. */
  includeDiff?: boolean | undefined;
  /** High findings a sync may bring in anyway: `<rule_id>@<path>` keys, or "all". */
  acceptFindings?: "all" | readonly string[] | undefined;
  /** Told as artifacts are compared, when the changes are written, and at the end. */
  onProgress?: RefreshProgressReporter | undefined;
  requestId: string;
}

export type EntryStatus = "refreshed" | "unchanged" | "skipped" | "error";

export interface RefreshEntry {
  artifactId: string;
  name: string;
  type: ArtifactRow["type"];
  status: EntryStatus;
  changes: string[];
  oldValues: Record<string, unknown>;
  newValues: Record<string, unknown>;
  currentVersion: string;
  upstreamVersion: string | null;
  updateAvailable: boolean;
  reason: string | null;
  /** The reason, machine-readable; absent where there is none. */
  reasonCode?: ReasonCode;
  error: string | null;
  durationMs: number;
  /** How an available update would land (check). */
  merge?: MergeKind;
  /** From the stored copy to what the entry brings, for entries whose content changes. */
  filesChanged?: FileChangeSummary[];
  /** Files changed here and upstream that cannot be merged. */
  conflicts?: MergeConflict[];
  /** What the security review finds in what the entry brings and not in the stored copy, and the reverse. */
  findingsAdded?: Finding[];
  findingsRemoved?: Finding[];
}

export interface RefreshOutcome {
  status: "success" | "partial" | "error";
  mode: RefreshMode;
  dryRun: boolean;
  snapshotId: string | null;
  counts: { refreshed: number; unchanged: number; skipped: number; error: number; updateAvailable: number };
  entries: RefreshEntry[];
  durationMs: number;
  /** Upstream work done: one ref look-up per repository and ref, fetches only when a ref moved. */
  refLookups: number;
  fetches: number;
}

/** What a refresh reads of each artifact: everything but the file list, which only changed artifacts need. */
type RefreshRow = Pick<ArtifactRow, "id" | "type" | "name" | "source" | "trackedRef" | "resolvedVersion" | "upstreamObject" | "contentHash" | "baseHash" | "metadata">;

/**
 * The RefreshRow of every artifact of a collection, built by the database as
 * one JSON array: handing over one value and parsing it with JSON.parse
 * costs half as much as decoding ten thousand rows field by field.
 */
const REFRESH_ROWS = sql<string>`coalesce(json_agg(json_build_object(
  'id', ${artifacts.id},
  'type', ${artifacts.type},
  'name', ${artifacts.name},
  'source', ${artifacts.source},
  'trackedRef', ${artifacts.trackedRef},
  'resolvedVersion', ${artifacts.resolvedVersion},
  'upstreamObject', ${artifacts.upstreamObject},
  'contentHash', ${artifacts.contentHash},
  'baseHash', ${artifacts.baseHash},
  'metadata', ${artifacts.metadata}
) order by ${artifacts.type}, ${artifacts.name})::text, '[]')`;
/** Artifacts read per query: some 15 ms of the embedded database's time each, for 1 000. */
const ROWS_PAGE = 1_000;
/**
 * Artifacts written per statement. The embedded database runs each
 * statement on the event loop, start to end: smaller statements, with a
 * turn of the loop between them, let other requests through while a large
 * refresh writes (one statement for 10 000 rows held the loop for most of a
 * second).
 */
const UPDATES_PER_STATEMENT = 500;
/** Artifacts whose `refreshed_at` alone is set per statement: 5 000 held the loop for 190–240 ms, 500 for 20–30. */
const TOUCHED_PER_STATEMENT = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** The new state of an artifact that a refresh will write. */
interface ArtifactUpdate {
  id: string;
  metadata: ArtifactMetadata;
  /** New content, when it changed: the stored copy and the merge base (upstream's files) it now stands on. */
  content: { files: StoredFile[]; contentHash: string; baseFiles: StoredFile[]; baseHash: string; findings: Finding[] } | null;
  resolvedVersion: string;
  upstreamObject: string | null;
  /** Only re-pins the version (same content, newer commit): needs no snapshot. */
  repinOnly: boolean;
}

interface Evaluated {
  entry: RefreshEntry;
  update?: ArtifactUpdate;
}

/** Upstreams read at once, and artifacts of one upstream read at once. */
const UPSTREAM_CONCURRENCY = 8;
const ARTIFACT_CONCURRENCY = 32;
/**
 * A metadata refresh hands its local artifacts to the offload this many at
 * a time: one message per batch is what makes another thread pay (at eleven
 * files per message, as the refresh reads them one by one, sending alone
 * cost the event loop more than reading and parsing).
 */
const LOCAL_METADATA_BATCH = 500;
/** Batches in flight at once: the next is ready when a thread ends one. */
const LOCAL_METADATA_BATCHES_AT_ONCE = 2;
const COMMIT = /^[0-9a-f]{40}$/;

/** The findings an update adds and removes, compared by `<rule_id>@<path>`. */
function findingChanges(before: readonly Finding[], after: readonly Finding[]): { findingsAdded: Finding[]; findingsRemoved: Finding[] } {
  const beforeKeys = new Set(before.map(findingKey));
  const afterKeys = new Set(after.map(findingKey));
  return { findingsAdded: after.filter((finding) => !beforeKeys.has(findingKey(finding))), findingsRemoved: before.filter((finding) => !afterKeys.has(findingKey(finding))) };
}

function isAccepted(finding: Finding, accepted: RefreshOptions["acceptFindings"]): boolean {
  return accepted === "all" || (accepted?.includes(findingKey(finding)) ?? false);
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function pick(metadata: ArtifactMetadata, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, metadata[field as MetadataField]]));
}

/**
 * Refreshes a collection: re-reads upstream metadata (`metadata`), finds
 * which artifacts changed upstream (`check`), or applies upstream content
 * (`sync`). Artifacts are grouped by upstream so each repository and ref is
 * resolved once; each artifact's failure is its own entry; everything a
 * refresh changes is written in one transaction after a snapshot.
 */
/** First key of the refresh locks, so they cannot collide with other advisory locks (second key: the collection). */
const REFRESH_LOCK_NAMESPACE = 727_274_002;

export class CollectionRefresher {
  /** Refreshes of one collection run one after another. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly store: BlobStore,
    private readonly upstream: UpstreamReader,
    private readonly log: Logger,
    private readonly cluster: Cluster,
    private readonly review: SecurityReview,
    /** Where a metadata refresh reads and parses its local main files. */
    private readonly offload: Offload = INLINE_OFFLOAD,
  ) {}

  refresh(workspaceId: string, collectionId: string, options: RefreshOptions): Promise<RefreshOutcome> {
    const previous = this.queues.get(collectionId) ?? Promise.resolve();
    const run = previous.then(() => this.acrossProcesses(collectionId, () => this.run(workspaceId, collectionId, options)));
    const settled = run.catch(() => undefined);
    this.queues.set(collectionId, settled);
    void settled.then(() => {
      if (this.queues.get(collectionId) === settled) this.queues.delete(collectionId);
    });
    return run;
  }

  /**
   * Other processes on the same PostgreSQL wait too: a transaction-scoped
   * advisory lock per collection is held for the whole refresh (its
   * connection stays open while the refresh works on others). The embedded
   * database has this process alone, and one connection, so the queue suffices.
   */
  private acrossProcesses<T>(collectionId: string, work: () => Promise<T>): Promise<T> {
    if (!this.cluster.distributed) return work();
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${REFRESH_LOCK_NAMESPACE}, hashtext(${collectionId}))`);
      return work();
    });
  }

  private async run(workspaceId: string, collectionId: string, options: RefreshOptions): Promise<RefreshOutcome> {
    const started = performance.now();
    const statsBefore = { ...this.upstream.git.stats };
    const [collection] = await this.db
      .select({ id: collections.id })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, collectionId)));
    if (!collection) throw new NotFoundError("Collection", collectionId);

    const rows = (await this.rowsOf(collectionId)).filter(matcherFor(options.filter));
    const groups = new Map<string, RefreshRow[]>();
    for (const row of rows) {
      const key = this.upstream.key(row.source);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }

    const upstreamLimit = pLimit(UPSTREAM_CONCURRENCY);
    const artifactLimit = pLimit(ARTIFACT_CONCURRENCY);
    const total = rows.length;
    let compared = 0;
    const progress = options.onProgress;
    const counted = <T extends Evaluated | Evaluated[]>(items: T): T => {
      compared += Array.isArray(items) ? items.length : 1;
      progress?.({ phase: "reading", done: compared, total });
      return items;
    };
    progress?.({ phase: "reading", done: 0, total });
    const evaluated = (
      await Promise.all(
        [...groups.values()].map((group) =>
          upstreamLimit(async () => {
            const first = group[0];
            if (!first) return [];
            let revision: Revision;
            try {
              revision = await this.upstream.revision(first.source);
            } catch (error) {
              return counted(group.map((row) => this.failed(row, error, 0)));
            }
            if (options.mode === "metadata" && revision.kind === "local") return this.evaluateLocalMetadata(group, revision, options, total, counted);
            return Promise.all(group.map((row) => artifactLimit(async () => counted(await this.evaluate(row, revision, options)))));
          }),
        ),
      )
    ).flat();
    evaluated.sort((a, b) => (a.entry.type + a.entry.name < b.entry.type + b.entry.name ? -1 : 1));

    const updates = evaluated.flatMap((item) => (item.update ? [item.update] : []));
    if (updates.length > 0 && !options.dryRun && options.mode !== "check") progress?.({ phase: "applying", done: total, total });
    const snapshotId = options.dryRun || options.mode === "check" ? null : await this.apply(workspaceId, collectionId, options, updates, evaluated);

    const entries = evaluated.map((item) => item.entry);
    const counts = { refreshed: 0, unchanged: 0, skipped: 0, error: 0, updateAvailable: 0 };
    for (const entry of entries) {
      counts[entry.status] += 1;
      if (entry.updateAvailable) counts.updateAvailable += 1;
    }
    progress?.({ phase: "done", done: total, total });
    const processed = entries.length - counts.skipped;
    const status = counts.error === 0 ? "success" : counts.error === processed ? "error" : "partial";
    const outcome: RefreshOutcome = {
      status,
      mode: options.mode,
      dryRun: options.dryRun,
      snapshotId,
      counts,
      entries,
      durationMs: round(performance.now() - started),
      refLookups: this.upstream.git.stats.refLookups - statsBefore.refLookups,
      fetches: this.upstream.git.stats.fetches - statsBefore.fetches,
    };
    this.log.info(
      {
        request_id: options.requestId,
        collection_id: collectionId,
        mode: options.mode,
        dry_run: options.dryRun,
        refreshed_count: counts.refreshed,
        unchanged_count: counts.unchanged,
        skipped_count: counts.skipped,
        error_count: counts.error,
        duration_ms: outcome.durationMs,
        ref_lookups: outcome.refLookups,
        fetches: outcome.fetches,
      },
      "collection refreshed",
    );
    return outcome;
  }

  /**
   * Every artifact of the collection, a page at a time (in the order of the
   * collection's type+name index): the embedded database never gives back
   * the memory a query used, so one result of ten thousand rows would keep
   * that much resident for good.
   */
  private async rowsOf(collectionId: string): Promise<RefreshRow[]> {
    const rows: RefreshRow[] = [];
    for (let last: RefreshRow | undefined; ; ) {
      const after = last ? sql`and (${artifacts.type}, ${artifacts.name}) > (${last.type}, ${last.name})` : sql``;
      const [page] = await this.db
        .select({ rows: REFRESH_ROWS })
        .from(
          sql`(select * from ${artifacts} where ${artifacts.collectionId} = ${collectionId} ${after} order by ${artifacts.type}, ${artifacts.name} limit ${ROWS_PAGE}) as ${artifacts}`,
        );
      const parsed = JSON.parse(page?.rows ?? "[]") as RefreshRow[];
      for (const row of parsed) rows.push(row);
      if (parsed.length < ROWS_PAGE) return rows;
      last = parsed[parsed.length - 1];
      // The embedded database answers on the event loop: let other requests through between pages.
      await yieldToEventLoop();
    }
  }

  private entryFor(row: RefreshRow, started: number, fields: Partial<RefreshEntry>): RefreshEntry {
    return {
      artifactId: row.id,
      name: row.name,
      type: row.type,
      status: "unchanged",
      changes: [],
      oldValues: {},
      newValues: {},
      currentVersion: row.resolvedVersion,
      upstreamVersion: null,
      updateAvailable: false,
      reason: null,
      error: null,
      durationMs: round(performance.now() - started),
      ...fields,
    };
  }

  private failed(row: RefreshRow, error: unknown, started: number): Evaluated {
    const message = error instanceof Error ? error.message : String(error);
    return { entry: this.entryFor(row, started || performance.now(), { status: "error", error: message, reasonCode: "error" }) };
  }

  /** The stored copy's and the merge base's file lists, which the refresh reads only for the artifacts that need them. */
  private async filesOf(id: string): Promise<Pick<ArtifactRow, "files" | "baseFiles" | "findings">> {
    const [row] = await this.db.select({ files: artifacts.files, baseFiles: artifacts.baseFiles, findings: artifacts.findings }).from(artifacts).where(eq(artifacts.id, id));
    if (!row) throw new Error("It was removed while the refresh ran.");
    return row;
  }

  private async evaluate(row: RefreshRow, revision: Revision, options: RefreshOptions): Promise<Evaluated> {
    const started = performance.now();
    try {
      const upstreamVersion = revision.kind === "git" ? revision.commit : null;
      if (options.mode !== "metadata" && row.trackedRef !== null && COMMIT.test(row.trackedRef)) {
        return {
          entry: this.entryFor(row, started, { status: "skipped", upstreamVersion, reason: `Pinned to commit ${row.trackedRef.slice(0, 12)}: it cannot move.`, reasonCode: "pinned" }),
        };
      }
      if (options.mode === "metadata") return await this.evaluateMetadata(row, revision, options, started);

      const listing = await this.upstream.list(row.source, revision);
      if (!listing) return { entry: this.entryFor(row, started, { status: "error", error: "It no longer exists upstream.", reasonCode: "upstream_missing" }) };

      // check and sync: has upstream changed since the merge base? (A local edit alone is never an update.)
      let contents: Map<string, Buffer> | null = null;
      let changed: boolean;
      if (listing.object !== null) {
        changed = listing.object !== row.upstreamObject;
      } else {
        contents = await this.upstream.read(row.source, revision, listing);
        changed = contentHashOf(manifestOf(listing, contents)) !== row.baseHash;
      }
      if (!changed) {
        const newVersion = upstreamVersion ?? row.resolvedVersion;
        const entry = this.entryFor(row, started, {
          upstreamVersion: newVersion,
          reason: "The artifact's own files are unchanged upstream.",
          reasonCode: "unchanged_upstream",
        });
        const repin = options.mode === "sync" && newVersion !== row.resolvedVersion;
        return repin
          ? { entry, update: { id: row.id, metadata: row.metadata, content: null, resolvedVersion: newVersion, upstreamObject: listing.object, repinOnly: true } }
          : { entry };
      }

      contents ??= await this.upstream.read(row.source, revision, listing);
      const theirs = manifestOf(listing, contents);
      checkContentLimits(theirs, "Upstream's new version");
      const theirsHash = contentHashOf(theirs);
      const newVersion = upstreamVersion ?? theirsHash;
      const bySha = new Map<string, Buffer>();
      for (const content of contents.values()) bySha.set(blobHash(content), content);
      const stored = await this.filesOf(row.id);
      const locallyModified = row.contentHash !== row.baseHash;
      const merged = locallyModified
        ? await mergeThreeWay(stored.baseFiles, stored.files, theirs, (sha) => this.readContent(sha, bySha), options.onConflict ?? "skip")
        : { files: theirs, produced: new Map<string, Buffer>(), conflicts: [] };
      for (const [sha, content] of merged.produced) bySha.set(sha, content);
      const merge: MergeKind = !locallyModified ? "fast_forward" : merged.conflicts.length > 0 ? "conflict" : "clean";
      const conflicts = merged.conflicts.length > 0 ? { conflicts: merged.conflicts } : {};
      const read = (sha: string) => this.readContent(sha, bySha);

      if (options.mode === "sync" && merged.conflicts.length > 0 && (options.onConflict ?? "skip") === "skip") {
        return {
          entry: this.entryFor(row, started, {
            status: "skipped",
            upstreamVersion: newVersion,
            updateAvailable: true,
            merge,
            ...conflicts,
            reason: `Changed here and upstream in ways that cannot be merged (${merged.conflicts.map((conflict) => conflict.path).join(", ")}): nothing of it was changed. Sync it with on_conflict "keep_local" or "take_upstream", or edit the files.`,
            reasonCode: "local_conflict",
          }),
        };
      }
      const filesChanged = await fileChanges(stored.files, merged.files, read, options.includeDiff ?? false);
      const known = stored.findings ? { files: stored.files, findings: stored.findings } : undefined;
      const findings = await this.review.review(merged.files, read, known, listing.links ?? []);
      const review = findingChanges(stored.findings ?? [], findings);
      if (options.mode === "check") {
        return {
          entry: this.entryFor(row, started, { status: "refreshed", changes: ["content"], upstreamVersion: newVersion, updateAvailable: true, merge, filesChanged, ...conflicts, ...review }),
        };
      }
      const heldBack = review.findingsAdded.filter((finding) => finding.severity === "high" && !isAccepted(finding, options.acceptFindings));
      if (heldBack.length > 0) {
        return {
          entry: this.entryFor(row, started, {
            status: "skipped",
            upstreamVersion: newVersion,
            updateAvailable: true,
            merge,
            ...conflicts,
            ...review,
            reason: `The update adds ${heldBack.length} high-severity finding${heldBack.length === 1 ? "" : "s"} of the security review (${heldBack.map(findingKey).join(", ")}): nothing of it was changed. Review them, then sync with accept_findings naming them (or "all").`,
            reasonCode: "security_review",
          }),
        };
      }

      // sync: store what is new (upstream's files and merged ones), then re-read metadata from the resulting main file.
      await Promise.all([...merged.files, ...theirs].filter((file) => bySha.has(file.sha256)).map((file) => this.store.put(bySha.get(file.sha256) as Buffer)));
      const contentHash = contentHashOf(merged.files);
      const mainFile = storedMainFile({ type: row.type, source: row.source, baseFiles: theirs, files: merged.files });
      const main = mainFile ? merged.files.find((file) => file.path === mainFile) : undefined;
      const metadata = main ? mergeMetadata(row.metadata, parseMetadata((await read(main.sha256)).toString("utf8")), options.fields ?? METADATA_FIELDS) : row.metadata;
      const metadataChanges = changedFields(row.metadata, metadata);
      return {
        entry: this.entryFor(row, started, {
          status: "refreshed",
          changes: ["content", ...metadataChanges],
          oldValues: { content_hash: row.contentHash, resolved_version: row.resolvedVersion, ...pick(row.metadata, metadataChanges) },
          newValues: { content_hash: contentHash, resolved_version: newVersion, ...pick(metadata, metadataChanges) },
          upstreamVersion: newVersion,
          updateAvailable: true,
          merge,
          filesChanged,
          ...conflicts,
          ...review,
        }),
        update: {
          id: row.id,
          metadata,
          content: { files: merged.files, contentHash, baseFiles: theirs, baseHash: theirsHash, findings },
          resolvedVersion: newVersion,
          upstreamObject: listing.object,
          repinOnly: false,
        },
      };
    } catch (error) {
      return this.failed(row, error, started);
    }
  }

  /**
   * `metadata` mode for the artifacts of local folders: their main files are
   * read and parsed by the offload, in batches (on a worker thread for a
   * large refresh). An artifact with local edits goes the way of any other
   * upstream, since its metadata may come from the stored copy.
   */
  private async evaluateLocalMetadata(
    group: RefreshRow[],
    revision: LocalRevision,
    options: RefreshOptions,
    refreshSize: number,
    counted: (items: Evaluated[]) => Evaluated[],
  ): Promise<Evaluated[]> {
    const edited = group.filter((row) => row.contentHash !== row.baseHash);
    const upstreamOnly = group.filter((row) => row.contentHash === row.baseHash);
    const artifactLimit = pLimit(ARTIFACT_CONCURRENCY);
    const batchLimit = pLimit(LOCAL_METADATA_BATCHES_AT_ONCE);
    const done = await Promise.all([
      ...edited.map((row) => artifactLimit(async () => counted([await this.evaluate(row, revision, options)]))),
      ...chunks(upstreamOnly, LOCAL_METADATA_BATCH).map((batch) => batchLimit(async () => counted(await this.evaluateLocalBatch(batch, revision, options, refreshSize)))),
    ]);
    return done.flat();
  }

  private async evaluateLocalBatch(batch: RefreshRow[], revision: LocalRevision, options: RefreshOptions, refreshSize: number): Promise<Evaluated[]> {
    const started = performance.now();
    let results: LocalMetadataResult[];
    try {
      // The rows of the local upstream (UpstreamReader.key) all have local sources.
      const items = batch.map((row) => ({ source: row.source as LocalArtifactSource, type: row.type }));
      results = (await this.offload.run({ kind: "local-metadata", bounds: revision.bounds, items, refreshSize })) as LocalMetadataResult[];
    } catch (error) {
      return batch.map((row) => this.failed(row, error, started));
    }
    return batch.map((row, index) => {
      const result = results[index];
      if (!result) return this.failed(row, new Error("Its main file was not read."), started);
      const durationMs = round(result.ms);
      if ("error" in result) return { entry: this.entryFor(row, started, { status: "error", error: result.error, reasonCode: "error", durationMs }) };
      if ("missing" in result) return { entry: this.entryFor(row, started, { status: "error", error: "It no longer exists upstream.", reasonCode: "upstream_missing", durationMs }) };
      return this.metadataOutcome(row, result.metadata, options, row.resolvedVersion, undefined, durationMs);
    });
  }

  /**
   * `metadata` mode: upstream's main file, merged into the stored metadata.
   * An artifact whose main file was edited here keeps the metadata of its
   * own main file instead, and says so.
   */
  private async evaluateMetadata(row: RefreshRow, revision: Revision, options: RefreshOptions, started: number): Promise<Evaluated> {
    const upstreamVersion = revision.kind === "git" ? revision.commit : null;
    let source: Buffer | null = null;
    let reasonCode: ReasonCode | undefined;
    if (row.contentHash !== row.baseHash) {
      const stored = await this.filesOf(row.id);
      const mainFile = storedMainFile({ type: row.type, source: row.source, ...stored });
      const main = mainFile ? stored.files.find((file) => file.path === mainFile) : undefined;
      if (main && mainFile && modifiedFilesOf(stored).includes(mainFile)) {
        source = await this.store.get(main.sha256);
        reasonCode = "locally_modified";
      }
    }
    if (!source) {
      source = await this.upstream.readMainFile(row.source, revision, row.type);
      if (!source) return { entry: this.entryFor(row, started, { status: "error", error: "It no longer exists upstream.", reasonCode: "upstream_missing" }) };
    }
    const parsed = parseMetadata(source.toString("utf8"));
    return this.metadataOutcome(row, parsed, options, upstreamVersion ?? row.resolvedVersion, reasonCode, round(performance.now() - started));
  }

  /** A metadata refresh's entry for what an artifact's main file says, and its update when a field changed. */
  private metadataOutcome(row: RefreshRow, parsed: UpstreamMetadata, options: RefreshOptions, upstreamVersion: string, reasonCode: ReasonCode | undefined, durationMs: number): Evaluated {
    const metadata = mergeMetadata(row.metadata, parsed, options.fields ?? METADATA_FIELDS);
    const changes = changedFields(row.metadata, metadata);
    const entry = this.entryFor(row, 0, {
      status: changes.length > 0 ? "refreshed" : "unchanged",
      changes,
      oldValues: pick(row.metadata, changes),
      newValues: pick(metadata, changes),
      upstreamVersion,
      durationMs,
      ...(reasonCode ? { reasonCode, reason: "Its main file has local edits: the metadata comes from the stored copy, not upstream." } : {}),
    });
    if (changes.length === 0) return { entry };
    return { entry, update: { id: row.id, metadata, content: null, resolvedVersion: row.resolvedVersion, upstreamObject: row.upstreamObject, repinOnly: false } };
  }

  /** A file's bytes: new upstream or merged content first, else the blob store. */
  private readContent(sha256: string, fresh: Map<string, Buffer>): Promise<Buffer> {
    const content = fresh.get(sha256);
    return content ? Promise.resolve(content) : this.store.get(sha256);
  }

  /** Writes every update of one refresh in one transaction, after a snapshot of what it replaces. */
  private async apply(workspaceId: string, collectionId: string, options: RefreshOptions, updates: ArtifactUpdate[], evaluated: Evaluated[]): Promise<string | null> {
    const now = new Date();
    const touched = evaluated.filter((item) => item.entry.status !== "error" && item.entry.status !== "skipped").map((item) => item.entry.artifactId);
    const snapshotted = updates.filter((update) => !update.repinOnly);
    const snapshotId = snapshotted.length > 0 ? randomUUID() : null;
    await this.db.transaction(async (tx) => {
      if (snapshotId) {
        const before = await tx
          .select()
          .from(artifacts)
          .where(and(eq(artifacts.collectionId, collectionId), inArray(artifacts.id, snapshotted.map((update) => update.id))));
        await yieldToEventLoop();
        await tx.insert(snapshots).values({
          id: snapshotId,
          workspaceId,
          collectionId,
          mode: options.mode,
          requestId: options.requestId,
          artifacts: before.map(toSnapshotArtifact),
        });
      }
      // Each statement takes a batch of rows as one JSON parameter; the loop takes a turn between batches.
      for (const batch of chunks(updates, UPDATES_PER_STATEMENT)) {
        const records = batch.map((update) => ({
          id: update.id,
          metadata: update.metadata,
          files: update.content?.files ?? null,
          content_hash: update.content?.contentHash ?? null,
          base_files: update.content?.baseFiles ?? null,
          base_hash: update.content?.baseHash ?? null,
          findings: update.content?.findings ?? null,
          resolved_version: update.resolvedVersion,
          upstream_object: update.upstreamObject,
          changed: !update.repinOnly,
        }));
        await tx.execute(sql`
          update ${artifacts} as a set
            metadata = u.metadata,
            files = coalesce(u.files, a.files),
            content_hash = coalesce(u.content_hash, a.content_hash),
            base_files = coalesce(u.base_files, a.base_files),
            base_hash = coalesce(u.base_hash, a.base_hash),
            findings = coalesce(u.findings, a.findings),
            resolved_version = u.resolved_version,
            upstream_object = u.upstream_object,
            updated_at = case when u.changed then ${now.toISOString()}::timestamptz else a.updated_at end
          from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
            as u(id text, metadata jsonb, files jsonb, content_hash text, base_files jsonb, base_hash text, findings jsonb, resolved_version text, upstream_object text, changed boolean)
          where a.id = u.id and a.collection_id = ${collectionId}`);
        await yieldToEventLoop();
      }
      for (const batch of chunks(touched, TOUCHED_PER_STATEMENT)) {
        await tx.execute(sql`
          update ${artifacts} set refreshed_at = ${now.toISOString()}::timestamptz
          where collection_id = ${collectionId} and id in (select jsonb_array_elements_text(${JSON.stringify(batch)}::jsonb))`);
        await yieldToEventLoop();
      }
      if (snapshotId) await tx.update(collections).set({ updatedAt: now }).where(eq(collections.id, collectionId));
    });
    return snapshotId;
  }
}
