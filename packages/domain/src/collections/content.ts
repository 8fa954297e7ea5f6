import { createHash } from "node:crypto";
import type { StoredFile } from "@scriptorium/contract";
import { blobHash, type BlobStore } from "./blob-store";
import type { UpstreamListing } from "./upstream/listing";

/** One hash for an artifact's whole content: its file names, their bytes and executable bits. */
export function contentHashOf(files: readonly StoredFile[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${file.path}\0${file.sha256}\0${file.executable ? "x" : "-"}\n`);
  }
  return hash.digest("hex");
}

/** The manifest of content read upstream, without storing anything. */
export function manifestOf(listing: UpstreamListing, contents: Map<string, Buffer>): StoredFile[] {
  return listing.files.map((file) => {
    const content = contents.get(file.path);
    if (!content) throw new Error(`${file.path} was not read.`);
    return { path: file.path, sha256: blobHash(content), size: content.length, executable: file.executable };
  });
}

/** Stores every file's bytes in the blob store and returns the manifest. */
export async function storeContent(store: BlobStore, listing: UpstreamListing, contents: Map<string, Buffer>): Promise<StoredFile[]> {
  const manifest = manifestOf(listing, contents);
  await Promise.all(
    listing.files.map((file) => {
      const content = contents.get(file.path);
      return content ? store.put(content) : Promise.resolve("");
    }),
  );
  return manifest;
}
