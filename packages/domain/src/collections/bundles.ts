import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import { and, asc, eq, gt } from "drizzle-orm";
import { pack as tarPack, type Header as TarHeader } from "tar-stream";
import type { ArtifactType, StoredFile } from "@scriptorium/contract";
import { artifacts, collections, type ArtifactRow, type Database } from "@scriptorium/db";
import { NotFoundError } from "../errors";
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

/** One file placed in a bundle. */
interface BundleEntry {
  name: string;
  file: StoredFile;
  modifiedAt: Date;
}

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

  /** One artifact's files under `<name>/`. */
  async artifact(workspaceId: string, collectionId: string, artifactId: string): Promise<Bundle> {
    const [row] = await this.db
      .select()
      .from(artifacts)
      .where(and(eq(artifacts.workspaceId, workspaceId), eq(artifacts.collectionId, collectionId), eq(artifacts.id, artifactId)));
    if (!row) throw new NotFoundError("Artifact", artifactId);
    const folder = safeName(row.name);
    return { filename: `${folder}.tar.gz`, stream: this.write(row.files.map((file) => ({ name: `${folder}/${file.path}`, file, modifiedAt: row.updatedAt })), null) };
  }

  /**
   * Every artifact of a collection (or those the filter keeps), laid out
   * `<type>s/<name>/…`, with `scriptorium-bundle.json` first: the
   * collection and, per artifact, its version, content hash and files.
   */
  async collection(workspaceId: string, collectionId: string, filter: ArtifactFilter): Promise<Bundle> {
    const [collection] = await this.db
      .select({ id: collections.id, name: collections.name })
      .from(collections)
      .where(and(eq(collections.workspaceId, workspaceId), eq(collections.id, collectionId)));
    if (!collection) throw new NotFoundError("Collection", collectionId);
    const matches = matcherFor(filter);
    const manifest: BundleManifest = { format: "scriptorium-bundle/1", collection, artifacts: [] };
    const entries: BundleEntry[] = [];
    // Read in pages by id: only names and file lists are held, never contents.
    for (let after = ""; ; ) {
      const rows: Pick<ArtifactRow, "id" | "type" | "name" | "resolvedVersion" | "contentHash" | "files" | "updatedAt">[] = await this.db
        .select({ id: artifacts.id, type: artifacts.type, name: artifacts.name, resolvedVersion: artifacts.resolvedVersion, contentHash: artifacts.contentHash, files: artifacts.files, updatedAt: artifacts.updatedAt })
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
        const folder = `${row.type}s/${safeName(row.name)}`;
        for (const file of row.files) entries.push({ name: `${folder}/${file.path}`, file, modifiedAt: row.updatedAt });
      }
      const last = rows.at(-1);
      if (!last || rows.length < ROWS_PER_READ) break;
      after = last.id;
    }
    manifest.artifacts.sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    return { filename: `${safeName(collection.name)}.tar.gz`, stream: this.write(entries, manifest) };
  }

  /** The tar.gz of `entries` (after the manifest, when given), written as it is read. */
  private write(entries: BundleEntry[], manifest: BundleManifest | null): Readable {
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
    const fill = async () => {
      if (manifest) {
        const json = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
        await add({ name: "scriptorium-bundle.json", size: json.length, mode: 0o644, mtime: new Date(0) }, json);
      }
      for (const { name, file, modifiedAt } of entries) {
        await add({ name, size: file.size, mode: file.executable ? 0o755 : 0o644, mtime: modifiedAt }, await this.store.localPath(file.sha256));
      }
      pack.finalize();
    };
    fill().catch((error: unknown) => gzip.destroy(error instanceof Error ? error : new Error(String(error))));
    pack.pipe(gzip);
    return gzip;
  }
}
