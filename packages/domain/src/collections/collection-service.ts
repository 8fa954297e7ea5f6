import { randomUUID } from "node:crypto";
import { join, posix } from "node:path";
import { and, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import pLimit from "p-limit";
import { describeSource, MAX_ARTIFACTS_PER_IMPORT, type ArtifactSource, type ArtifactType, type FindingSeverity, type SourceInput, type StoredFile } from "@scriptorium/contract";
import { artifacts, collections, isUniqueViolation, type ArtifactRow, type CollectionRow, type Database } from "@scriptorium/db";
import type { Caller, LocalSourceAccess } from "../access/local-source-access";
import { ConflictError, InvalidError, NotFoundError, TooLargeError } from "../errors";
import { Keyset, type Page, type PageRequest } from "../paging";
import type { SecurityReview } from "../review/security-review";
import { matcherFor, type ArtifactFilter } from "./artifact-filter";
import type { BlobStore } from "./blob-store";
import { checkContentLimits } from "./artifact-files";
import { contentHashOf, manifestOf, storeContent } from "./content";
import { discoverArtifacts, mainFileOf, validateArtifactName } from "./layout";
import { MetadataError, parseMetadata } from "./front-matter";
import { EMPTY_METADATA, mergeMetadata } from "./metadata";
import { parseSource } from "./sources";
import { GitError } from "./git";
import { partitionListing } from "./upstream/listing";
import type { UpstreamReader } from "./upstream/upstream-reader";
import { UpstreamError } from "./upstream/upstream-source";

export type Collection = CollectionRow;

const COLLECTIONS_BY_NAME = new Keyset("collections:name", collections.name, collections.id, "asc");

/** The orders an artifact list pages in: by name (A–Z by default) or by last change (newest first by default). */
export type ArtifactSort = "name" | "updated_at";

const ARTIFACT_ORDERS = {
  "name:asc": new Keyset("artifacts:name:asc", artifacts.name, artifacts.id, "asc"),
  "name:desc": new Keyset("artifacts:name:desc", artifacts.name, artifacts.id, "desc"),
  "updated_at:asc": new Keyset("artifacts:updated_at:asc", artifacts.updatedAt, artifacts.id, "asc"),
  "updated_at:desc": new Keyset("artifacts:updated_at:desc", artifacts.updatedAt, artifacts.id, "desc"),
} as const;

/** Rows read per round while a name pattern, which the database cannot apply, thins the page out. */
const FILTERED_BATCH_ROWS = 1_000;

/** What an artifact list may ask for besides its page. */
export interface ArtifactQuery extends ArtifactFilter, PageRequest {
  /** Words that must each appear in the name, the description or a tag (case-insensitive). */
  q?: string | undefined;
  sort?: ArtifactSort | undefined;
  order?: "asc" | "desc" | undefined;
  /** Only artifacts with a finding of this severity or a higher one. */
  findings?: FindingSeverity | undefined;
}

/** The severities at or above each one. */
const AT_LEAST: Record<FindingSeverity, FindingSeverity[]> = { high: ["high"], medium: ["high", "medium"], low: ["high", "medium", "low"] };

/** Artifacts with a finding of `severity` or higher (jsonb containment, one test per severity). */
function withFindings(severity: FindingSeverity | undefined): SQL | undefined {
  if (!severity) return undefined;
  return or(...AT_LEAST[severity].map((level) => sql`${artifacts.findings} @> ${JSON.stringify([{ severity: level }])}::jsonb`));
}

/** `q` as words, each a LIKE pattern matching it literally anywhere. */
function searchWords(q: string | undefined): string[] {
  return (q ?? "")
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => `%${word.replace(/[\\%_]/g, (special) => `\\${special}`)}%`);
}

/** A stored artifact: where it came from, the version and files kept, its metadata. */
export type Artifact = ArtifactRow;

/** Artifacts of one import read and stored at once. */
const IMPORT_CONCURRENCY = 32;

/** A file's bytes among content just read upstream, by its hash in the manifest made of it. */
function readIn(contents: Map<string, Buffer>, files: readonly StoredFile[], sha256: string): Promise<Buffer> {
  const file = files.find((candidate) => candidate.sha256 === sha256);
  const content = file ? contents.get(file.path) : undefined;
  return content ? Promise.resolve(content) : Promise.reject(new Error(`No content read for ${sha256}`));
}

/** Names upstream failures for people, as a 422 on the request that triggered them. */
function upstreamFailure(source: ArtifactSource, error: unknown): InvalidError {
  if (error instanceof GitError || error instanceof UpstreamError || error instanceof MetadataError) {
    return new InvalidError(`Cannot read ${describeSource(source)}: ${error.message}`, [{ path: ["source"], message: error.message }]);
  }
  throw error;
}

export class CollectionService {
  constructor(
    private readonly db: Database,
    private readonly store: BlobStore,
    private readonly upstream: UpstreamReader,
    private readonly localAccess: LocalSourceAccess,
    private readonly review: SecurityReview,
  ) {}

  /** The workspace's collections by name, a page at a time. */
  async list(workspaceId: string, request: PageRequest = {}): Promise<Page<Collection>> {
    const limit = Keyset.limitOf(request);
    const rows = await this.db
      .select({ collection: collections, cursorKey: COLLECTIONS_BY_NAME.keyText() })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), COLLECTIONS_BY_NAME.after(request.cursor)))
      .orderBy(...COLLECTIONS_BY_NAME.orderBy())
      .limit(limit + 1);
    return COLLECTIONS_BY_NAME.page(rows, limit, (row) => row.collection.id, (row) => row.collection);
  }

  async get(workspaceId: string, id: string): Promise<Collection> {
    const [row] = await this.db
      .select()
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, id)));
    if (!row) throw new NotFoundError("Collection", id);
    return row;
  }

  async create(workspaceId: string, input: { name: string; description?: string | undefined }): Promise<Collection> {
    try {
      const [row] = await this.db
        .insert(collections)
        .values({ id: randomUUID(), workspaceId, name: input.name, description: input.description ?? "" })
        .returning();
      if (!row) throw new Error("Inserting a collection returned no row.");
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A collection named "${input.name}" already exists in this workspace.`);
      throw error;
    }
  }

  async update(workspaceId: string, id: string, input: { name?: string | undefined; description?: string | undefined }): Promise<Collection> {
    await this.get(workspaceId, id);
    try {
      await this.db
        .update(collections)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          updatedAt: new Date(),
        })
        .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, id)));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`A collection named "${input.name ?? ""}" already exists in this workspace.`);
      throw error;
    }
    return this.get(workspaceId, id);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    const deleted = await this.db
      .delete(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, id)))
      .returning({ id: collections.id });
    if (deleted.length === 0) throw new NotFoundError("Collection", id);
  }

  /**
   * A collection's artifacts, a page at a time, filtered on the server: by
   * type and words in the database, by name pattern (a glob) as rows are
   * read. The total is the collection's kept count when nothing filters.
   */
  async listArtifacts(workspaceId: string, collectionId: string, query: ArtifactQuery = {}): Promise<Page<ArtifactRow>> {
    const collection = await this.get(workspaceId, collectionId);
    const sort = query.sort ?? "name";
    const keyset = ARTIFACT_ORDERS[`${sort}:${query.order ?? (sort === "name" ? "asc" : "desc")}`];
    const limit = Keyset.limitOf(query);
    const words = searchWords(query.q);
    const searchable = sql`${artifacts.name} || ' ' || coalesce(${artifacts.metadata}->>'description', '') || ' ' || coalesce(${artifacts.metadata}->>'tags', '')`;
    const matchesName = query.namePattern ? matcherFor({ namePattern: query.namePattern }) : null;
    const read = (cursor: string | undefined, rows: number) =>
      this.db
        .select({ artifact: artifacts, cursorKey: keyset.keyText() })
        .from(artifacts)
        .where(
          and(
            eq(artifacts.workspaceId, workspaceId),
            eq(artifacts.collectionId, collectionId),
            query.type ? eq(artifacts.type, query.type) : undefined,
            ...words.map((word) => ilike(searchable, word)),
            withFindings(query.findings),
            keyset.after(cursor),
          ),
        )
        .orderBy(...keyset.orderBy())
        .limit(rows);
    let found: Awaited<ReturnType<typeof read>>;
    if (!matchesName) {
      found = await read(query.cursor, limit + 1);
    } else {
      // Read on in batches until the page (and one more, to know a next page exists) is full or the rows run out.
      found = [];
      let cursor = query.cursor;
      for (;;) {
        const batch = await read(cursor, FILTERED_BATCH_ROWS);
        found.push(...batch.filter((row) => matchesName(row.artifact)));
        const last = batch.at(-1);
        if (found.length > limit || batch.length < FILTERED_BATCH_ROWS || !last) break;
        cursor = keyset.encode(last.cursorKey, last.artifact.id);
      }
    }
    const page = keyset.page(found, limit, (row) => row.artifact.id, (row) => row.artifact);
    const unfiltered = !query.type && !query.namePattern && words.length === 0 && !query.findings;
    return unfiltered ? { ...page, total: collection.artifactCount } : page;
  }

  async getArtifact(workspaceId: string, collectionId: string, artifactId: string): Promise<ArtifactRow> {
    const [row] = await this.db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.collectionId, collectionId), eq(artifacts.id, artifactId)));
    if (!row) throw new NotFoundError("Artifact", artifactId);
    return row;
  }

  async removeArtifact(workspaceId: string, collectionId: string, artifactId: string): Promise<void> {
    const deleted = await this.db
      .delete(artifacts)
      .where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.collectionId, collectionId), eq(artifacts.id, artifactId)))
      .returning({ id: artifacts.id });
    if (deleted.length === 0) throw new NotFoundError("Artifact", artifactId);
  }

  /**
   * Copies one artifact, or every artifact a folder or repository holds,
   * into the collection. All or nothing: a bad artifact, or a name already
   * taken, adds none of them.
   *
   * A source on this server's disk (a local path or a `file://` repository)
   * is first checked as written against the data directory and the
   * configured roots (422), then against who may add such sources (403),
   * and only then looked up: neither refusal tells whether anything exists
   * at the path.
   */
  async addArtifacts(
    caller: Caller,
    collectionId: string,
    input: { source: SourceInput; type?: ArtifactType | undefined; name?: string | undefined },
  ): Promise<ArtifactRow[]> {
    const workspaceId = caller.workspaceId;
    await this.get(workspaceId, collectionId);
    const source = parseSource(input.source);
    let onServerDisk;
    try {
      onServerDisk = (await this.upstream.serverDiskPath(source)) !== null;
    } catch (error) {
      throw upstreamFailure(source, error);
    }
    if (onServerDisk) await this.localAccess.ensureMayAdd(caller);
    let revision;
    let listing;
    try {
      revision = await this.upstream.revision(source);
      listing = await this.upstream.list(source, revision);
    } catch (error) {
      throw upstreamFailure(source, error);
    }
    if (!listing) throw new InvalidError(`Nothing found at ${describeSource(source)}.`, [{ path: ["source"], message: "not found" }]);

    const rootName = source.kind === "local" ? source.path : source.path || (source.kind === "git" ? source.url : source.repo);
    const found = discoverArtifacts(listing.files.map((file) => file.path), { name: rootName, isFile: listing.isFile }, input);
    if (found.length > MAX_ARTIFACTS_PER_IMPORT) {
      throw new InvalidError(`${describeSource(source)} holds ${found.length} artifacts; one import adds at most ${MAX_ARTIFACTS_PER_IMPORT}.`);
    }
    if (input.name !== undefined && found.length > 1) {
      throw new InvalidError(`${describeSource(source)} holds ${found.length} artifacts; a name can only be given to a single one.`, [{ path: ["name"], message: "only for a single artifact" }]);
    }

    const seen = new Set<string>();
    for (const artifact of found) {
      const key = `${artifact.type}:${artifact.name}`;
      if (seen.has(key)) {
        throw new ConflictError(`${describeSource(source)} holds more than one ${artifact.type} named "${artifact.name}"; add them one at a time with distinct names.`);
      }
      seen.add(key);
      const problem = validateArtifactName(artifact.name);
      if (problem) throw new InvalidError(`The artifact name "${artifact.name}" ${problem}.`, [{ path: ["name"], message: problem }]);
    }

    const listings = partitionListing(listing, found);
    const now = new Date();
    const limit = pLimit(IMPORT_CONCURRENCY);
    const rows = await Promise.all(
      found.map((artifact) =>
        limit(async (): Promise<ArtifactRow> => {
          const childSource: ArtifactSource =
            source.kind === "local"
              ? { kind: "local", path: artifact.path === "" ? source.path : join(source.path, ...artifact.path.split("/")) }
              : { ...source, path: artifact.path === "" ? source.path : posix.join(source.path, artifact.path) };
          const childListing = listings.get(artifact.path);
          if (!childListing) throw new Error(`No files were assigned to ${artifact.path}.`);
          let contents;
          let metadata = EMPTY_METADATA;
          try {
            contents = await this.upstream.read(childSource, revision, childListing);
            const main = mainFileOf(childListing.files.map((file) => file.path), artifact.type, artifact.isFile);
            const mainContent = main ? contents.get(main) : undefined;
            if (mainContent) metadata = mergeMetadata(EMPTY_METADATA, parseMetadata(mainContent.toString("utf8")));
          } catch (error) {
            throw upstreamFailure(childSource, error);
          }
          try {
            checkContentLimits(manifestOf(childListing, contents), describeSource(childSource));
          } catch (error) {
            // An import is all or nothing: one artifact over the limits refuses the request, like any other bad artifact.
            if (error instanceof TooLargeError) throw new InvalidError(error.message, [{ path: ["source"], message: error.message }]);
            throw error;
          }
          const files = await storeContent(this.store, childListing, contents);
          const contentHash = contentHashOf(files);
          // Reviewed on import; high findings are flagged, not refused (docs/security-review.md).
          const findings = await this.review.review(files, (sha256) => readIn(contents, files, sha256), undefined, childListing.links ?? []);
          return {
            id: randomUUID(),
            workspaceId,
            collectionId,
            type: artifact.type,
            name: artifact.name,
            source: childSource,
            trackedRef: childSource.kind === "local" ? null : childSource.ref,
            resolvedVersion: revision.kind === "git" ? revision.commit : contentHash,
            upstreamObject: childListing.object,
            contentHash,
            files,
            // Imported exactly as upstream has it: the stored copy is its own merge base.
            baseFiles: files,
            baseHash: contentHash,
            metadata,
            findings,
            addedAt: now,
            refreshedAt: null,
            updatedAt: now,
          };
        }),
      ),
    );

    const taken = await this.db
      .select({ type: artifacts.type, name: artifacts.name })
      .from(artifacts)
      .where(and(eq(artifacts.collectionId, collectionId), inArray(artifacts.name, rows.map((row) => row.name))));
    const takenKeys = new Set(taken.map((existing) => `${existing.type}:${existing.name}`));
    const clash = rows.find((row) => takenKeys.has(`${row.type}:${row.name}`));
    if (clash) throw new ConflictError(`The collection already has a ${clash.type} named "${clash.name}".`);
    try {
      return await this.db.transaction(async (tx) => {
        const inserted: ArtifactRow[] = [];
        // Chunked: one statement per thousand rows keeps parameter counts sane.
        for (let start = 0; start < rows.length; start += 1_000) {
          inserted.push(...(await tx.insert(artifacts).values(rows.slice(start, start + 1_000)).returning()));
        }
        await tx.update(collections).set({ updatedAt: now }).where(eq(collections.id, collectionId));
        return inserted;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError("Some of these artifacts are already in the collection (same type and name).");
      throw error;
    }
  }
}
