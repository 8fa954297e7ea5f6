import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { lookup as mediaTypeByName } from "mime-types";
import { CONTENT_LIMITS, filePathProblem, type StoredFile } from "@scriptorium/contract";
import { artifacts, collections, snapshots, type ArtifactRow, type Database } from "@scriptorium/db";
import { InvalidError, NotFoundError, PreconditionFailedError, TooLargeError } from "../errors";
import type { BlobStore } from "./blob-store";
import { contentHashOf } from "./content";
import { mainFileOf } from "./layout";
import { parseMetadata } from "./front-matter";
import { EMPTY_METADATA, mergeMetadata } from "./metadata";
import type { SecurityReview } from "../review/security-review";
import { toSnapshotArtifact } from "./snapshot-service";
import { differingPaths } from "./three-way";

/** A stored file as listed and served: its manifest entry and media type. */
export interface ArtifactFile extends StoredFile {
  mediaType: string;
}

/** A file (or blob) ready to be served from this machine. */
export interface OpenedFile extends ArtifactFile {
  /** Where its bytes are on this machine (the blob store, or this node's cache of it). */
  localPath: string;
}

/** How an edit is asked for: the caller's If-Match (an ETag, or `*`), and the request it belongs to (named on its snapshot). */
export interface EditRequest {
  ifMatch?: string | undefined;
  requestId: string;
}

export interface EditOutcome {
  artifact: ArtifactRow;
  /** The file as written; null after a delete. */
  file: ArtifactFile | null;
  /** True when a PUT created the file. */
  created: boolean;
  /** The snapshot of the artifact as it was before the edit: rolling back to it undoes the edit. */
  snapshotId: string;
}

/** Names of text files that mime-types does not know, read as plain text. */
const TEXT_NAMES = /(^|\/)(LICENSE|README|Makefile|Dockerfile|\.[\w.-]+rc|\.gitignore|\.env[\w.-]*)$/i;

/** A file's media type by its name; text files say they are UTF-8. */
export function mediaTypeOf(path: string): string {
  const known = mediaTypeByName(path);
  const type = known || (TEXT_NAMES.test(path) ? "text/plain" : "application/octet-stream");
  return type.startsWith("text/") ? `${type}; charset=utf-8` : type;
}

function withMediaType(file: StoredFile): ArtifactFile {
  return { ...file, mediaType: mediaTypeOf(file.path) };
}

/** The paths where the stored copy differs from its merge base (local edits). */
export function modifiedFilesOf(artifact: Pick<ArtifactRow, "files" | "baseFiles">): string[] {
  return differingPaths(artifact.baseFiles, artifact.files);
}

/**
 * The main file of a stored artifact: a single-file artifact (a command's
 * `name.md`) is its one file; a folder artifact's is found by its type.
 */
export function storedMainFile(artifact: Pick<ArtifactRow, "type" | "source" | "baseFiles" | "files">): string | null {
  const [only] = artifact.baseFiles;
  const sourcePath = artifact.source.kind === "local" ? artifact.source.path.replaceAll("\\", "/") : artifact.source.path;
  if (artifact.baseFiles.length === 1 && only && posix.basename(sourcePath) === only.path) return only.path;
  return mainFileOf(artifact.files.map((file) => file.path), artifact.type, false);
}

/** A strong ETag or `*`, as HTTP's If-Match carries it: the hash it names, or "*" for any current file. */
function expectedHash(ifMatch: string): string[] {
  return ifMatch.split(",").map((tag) => tag.trim().replace(/^W\//, "").replace(/^"(.*)"$/, "$1"));
}

function checkPath(path: string): void {
  const problem = filePathProblem(path);
  if (problem) throw new InvalidError(`The file path ${JSON.stringify(path.slice(0, 200))} ${problem}.`, [{ path: ["path"], message: problem }]);
}

/** Refuses an artifact's files over CONTENT_LIMITS; `what` names them in the message. */
export function checkContentLimits(files: readonly StoredFile[], what: string): void {
  const large = files.find((file) => file.size > CONTENT_LIMITS.fileBytes);
  if (large) throw new TooLargeError(`${what}: ${large.path} is ${large.size} bytes; a file may hold at most ${CONTENT_LIMITS.fileBytes} bytes (10 MiB).`);
  if (files.length > CONTENT_LIMITS.artifactFiles) throw new TooLargeError(`${what} has ${files.length} files; an artifact may have at most ${CONTENT_LIMITS.artifactFiles}.`);
  const total = files.reduce((sum, file) => sum + file.size, 0);
  if (total > CONTENT_LIMITS.artifactBytes) throw new TooLargeError(`${what} holds ${total} bytes; an artifact may hold at most ${CONTENT_LIMITS.artifactBytes} bytes (50 MiB).`);
}

/**
 * An artifact's stored copy as files: listed, read, written and deleted one
 * at a time, and any version a collection ever held read by content hash.
 * Every edit snapshots the artifact first (rollback undoes it) and keeps
 * the merge base, so a later sync merges upstream changes with the edit.
 */
export class ArtifactFileService {
  constructor(
    private readonly db: Database,
    private readonly store: BlobStore,
    private readonly review: SecurityReview,
  ) {}

  private async artifact(workspaceId: string, collectionId: string, artifactId: string): Promise<ArtifactRow> {
    const [row] = await this.db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.collectionId, collectionId), eq(artifacts.id, artifactId)));
    if (!row) throw new NotFoundError("Artifact", artifactId);
    return row;
  }

  /** The stored copy's files, sorted by path. */
  async list(workspaceId: string, collectionId: string, artifactId: string): Promise<ArtifactFile[]> {
    const row = await this.artifact(workspaceId, collectionId, artifactId);
    return [...row.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map(withMediaType);
  }

  /** One file of the stored copy, ready to stream. */
  async open(workspaceId: string, collectionId: string, artifactId: string, path: string): Promise<OpenedFile> {
    const row = await this.artifact(workspaceId, collectionId, artifactId);
    const file = row.files.find((candidate) => candidate.path === path);
    if (!file) throw new NotFoundError("File", path);
    return { ...withMediaType(file), localPath: await this.store.localPath(file.sha256) };
  }

  /** An opened file's bytes, whole (for small files; stream `localPath` otherwise). */
  bytes(file: OpenedFile): Promise<Buffer> {
    return readFile(file.localPath);
  }

  /**
   * Any version of any file the collection has held (stored copies, merge
   * bases, snapshots), by content hash. A hash the collection never held is
   * not found, whether or not another collection holds it.
   */
  async openBlob(workspaceId: string, collectionId: string, sha256: string): Promise<OpenedFile> {
    const [collection] = await this.db
      .select({ id: collections.id })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, collectionId)));
    const file = collection && /^[0-9a-f]{64}$/.test(sha256) ? await this.heldFile(collectionId, sha256) : null;
    if (!file) throw new NotFoundError("Blob", sha256);
    return { ...file, mediaType: "application/octet-stream", localPath: await this.store.localPath(sha256) };
  }

  private async heldFile(collectionId: string, sha256: string): Promise<StoredFile | null> {
    const needle = JSON.stringify([{ sha256 }]);
    const [current] = await this.db
      .select({ files: artifacts.files, baseFiles: artifacts.baseFiles })
      .from(artifacts)
      .where(and(eq(artifacts.collectionId, collectionId), sql`(${artifacts.files} @> ${needle}::jsonb or ${artifacts.baseFiles} @> ${needle}::jsonb)`))
      .limit(1);
    if (current) return [...current.files, ...current.baseFiles].find((file) => file.sha256 === sha256) ?? null;
    const inSnapshot = JSON.stringify([{ files: [{ sha256 }] }]);
    const inSnapshotBase = JSON.stringify([{ baseFiles: [{ sha256 }] }]);
    const [snapshot] = await this.db
      .select({ artifacts: snapshots.artifacts })
      .from(snapshots)
      .where(and(eq(snapshots.collectionId, collectionId), sql`(${snapshots.artifacts} @> ${inSnapshot}::jsonb or ${snapshots.artifacts} @> ${inSnapshotBase}::jsonb)`))
      .limit(1);
    return snapshot?.artifacts.flatMap((saved) => [...saved.files, ...(saved.baseFiles ?? [])]).find((file) => file.sha256 === sha256) ?? null;
  }

  /** Creates or replaces a file of the stored copy. An If-Match must name the current file, else nothing changes. */
  async write(workspaceId: string, collectionId: string, artifactId: string, path: string, content: Buffer, request: EditRequest): Promise<EditOutcome> {
    checkPath(path);
    if (content.length > CONTENT_LIMITS.fileBytes) {
      throw new TooLargeError(`${path} would be ${content.length} bytes; a file may hold at most ${CONTENT_LIMITS.fileBytes} bytes (10 MiB).`);
    }
    // Stored before the transaction: blobs are immutable, so an edit that fails later leaves only an unreferenced blob.
    const sha256 = await this.store.put(content);
    return this.edit(workspaceId, collectionId, artifactId, path, request, (files, current) => {
      const file: StoredFile = { path, sha256, size: content.length, executable: current?.executable ?? false };
      const next = [...files.filter((candidate) => candidate.path !== path), file];
      checkContentLimits(next, "The artifact after this edit");
      return { files: next, file, mainContent: content };
    });
  }

  /** Deletes a file of the stored copy; If-Match as for `write`. */
  async delete(workspaceId: string, collectionId: string, artifactId: string, path: string, request: EditRequest): Promise<EditOutcome> {
    checkPath(path);
    return this.edit(workspaceId, collectionId, artifactId, path, request, (files, current) => {
      if (!current) throw new NotFoundError("File", path);
      return { files: files.filter((candidate) => candidate.path !== path), file: null, mainContent: null };
    });
  }

  /**
   * One edit in one transaction: the artifact's row is locked, the
   * precondition checked against it, a snapshot taken, then the new file
   * list, content hash and (when the main file changed) metadata written.
   */
  private async edit(
    workspaceId: string,
    collectionId: string,
    artifactId: string,
    path: string,
    { ifMatch, requestId }: EditRequest,
    change: (files: StoredFile[], current: StoredFile | undefined) => { files: StoredFile[]; file: StoredFile | null; mainContent: Buffer | null },
  ): Promise<EditOutcome> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(artifacts)
        .where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.collectionId, collectionId), eq(artifacts.id, artifactId)))
        .for("update");
      if (!row) throw new NotFoundError("Artifact", artifactId);
      const current = row.files.find((file) => file.path === path);
      if (ifMatch !== undefined) {
        const expected = expectedHash(ifMatch);
        const matches = current !== undefined && (expected.includes("*") || expected.includes(current.sha256));
        if (!matches) {
          throw new PreconditionFailedError(
            current
              ? `${path} has changed since you read it (it is now "${current.sha256}"); nothing was changed. Read it again and retry.`
              : `${path} does not exist, so If-Match cannot match; nothing was changed.`,
          );
        }
      }
      const next = change(row.files, current);
      const files = [...next.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const mainFile = storedMainFile(row);
      let metadata = row.metadata;
      if (mainFile === path && next.mainContent) metadata = mergeMetadata(EMPTY_METADATA, parseMetadata(next.mainContent.toString("utf8")));
      // The review runs on every edit: the edited file is read afresh, the others keep their findings.
      const findings = await this.review.review(files, (sha256) => this.store.get(sha256), row.findings ? { files: row.files, findings: row.findings } : undefined);
      const snapshotId = randomUUID();
      await tx.insert(snapshots).values({ id: snapshotId, workspaceId, collectionId, mode: "edit", requestId, artifacts: [toSnapshotArtifact(row)] });
      const now = new Date();
      const [updated] = await tx
        .update(artifacts)
        .set({ files, contentHash: contentHashOf(files), metadata, findings, updatedAt: now })
        .where(eq(artifacts.id, artifactId))
        .returning();
      await tx.update(collections).set({ updatedAt: now }).where(eq(collections.id, collectionId));
      if (!updated) throw new NotFoundError("Artifact", artifactId);
      return { artifact: updated, file: next.file ? withMediaType(next.file) : null, created: current === undefined && next.file !== null, snapshotId };
    });
  }
}
