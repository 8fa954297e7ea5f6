import { createHash } from "node:crypto";
import { posix } from "node:path";

export interface UpstreamFile {
  /** Relative to the artifact's root, `/`-separated; for a file artifact, its own name. */
  path: string;
  executable: boolean;
  /** The git blob id, when the upstream is git. */
  oid?: string;
}

export interface UpstreamListing {
  isFile: boolean;
  files: UpstreamFile[];
  /**
   * For git: a signature of the artifact's files at this commit (their paths,
   * blob ids and modes), which changes exactly when the artifact's content
   * does; a commit elsewhere in the repository leaves it alone. Null for local sources.
   */
  object: string | null;
  /** Symbolic links where files would be (relative paths like `files`'): never copied, but the security review reports them. */
  links?: string[];
}

/**
 * Files and folders never copied from upstream, compared without case:
 * `.GIT` is `.git` once a copy lands on a case-insensitive file system.
 */
const IGNORED = new Set([".git", ".ds_store", "node_modules"]);

export function isIgnored(relativePath: string): boolean {
  return relativePath.split("/").some((part) => IGNORED.has(part.toLowerCase()));
}

export function signatureOf(files: readonly UpstreamFile[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${file.path}\0${file.oid ?? ""}\0${file.executable ? "x" : "-"}\n`);
  return hash.digest("hex");
}

/**
 * Splits a listing among the artifacts found in it (paths relative to the
 * listing's root, "" for the root itself): each file goes to the nearest
 * artifact at or above it. One pass over the files, whatever their number.
 */
export function partitionListing(listing: UpstreamListing, roots: readonly { path: string; isFile: boolean }[]): Map<string, UpstreamListing> {
  // A file source is one artifact, the file itself ("" is its root), and the listing holds it under its own name.
  if (listing.isFile) return new Map(roots.map((root) => [root.path, listing]));
  const parts = new Map<string, UpstreamListing>();
  for (const root of roots) parts.set(root.path, { isFile: root.isFile, files: [], object: null });
  const owner = (path: string): [string, UpstreamListing] | undefined => {
    const own = parts.get(path);
    if (own?.isFile) return [path, own];
    for (let dir = posix.dirname(path); ; dir = posix.dirname(dir)) {
      const key = dir === "." ? "" : dir;
      const part = parts.get(key);
      if (part && !part.isFile) return [key, part];
      if (key === "") return undefined;
    }
  };
  const relativeTo = (root: string, part: UpstreamListing, path: string) => (part.isFile ? posix.basename(path) : root === "" ? path : path.slice(root.length + 1));
  for (const file of listing.files) {
    const found = owner(file.path);
    if (!found) continue;
    const [root, part] = found;
    part.files.push({ ...file, path: relativeTo(root, part, file.path) });
  }
  for (const link of listing.links ?? []) {
    const found = owner(link);
    if (!found || found[1].isFile) continue;
    (found[1].links ??= []).push(relativeTo(found[0], found[1], link));
  }
  if (listing.object !== null) for (const part of parts.values()) part.object = signatureOf(part.files);
  return parts;
}
