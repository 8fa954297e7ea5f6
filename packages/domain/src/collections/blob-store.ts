import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { once } from "node:events";
import { and, eq } from "drizzle-orm";
import { storedFileChunks, storedFiles, type Database } from "@scriptorium/db";

/** The content address of a file: its SHA-256, in hex. */
export function blobHash(content: Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

function assertBlobId(sha256: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a blob id: ${sha256}`);
}

/**
 * File contents, stored once per distinct content under its SHA-256.
 * Stored files are immutable and never rewritten, so a snapshot that names
 * them restores byte-identical files, and a writer can store new ones before
 * its database transaction without ever damaging old ones.
 */
export interface BlobStore {
  put(content: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  /** A file on this machine holding the content, for streaming (fetched into the local cache first when needed). */
  localPath(sha256: string): Promise<string>;
}

/** A file is written aside and renamed into place: under its final name it is always whole. */
async function writeWhole(path: string, content: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/** Files in a folder of the data directory (`<aa>/<the other 62 hex digits>`): the embedded installation's store, and every node's cache. */
export class FileBlobStore implements BlobStore {
  private readonly known = new Set<string>();

  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    assertBlobId(sha256);
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2));
  }

  async put(content: Uint8Array): Promise<string> {
    const sha256 = blobHash(content);
    if (this.known.has(sha256)) return sha256;
    if (!(await this.has(sha256))) await writeWhole(this.pathOf(sha256), content);
    this.known.add(sha256);
    return sha256;
  }

  get(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return (await stat(this.pathOf(sha256)).catch(() => null)) !== null;
  }

  async localPath(sha256: string): Promise<string> {
    return this.pathOf(sha256);
  }
}

/** Chunk size of files kept in PostgreSQL: a large export is written and read a megabyte at a time. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Files kept in PostgreSQL (`stored_files`, `stored_file_chunks`), so every
 * node sharing the database reads every file without a shared volume; each
 * node keeps the files it wrote or read in its own data directory, as a
 * cache that may be deleted at any time.
 */
export class DatabaseBlobStore implements BlobStore {
  /** Files this process knows the database holds. */
  private readonly stored = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly cache: FileBlobStore,
  ) {}

  async put(content: Uint8Array): Promise<string> {
    const sha256 = await this.cache.put(content);
    if (this.stored.has(sha256)) return sha256;
    const chunks = Math.max(1, Math.ceil(content.byteLength / CHUNK_BYTES));
    await this.db.transaction(async (tx) => {
      // Another node storing the same content at the same time waits here for it, then finds it stored.
      const [created] = await tx
        .insert(storedFiles)
        .values({ sha256, sizeBytes: content.byteLength, chunks })
        .onConflictDoNothing()
        .returning({ sha256: storedFiles.sha256 });
      if (!created) return;
      for (let seq = 0; seq < chunks; seq += 1) {
        const data = Buffer.from(content.buffer, content.byteOffset + seq * CHUNK_BYTES, Math.min(CHUNK_BYTES, content.byteLength - seq * CHUNK_BYTES));
        await tx.insert(storedFileChunks).values({ sha256, seq, data });
      }
    });
    this.stored.add(sha256);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer> {
    return readFile(await this.localPath(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    if (this.stored.has(sha256)) return true;
    const [row] = await this.db.select({ sha256: storedFiles.sha256 }).from(storedFiles).where(eq(storedFiles.sha256, sha256));
    if (row) this.stored.add(sha256);
    return row !== undefined;
  }

  /** The cached file, or the stored one fetched chunk by chunk into the cache (checked against its hash). */
  async localPath(sha256: string): Promise<string> {
    const path = this.cache.pathOf(sha256);
    if (await this.cache.has(sha256)) return path;
    const [file] = await this.db.select().from(storedFiles).where(eq(storedFiles.sha256, sha256));
    if (!file) throw new Error(`No stored file ${sha256}`);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    const out = createWriteStream(temporary);
    const hash = createHash("sha256");
    try {
      for (let seq = 0; seq < file.chunks; seq += 1) {
        const [chunk] = await this.db
          .select({ data: storedFileChunks.data })
          .from(storedFileChunks)
          .where(and(eq(storedFileChunks.sha256, sha256), eq(storedFileChunks.seq, seq)));
        if (!chunk) throw new Error(`Stored file ${sha256} lacks chunk ${seq}`);
        hash.update(chunk.data);
        if (!out.write(chunk.data)) await once(out, "drain");
      }
      out.end();
      await once(out, "finish");
      if (hash.digest("hex") !== sha256) throw new Error(`Stored file ${sha256} does not match its hash`);
      await rename(temporary, path);
    } catch (error) {
      out.destroy();
      await rm(temporary, { force: true });
      throw error;
    }
    this.stored.add(sha256);
    return path;
  }
}
