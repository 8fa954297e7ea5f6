import { realpath } from "node:fs/promises";
import { isAbsolute, posix, resolve } from "node:path";
import type { ArtifactSource, ArtifactType } from "@scriptorium/contract";
import type { GitCache, TreeEntry } from "../git";
import { mainFileOf } from "../layout";
import { ensureAllowed, localBounds, type LocalSourceRules } from "./local-bounds";
import { isIgnored, signatureOf, type UpstreamFile, type UpstreamListing } from "./listing";
import { UpstreamError, type UpstreamSource } from "./upstream-source";

/** A git source; a GitHub source is a git source on the GitHub host. */
export type GitArtifactSource = Extract<ArtifactSource, { kind: "git" | "github" }>;

/** One commit of a repository, with its tree. */
export interface GitRevision {
  kind: "git";
  url: string;
  commit: string;
  tree: Map<string, TreeEntry>;
}

/** The mode git gives a symlink; its blob is the link's target. */
const SYMLINK_MODE = "120000";

/**
 * The folder a `file://` URL names, as written: git ignores the host and
 * percent-decodes the path; null for any other URL. Git resolves `..` on the
 * file system (after following links), as realpath does, so the bounds are
 * checked against this path and again against its real path.
 */
function fileUrlPath(url: string): string | null {
  if (!url.startsWith("file://")) return null;
  const rest = url.slice("file://".length);
  const slash = rest.indexOf("/");
  let path: string;
  try {
    path = decodeURIComponent(slash < 0 ? "" : rest.slice(slash));
  } catch {
    throw new UpstreamError(`${url} is not a valid file:// URL.`);
  }
  if (!isAbsolute(path)) throw new UpstreamError(`${url} names no absolute path.`);
  return resolve(path);
}

/** The copyable files of a tree, sorted by path, so any folder's files are one contiguous range. */
const sortedBlobs = new WeakMap<Map<string, TreeEntry>, { path: string; entry: TreeEntry }[]>();

function blobsOf(tree: Map<string, TreeEntry>): { path: string; entry: TreeEntry }[] {
  let blobs = sortedBlobs.get(tree);
  if (!blobs) {
    // Symlinks and submodules are not copied: they could point anywhere.
    blobs = [...tree]
      .filter(([, entry]) => entry.type === "blob" && entry.mode !== SYMLINK_MODE)
      .map(([path, entry]) => ({ path, entry }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    sortedBlobs.set(tree, blobs);
  }
  return blobs;
}

const sortedLinks = new WeakMap<Map<string, TreeEntry>, string[]>();

/** The tree's symlink entries (usually none), computed once per tree. */
function linksOf(tree: Map<string, TreeEntry>): string[] {
  let links = sortedLinks.get(tree);
  if (!links) {
    links = [...tree].filter(([, entry]) => entry.type === "blob" && entry.mode === SYMLINK_MODE).map(([path]) => path).sort();
    sortedLinks.set(tree, links);
  }
  return links;
}

function listGitTree(tree: Map<string, TreeEntry>, path: string): UpstreamListing {
  const prefix = path === "" ? "" : `${path}/`;
  const blobs = blobsOf(tree);
  // Binary search for the first path at or after the prefix.
  let low = 0;
  let high = blobs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((blobs[middle]?.path ?? "") < prefix) low = middle + 1;
    else high = middle;
  }
  const files: UpstreamFile[] = [];
  for (let index = low; index < blobs.length; index += 1) {
    const blob = blobs[index];
    if (!blob?.path.startsWith(prefix)) break;
    const relativePath = blob.path.slice(prefix.length);
    // Git itself refuses to write such trees, but a crafted one (git mktree) can hold them; stored, they would lead outside the artifact.
    if (relativePath.split("/").some((part) => part === "" || part === "." || part === "..")) {
      throw new UpstreamError(`The repository holds the path "${blob.path}", which leads outside its folder; such trees are refused.`);
    }
    if (isIgnored(relativePath)) continue;
    files.push({ path: relativePath, executable: blob.entry.mode === "100755", oid: blob.entry.oid });
  }
  const links = linksOf(tree)
    .filter((link) => link.startsWith(prefix))
    .map((link) => link.slice(prefix.length))
    .filter((link) => !isIgnored(link));
  return { isFile: false, files, object: signatureOf(files), ...(links.length > 0 ? { links } : {}) };
}

/** Git and GitHub repositories, read through the git cache at one resolved commit. */
export class GitSource implements UpstreamSource<GitArtifactSource, GitRevision> {
  constructor(
    private readonly git: GitCache,
    /** A `file://` repository is read from the local filesystem, so the local bounds apply to it. */
    private readonly localRules: LocalSourceRules,
  ) {}

  key(source: GitArtifactSource): string {
    return `${this.location(source).url}\n${source.ref ?? ""}`;
  }

  /**
   * The folder a `file://` repository is read from, once it is known to be
   * allowed as written (nothing at it is looked up); null for a repository
   * read over the network. The GitHub host is the operator's setting, not
   * the caller's, so only `git` sources can name one.
   */
  async allowedPath(source: GitArtifactSource): Promise<string | null> {
    const path = source.kind === "git" ? fileUrlPath(source.url) : null;
    if (path !== null) ensureAllowed(path, await localBounds(this.localRules));
    return path;
  }

  async revision(source: GitArtifactSource): Promise<GitRevision> {
    const { url } = this.location(source);
    // A file:// repository is a local read too, by git: checked as written, then by the real path git will follow.
    const path = source.kind === "git" ? fileUrlPath(url) : null;
    if (path !== null) {
      const bounds = await localBounds(this.localRules);
      ensureAllowed(path, bounds);
      const real = await realpath(path).catch(() => path);
      if (real !== path) ensureAllowed(real, bounds, path);
    }
    const commit = await this.git.resolve(url, source.ref);
    await this.git.ensure(url, commit);
    return { kind: "git", url, commit, tree: await this.git.tree(url, commit) };
  }

  async list(source: GitArtifactSource, revision: GitRevision): Promise<UpstreamListing | null> {
    const { path } = this.location(source);
    if (path === "") return listGitTree(revision.tree, "");
    const entry = revision.tree.get(path);
    if (!entry) return null;
    if (entry.type === "blob") {
      if (entry.mode === SYMLINK_MODE) throw new UpstreamError(`${path} is a symlink in the repository; symlinks are never followed or copied.`);
      const files = [{ path: posix.basename(path), executable: entry.mode === "100755", oid: entry.oid }];
      return { isFile: true, files, object: signatureOf(files) };
    }
    return listGitTree(revision.tree, path);
  }

  async readMainFile(source: GitArtifactSource, revision: GitRevision, type: ArtifactType): Promise<Buffer | null> {
    const listing = await this.list(source, revision);
    if (!listing) return null;
    const main = mainFileOf(listing.files.map((file) => file.path), type, listing.isFile);
    if (!main) throw new UpstreamError("Upstream has no main file to read metadata from.");
    return (await this.read(source, revision, listing, [main])).get(main) ?? null;
  }

  async read(_source: GitArtifactSource, revision: GitRevision, listing: UpstreamListing, only?: readonly string[]): Promise<Map<string, Buffer>> {
    const wanted = only ? listing.files.filter((file) => only.includes(file.path)) : listing.files;
    const blobs = await this.git.readBlobs(revision.url, wanted.map((file) => file.oid ?? ""));
    const contents = new Map<string, Buffer>();
    for (const file of wanted) {
      const blob = file.oid ? blobs.get(file.oid) : undefined;
      if (!blob) throw new UpstreamError(`${file.path} is missing from the git cache.`);
      contents.set(file.path, blob);
    }
    return contents;
  }

  private location(source: GitArtifactSource): { url: string; path: string } {
    return { url: source.kind === "git" ? source.url : this.git.githubUrl(source.repo), path: source.path.replace(/^\/+|\/+$/g, "") };
  }
}
