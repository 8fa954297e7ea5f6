import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Artifact file contents, stored once per distinct content under its
 * SHA-256. Blobs are immutable and never rewritten, so a snapshot that
 * names them restores byte-identical files, and a refresh can write new
 * blobs before its database transaction without ever damaging old ones.
 */
export class BlobStore {
  private readonly known = new Set<string>();

  constructor(private readonly dir: string) {}

  static hash(content: Buffer): string {
    return createHash("sha256").update(content).digest("hex");
  }

  private pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2));
  }

  async put(content: Buffer): Promise<string> {
    const sha256 = BlobStore.hash(content);
    if (this.known.has(sha256)) return sha256;
    const path = this.pathOf(sha256);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
      // Write aside, then rename: a reader never sees half a blob.
      const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, path);
    }
    this.known.add(sha256);
    return sha256;
  }

  get(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`Not a blob id: ${sha256}`);
    return readFile(this.pathOf(sha256));
  }
}
