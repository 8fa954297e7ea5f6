import { createHash } from "node:crypto";
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, realpathSync, type Stats } from "node:fs";
import { lstat, open, readdir, realpath, type FileHandle } from "node:fs/promises";
import { basename, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { performance } from "node:perf_hooks";
import type { ArtifactSource, ArtifactType } from "@scriptorium/contract";
import { GitError, type GitCache, type TreeEntry } from "./git";
import { mainFileCandidates, mainFileOf } from "./layout";

/** One version of one upstream: a git commit with its tree, or the local filesystem as it is now. */
export type Revision =
  | { kind: "git"; url: string; commit: string; tree: Map<string, TreeEntry> }
  | { kind: "local"; files: LocalFileReader; bounds: LocalBounds };

/** Where local sources (and `file://` git repositories) may be read from. */
export interface LocalSourceRules {
  /** Scriptorium's own data directory: never read, nor any folder that holds it. */
  dataDir: string;
  /** When set, local sources must lie inside one of these absolute folders. */
  roots?: readonly string[] | undefined;
}

/**
 * LocalSourceRules with every folder both as configured and by its real
 * path, resolved once per import or refresh: a source is compared by its
 * real path, and the configured folders may be, or lie under, symlinks (or
 * not exist yet, when only the configured path counts).
 */
export interface LocalBounds {
  dataDir: string[];
  /** `listed` as configured, for messages; `paths` adds their real paths. Null: any folder. */
  roots: { listed: readonly string[]; paths: string[] } | null;
}

/**
 * Synchronous reads that take more than this on average over a window of
 * reads mean slow storage, and the reader goes asynchronous. (A cached small
 * file takes some microseconds; one read now and then can take longer when
 * the process is preempted, which an average over a window absorbs.)
 */
const SLOW_READ_MS = 0.5;
const SLOW_READ_WINDOW = 64;
/** Synchronous reads stop for the rest of an event-loop turn after this long, so other work gets its turn. */
const TURN_BUDGET_MS = 4;

/**
 * How local files are opened: never through a symlink as the last part of
 * the path (O_NOFOLLOW), and without waiting for a writer when the path is a
 * FIFO (O_NONBLOCK; it changes nothing for regular files). Reading a FIFO
 * would wait for a writer that may never come, and a synchronous read would
 * stall the whole process meanwhile.
 */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Where Linux names the file behind each open descriptor. */
const FD_LINKS = "/proc/self/fd";
const HAS_FD_LINKS = existsSync(FD_LINKS);

/**
 * Opening errors that mean "there is no regular file here": missing, a
 * symlink (O_NOFOLLOW answers ELOOP), a symlink loop above it, a socket (ENXIO).
 */
const NOT_A_FILE = new Set(["ENOENT", "ENOTDIR", "ELOOP", "ENXIO"]);

function noFileOr(path: string, error: unknown): null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NOT_A_FILE.has(code)) return null;
  throw new UpstreamError(`Cannot read ${path}: ${code ?? String(error)}`);
}

/**
 * Refuses a file opened at `path` unless it was reached without following a
 * symlink. O_NOFOLLOW covers only the last part of the path, and a folder
 * above it may have been swapped for a link since the listing. Linux names
 * the file behind a descriptor, which settles this after the fact, whatever
 * was swapped when. Elsewhere the path must be its own real path and still
 * name the opened file; a folder swapped for a link and back between the
 * open and these checks could slip by there.
 */
function ensureReachedDirectly(path: string, fd: number, opened: Stats): void {
  let direct: boolean;
  if (HAS_FD_LINKS) {
    direct = readlinkSync(`${FD_LINKS}/${fd}`) === path;
  } else {
    try {
      const here = lstatSync(path);
      direct = realpathSync.native(path) === path && here.ino === opened.ino && here.dev === opened.dev;
    } catch {
      direct = false;
    }
  }
  if (!direct) throw new UpstreamError(`${path} was reached through a symlink, or moved while being read; symlinks are never followed.`);
}

/** The bytes of the regular file at `path`; null when there is none (missing, a folder, a symlink, a FIFO…). */
function readRegularFileSync(path: string): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return noFileOr(path, error);
  }
  try {
    const info = fstatSync(fd);
    ensureReachedDirectly(path, fd, info);
    return info.isFile() ? readFileSync(fd) : null;
  } finally {
    closeSync(fd);
  }
}

/** readRegularFileSync, through the thread pool. */
async function readRegularFile(path: string): Promise<Buffer | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return noFileOr(path, error);
  }
  try {
    const info = await handle.stat();
    ensureReachedDirectly(path, handle.fd, info);
    return info.isFile() ? await handle.readFile() : null;
  } finally {
    await handle.close();
  }
}

/**
 * Reads local files for one refresh or import. A small file the OS has
 * cached is read synchronously in a few microseconds, where an asynchronous
 * read costs four round trips through the thread pool (open, stat, read,
 * close) and their promises — several times the work for a folder of
 * thousands of small files. So files are read synchronously, a few
 * milliseconds' worth per event-loop turn at most, while reads stay fast;
 * once they are slow (a cold disk, a network file system) the rest are read
 * asynchronously. Errors are the same either way.
 *
 * Only regular files reached without following a symlink are read: a file
 * listed as regular may have been swapped for a link (or a FIFO) by the time
 * it is read.
 */
export class LocalFileReader {
  private slow = false;
  /** Time spent in synchronous reads during the current event-loop turn. */
  private spentThisTurn = 0;
  private nextTurn: Promise<void> | null = null;
  private windowReads = 0;
  private windowSpent = 0;

  /** A file a listing named: refused unless it is still a regular file, reached without following a symlink. */
  async read(path: string): Promise<Buffer> {
    const content = await this.readIfFile(path);
    if (!content) throw new UpstreamError(`${path} changed while being read: it is no longer a regular file (symlinks are never followed).`);
    return content;
  }

  /** A file that may be there: null when `path` holds no regular file (a symlink is never one). */
  async readIfFile(path: string): Promise<Buffer | null> {
    if (this.slow) return readRegularFile(path);
    if (this.spentThisTurn >= TURN_BUDGET_MS) await this.turnEnds();
    const started = performance.now();
    try {
      return readRegularFileSync(path);
    } finally {
      this.account(performance.now() - started);
    }
  }

  private account(spent: number): void {
    if (this.spentThisTurn === 0) void this.turnEnds();
    this.spentThisTurn += spent;
    this.windowReads += 1;
    this.windowSpent += spent;
    if (this.windowReads < SLOW_READ_WINDOW) return;
    if (this.windowSpent > SLOW_READ_WINDOW * SLOW_READ_MS) this.slow = true;
    this.windowReads = 0;
    this.windowSpent = 0;
  }

  /** Resolves at the end of the current event-loop turn, when the time budget starts again. */
  private turnEnds(): Promise<void> {
    this.nextTurn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.nextTurn = null;
        this.spentThisTurn = 0;
        resolve();
      }),
    );
    return this.nextTurn;
  }
}

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
}

export class UpstreamError extends Error {
  override name = "UpstreamError";
}

/** True when `path` is `folder` or lies inside it (both absolute and normalised). */
function isWithin(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

/**
 * Refuses a local path Scriptorium must not read: its own data directory
 * (the embedded database, every workspace's stored copies and git mirrors,
 * `owner.key`), anything in it, and any folder holding it, since importing
 * that folder would walk into it; and, when roots are configured, anything
 * outside them. The messages name only the path the caller gave.
 */
function ensureAllowed(path: string, bounds: LocalBounds): void {
  for (const dataDir of bounds.dataDir) {
    if (isWithin(path, dataDir)) throw new UpstreamError(`${path} lies inside Scriptorium's data directory, which is never read as a source.`);
    if (isWithin(dataDir, path)) throw new UpstreamError(`${path} holds Scriptorium's data directory, which is never read as a source: add a folder that does not hold it.`);
  }
  if (bounds.roots && !bounds.roots.paths.some((root) => isWithin(path, root))) {
    throw new UpstreamError(`${path} is outside the folders local sources may be read from (SCRIPTORIUM_LOCAL_ROOTS: ${bounds.roots.listed.join(", ")}).`);
  }
}

/**
 * The folder git reads for a `file://` URL: git ignores the host and
 * percent-decodes the path, and resolves `..` on the file system (after
 * following links), as realpath does; null for any other URL.
 */
async function fileUrlFolder(url: string): Promise<string | null> {
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
  return realpath(path).catch(() => resolve(path));
}

/**
 * Files and folders never copied from upstream, compared without case:
 * `.GIT` is `.git` once a copy lands on a case-insensitive file system.
 */
const IGNORED = new Set([".git", ".ds_store", "node_modules"]);

function isIgnored(relativePath: string): boolean {
  return relativePath.split("/").some((part) => IGNORED.has(part.toLowerCase()));
}

function gitLocation(source: Extract<ArtifactSource, { kind: "git" | "github" }>, git: GitCache): { url: string; path: string } {
  return { url: source.kind === "git" ? source.url : git.githubUrl(source.repo), path: source.path.replace(/^\/+|\/+$/g, "") };
}

/** The key that groups artifacts read from the same upstream at the same ref. */
export function upstreamKey(source: ArtifactSource, git: GitCache): string {
  if (source.kind === "local") return "local";
  return `${gitLocation(source, git).url}\n${source.ref ?? ""}`;
}

/**
 * Reads artifacts from where they came from. Local folders are read as they
 * are; git and GitHub sources through the git cache, at one resolved commit.
 */
export class UpstreamReader {
  private readonly rules: LocalSourceRules;

  constructor(
    readonly git: GitCache,
    rules: LocalSourceRules,
  ) {
    this.rules = { dataDir: resolve(rules.dataDir), roots: rules.roots?.map((root) => resolve(root)) };
  }

  async revision(source: ArtifactSource): Promise<Revision> {
    if (source.kind === "local") return { kind: "local", files: new LocalFileReader(), bounds: await this.localBounds() };
    const { url } = gitLocation(source, this.git);
    // A file:// repository is a local read too, by git (the GitHub host is the operator's setting, not the caller's).
    const folder = source.kind === "git" ? await fileUrlFolder(url) : null;
    if (folder !== null) ensureAllowed(folder, await this.localBounds());
    const commit = await this.git.resolve(url, source.ref);
    await this.git.ensure(url, commit);
    return { kind: "git", url, commit, tree: await this.git.tree(url, commit) };
  }

  /** The configured folders as they are on disk now: the data directory or a root may be a link, or moved since the last refresh. */
  private async localBounds(): Promise<LocalBounds> {
    const asConfiguredAndReal = async (path: string) => [...new Set([path, await realpath(path).catch(() => path)])];
    const roots = this.rules.roots;
    return {
      dataDir: await asConfiguredAndReal(this.rules.dataDir),
      roots: roots ? { listed: roots, paths: (await Promise.all(roots.map(asConfiguredAndReal))).flat() } : null,
    };
  }

  /** What is at the source's path in `revision`; null when nothing is there any more. */
  async list(source: ArtifactSource, revision: Revision): Promise<UpstreamListing | null> {
    if (source.kind === "local") return listLocal(source.path, localRevision(revision).bounds);
    if (revision.kind !== "git") throw new UpstreamError("A git source needs a git revision.");
    const { path } = gitLocation(source, this.git);
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

  /**
   * The artifact's main file alone, for metadata refreshes. Local folders are
   * probed by name (no walk of the folder); null when the artifact is gone.
   */
  async readMainFile(source: ArtifactSource, revision: Revision, type: ArtifactType): Promise<Buffer | null> {
    if (source.kind === "local") {
      const { files, bounds } = localRevision(revision);
      const root = await localRoot(source.path, bounds);
      if (!root) return null;
      if (root.isFile) {
        // Only a `.md` file is its own main file; any other file artifact has no metadata to read.
        if (!source.path.toLowerCase().endsWith(".md")) throw new UpstreamError("Upstream has no main file to read metadata from.");
        return files.read(source.path);
      }
      for (const candidate of mainFileCandidates(type)) {
        const content = await files.readIfFile(join(source.path, candidate));
        if (content) return content;
      }
      throw new UpstreamError("Upstream has no main file to read metadata from.");
    }
    const listing = await this.list(source, revision);
    if (!listing) return null;
    const main = mainFileOf(listing.files.map((file) => file.path), type, listing.isFile);
    if (!main) throw new UpstreamError("Upstream has no main file to read metadata from.");
    return (await this.read(source, revision, listing, [main])).get(main) ?? null;
  }

  async read(source: ArtifactSource, revision: Revision, listing: UpstreamListing, only?: readonly string[]): Promise<Map<string, Buffer>> {
    const wanted = only ? listing.files.filter((file) => only.includes(file.path)) : listing.files;
    const contents = new Map<string, Buffer>();
    if (source.kind === "local") {
      const { files } = localRevision(revision);
      await Promise.all(
        wanted.map(async (file) => {
          contents.set(file.path, await files.read(listing.isFile ? source.path : join(source.path, ...file.path.split("/"))));
        }),
      );
      return contents;
    }
    if (revision.kind !== "git") throw new UpstreamError("A git source needs a git revision.");
    const blobs = await this.git.readBlobs(revision.url, wanted.map((file) => file.oid ?? ""));
    for (const file of wanted) {
      const blob = file.oid ? blobs.get(file.oid) : undefined;
      if (!blob) throw new UpstreamError(`${file.path} is missing from the git cache.`);
      contents.set(file.path, blob);
    }
    return contents;
  }
}

function localRevision(revision: Revision): Extract<Revision, { kind: "local" }> {
  if (revision.kind !== "local") throw new UpstreamError("A local source needs a local revision.");
  return revision;
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
  for (const file of listing.files) {
    const found = owner(file.path);
    if (!found) continue;
    const [root, part] = found;
    const relativePath = part.isFile ? posix.basename(file.path) : root === "" ? file.path : file.path.slice(root.length + 1);
    part.files.push({ ...file, path: relativePath });
  }
  if (listing.object !== null) for (const part of parts.values()) part.object = signatureOf(part.files);
  return parts;
}

/** The mode git gives a symlink; its blob is the link's target. */
const SYMLINK_MODE = "120000";

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
  return { isFile: false, files, object: signatureOf(files) };
}

/**
 * What a local source's path holds; null when nothing is there. A local
 * source is read only by its real path: neither the source nor any folder
 * above it may be a symlink. The folders above an artifact are often part of
 * the folder it was imported from (`skills/` in a repository of skills), so
 * a link there could lead anywhere, as much as one inside the artifact.
 * The path is checked against the bounds before anything is looked up, so a
 * refusal tells nothing about what exists there; since it must be its own
 * real path to be read at all, comparing it as given compares its real path.
 */
async function localRoot(root: string, bounds: LocalBounds): Promise<{ isFile: boolean } | null> {
  if (!isAbsolute(root)) throw new UpstreamError(`Local sources need an absolute path (got "${root}").`);
  ensureAllowed(resolve(root), bounds);
  const info = await lstat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
    throw new UpstreamError(`Cannot read ${root}: ${error.code ?? error.message}`);
  });
  if (!info) return null;
  if (info.isSymbolicLink()) throw new UpstreamError(`${root} is a symlink, and symlinks are never followed: add the folder or file it points to.`);
  if (!info.isFile() && !info.isDirectory()) throw new UpstreamError(`${root} is neither a file nor a folder.`);
  if ((await realpath(root).catch(() => null)) !== root) throw new UpstreamError(`${root} goes through a symlink; local sources are read only by their real path.`);
  return { isFile: info.isFile() };
}

async function listLocal(root: string, bounds: LocalBounds): Promise<UpstreamListing | null> {
  const found = await localRoot(root, bounds);
  if (!found) return null;
  // Local files are stored without their mode bits (folders are walked without a stat per file).
  if (found.isFile) return { isFile: true, files: [{ path: basename(root), executable: false }], object: null };
  const files: UpstreamFile[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UpstreamError(`Cannot list ${root}: ${error.code ?? error.message}`);
  });
  for (const entry of entries) {
    // Symlinks are never followed, FIFOs and sockets never read: only regular files are part of an artifact.
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const relativePath = relative(root, full).split(sep).join("/");
    if (isIgnored(relativePath)) continue;
    files.push({ path: relativePath, executable: false });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { isFile: false, files, object: null };
}

export { GitError };
