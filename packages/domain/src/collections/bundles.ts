import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { and, asc, eq, gt } from "drizzle-orm";
import { pack as tarPack, type Header as TarHeader } from "tar-stream";
import {
  layoutArtifact,
  LayoutRefusal,
  MERGE_MANIFEST_NAME,
  type ArtifactLayout,
  type ArtifactType,
  type DeployProfile,
  type DeployScope,
  type MergeManifest,
  type StoredFile,
} from "@scriptorium/contract";
import { artifacts, collections, type ArtifactRow, type Database } from "@scriptorium/db";
import { InvalidError, NotFoundError } from "../errors";
import { matcherFor, type ArtifactFilter } from "./artifact-filter";
import type { BlobStore } from "./blob-store";

/** What `scriptorium-bundle.json` says of each artifact in a collection bundle. */
export interface BundledArtifact {
  id: string;
  type: ArtifactType;
  name: string;
  resolved_version: string;
  content_hash: string;
  files: { path: string; sha256: string }[];
}

/** The manifest at the root of a collection bundle. */
export interface BundleManifest {
  format: "scriptorium-bundle/1";
  collection: { id: string; name: string };
  artifacts: BundledArtifact[];
}

/** A bundle being written: a gzip stream and the name it downloads as. */
export interface Bundle {
  filename: string;
  stream: Readable;
}

/** One file placed in a bundle: a stored file streamed from the store, or bytes made for the bundle. */
interface BundleEntry {
  name: string;
  file: Pick<StoredFile, "size" | "executable"> & ({ sha256: string } | { content: Uint8Array });
  modifiedAt: Date;
}

/** A bundle laid out for a deployment profile (`?profile=`) rather than as the collection holds it. */
export interface ProfileLayout {
  profile: DeployProfile;
  scope: DeployScope;
}

/** The columns a bundle reads of each artifact. */
type BundledRow = Pick<ArtifactRow, "id" | "type" | "name" | "metadata" | "resolvedVersion" | "contentHash" | "files" | "updatedAt">;

/** Artifact rows read per query while a collection bundle is planned. */
const ROWS_PER_READ = 1_000;

/** Folder and file names as they go into a tar: anything a file system would trip on is replaced. */
function safeName(name: string): string {
  return name.replaceAll("/", "_").replaceAll("\\", "_").replaceAll("\u0000", "_");
}

/**
 * Artifacts as tar.gz bundles, streamed: each file is read from the blob
 * store as the archive is written, so memory stays flat whatever the
 * artifact or collection weighs.
 */
export class BundleService {
  constructor(
    private readonly db: Database,
    private readonly store: BlobStore,
  ) {}

  /**
   * One artifact's files under `<name>/`; with a profile, laid out where that
   * tool reads them, plus `scriptorium-merge.json` (what a deploy merges into
   * settings). A type the profile has no place for is refused before any byte is sent.
   */
  async artifact(workspaceId: string, collectionId: string, artifactId: string, layout?: ProfileLayout): Promise<Bundle> {
    const [row] = await this.db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.collectionId, collectionId), eq(artifacts.id, artifactId)));
    if (!row) throw new NotFoundError("Artifact", artifactId);
    const folder = safeName(row.name);
    if (!layout) {
      return { filename: `${folder}.tar.gz`, stream: this.write(row.files.map((file) => ({ name: `${folder}/${file.path}`, file, modifiedAt: row.updatedAt })), null) };
    }
    let placed: ArtifactLayout;
    try {
      placed = await this.layOut(row, layout);
    } catch (error) {
      if (error instanceof LayoutRefusal) throw new InvalidError(error.message, [{ path: ["profile"], message: error.message }]);
      throw error;
    }
    const manifest: MergeManifest = { format: "scriptorium-merge/1", ...layout, merges: placed.merges.map((merge) => ({ artifact_id: row.id, ...merge })), skipped: [] };
    return { filename: `${folder}.${layout.profile}.tar.gz`, stream: this.write(placedEntries(placed, row.updatedAt), null, manifest) };
  }

  /**
   * Every artifact of a collection (or those the filter keeps), laid out
   * `<type>s/<name>/…`, with `scriptorium-bundle.json` first: the
   * collection and, per artifact, its version, content hash and files.
   */
  async collection(workspaceId: string, collectionId: string, filter: ArtifactFilter, layout?: ProfileLayout): Promise<Bundle> {
    const [collection] = await this.db
      .select({ id: collections.id, name: collections.name })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, collectionId)));
    if (!collection) throw new NotFoundError("Collection", collectionId);
    const matches = matcherFor(filter);
    const manifest: BundleManifest = { format: "scriptorium-bundle/1", collection, artifacts: [] };
    const entries: BundleEntry[] = [];
    const laidOut: BundledRow[] = [];
    // Read in pages by id: only names and file lists are held, never contents.
    for (let after = ""; ; ) {
      const rows: BundledRow[] = await this.db
        .select({
          id: artifacts.id,
          type: artifacts.type,
          name: artifacts.name,
          metadata: artifacts.metadata,
          resolvedVersion: artifacts.resolvedVersion,
          contentHash: artifacts.contentHash,
          files: artifacts.files,
          updatedAt: artifacts.updatedAt,
        })
        .from(artifacts)
        .where(and(eq(artifacts.collectionId, collectionId), gt(artifacts.id, after), filter.type ? eq(artifacts.type, filter.type) : undefined))
        .orderBy(asc(artifacts.id))
        .limit(ROWS_PER_READ);
      for (const row of rows) {
        if (!matches(row)) continue;
        manifest.artifacts.push({
          id: row.id,
          type: row.type,
          name: row.name,
          resolved_version: row.resolvedVersion,
          content_hash: row.contentHash,
          files: row.files.map((file) => ({ path: file.path, sha256: file.sha256 })),
        });
        if (layout) {
          laidOut.push(row);
          continue;
        }
        const folder = `${row.type}s/${safeName(row.name)}`;
        for (const file of row.files) entries.push({ name: `${folder}/${file.path}`, file, modifiedAt: row.updatedAt });
      }
      const last = rows.at(-1);
      if (!last || rows.length < ROWS_PER_READ) break;
      after = last.id;
    }
    manifest.artifacts.sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    if (!layout) return { filename: `${safeName(collection.name)}.tar.gz`, stream: this.write(entries, manifest) };
    laidOut.sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));
    return { filename: `${safeName(collection.name)}.${layout.profile}.tar.gz`, stream: this.writeLaidOut(laidOut, manifest, layout) };
  }

  /** Reads an artifact's files and lays them out for a profile (at most one artifact's bytes are held: 50 MiB). */
  private async layOut(row: BundledRow, layout: ProfileLayout): Promise<ArtifactLayout> {
    const files = await Promise.all(row.files.map(async (file) => ({ path: file.path, content: await this.store.get(file.sha256), executable: file.executable })));
    return layoutArtifact({ ...layout, type: row.type, name: row.name, description: row.metadata.description, files });
  }

  /**
   * A collection laid out for a profile: each artifact is read and laid out
   * as the archive reaches it, so memory holds one artifact at a time; the
   * merge manifest, which only then is complete, comes last, listing the
   * artifacts the profile has no place for under `skipped`.
   */
  private writeLaidOut(rows: BundledRow[], bundleManifest: BundleManifest, layout: ProfileLayout): Readable {
    const mergeManifest: MergeManifest = { format: "scriptorium-merge/1", ...layout, merges: [], skipped: [] };
    const layOut = (row: BundledRow) => this.layOut(row, layout);
    async function* entries(): AsyncGenerator<BundleEntry> {
      for (const row of rows) {
        let placed: ArtifactLayout;
        try {
          placed = await layOut(row);
        } catch (error) {
          if (!(error instanceof LayoutRefusal)) throw error;
          mergeManifest.skipped.push({ artifact_id: row.id, type: row.type, name: row.name, reason: error.message });
          continue;
        }
        mergeManifest.merges.push(...placed.merges.map((merge) => ({ artifact_id: row.id, ...merge })));
        yield* placedEntries(placed, row.updatedAt);
      }
    }
    return this.write(entries(), bundleManifest, mergeManifest);
  }

  /**
   * The tar.gz of `entries`, written as it is read: `scriptorium-bundle.json`
   * first when given, `scriptorium-merge.json` last when given.
   */
  private write(entries: Iterable<BundleEntry> | AsyncIterable<BundleEntry>, manifest: BundleManifest | null, mergeManifest?: MergeManifest): Readable {
    const pack = tarPack();
    const gzip = createGzip();
    const add = (header: Partial<TarHeader> & Pick<TarHeader, "name">, content: Buffer | string) =>
      new Promise<void>((resolve, reject) => {
        const done = (error?: Error | null) => (error ? reject(error) : resolve());
        if (typeof content !== "string") {
          pack.entry(header, content, done);
          return;
        }
        // A string names a file from the store, piped in with backpressure: the archive never holds more than a few chunks.
        const entry = pack.entry(header, done);
        const source = createReadStream(content);
        source.once("error", reject);
        source.pipe(entry);
      });
    const addJson = (name: string, value: unknown) => {
      const json = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
      return add({ name, size: json.length, mode: 0o644, mtime: new Date(0) }, json);
    };
    const fill = async () => {
      if (manifest) await addJson("scriptorium-bundle.json", manifest);
      for await (const { name, file, modifiedAt } of entries) {
        const content = "content" in file ? Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength) : await this.store.localPath(file.sha256);
        await add({ name, size: file.size, mode: file.executable ? 0o755 : 0o644, mtime: modifiedAt }, content);
      }
      if (mergeManifest) await addJson(MERGE_MANIFEST_NAME, mergeManifest);
      pack.finalize();
    };
    fill().catch((error: unknown) => gzip.destroy(error instanceof Error ? error : new Error(String(error))));
    pack.pipe(gzip);
    return gzip;
  }
}

/** The files of a layout as bundle entries (executable bits kept from the artifact's files by source path). */
function placedEntries(layout: ArtifactLayout, modifiedAt: Date): BundleEntry[] {
  return layout.files.map((file) => ({ name: file.path, file: { size: file.content.byteLength, executable: file.executable, content: file.content }, modifiedAt }));
}
