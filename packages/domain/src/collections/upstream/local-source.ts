import { lstat, readdir, realpath } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { ArtifactSource, ArtifactType } from "@scriptorium/contract";
import { mainFileCandidates } from "../layout";
import { ensureAllowed, localBounds, type LocalBounds, type LocalSourceRules } from "./local-bounds";
import { LocalFileReader } from "./local-files";
import { isIgnored, type UpstreamFile, type UpstreamListing } from "./listing";
import { UpstreamError, type UpstreamSource } from "./upstream-source";

export type LocalArtifactSource = Extract<ArtifactSource, { kind: "local" }>;

/** The local filesystem as it is now, with the bounds it may be read within. */
export interface LocalRevision {
  kind: "local";
  files: LocalFileReader;
  bounds: LocalBounds;
}

/** Refuses a path by how it is written, without looking anything up at it. */
function ensureWrittenPathAllowed(root: string, bounds: LocalBounds): void {
  if (!isAbsolute(root)) throw new UpstreamError(`Local sources need an absolute path (got "${root}").`);
  ensureAllowed(resolve(root), bounds);
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
  ensureWrittenPathAllowed(root, bounds);
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

/**
 * A local artifact's main file alone, for metadata refreshes; null when the
 * artifact is gone. Folders are probed for their main file by name, without
 * a walk of the folder. A function of its own, so that a large refresh can
 * run it on a worker thread (local-metadata.ts).
 */
export async function readLocalMainFile(source: LocalArtifactSource, revision: Pick<LocalRevision, "files" | "bounds">, type: ArtifactType): Promise<Buffer | null> {
  const { files, bounds } = revision;
  const found = await mainFileReachedDirectly(source, revision, type);
  if (found) return found;
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

/**
 * A folder's main file, opened without looking at the folder first. The
 * reader refuses any file it did not reach directly, so a main file read
 * this way proves the folder is its own real path, and the folder's checks
 * (localRoot: lstat and realpath, half a dozen system calls) would find
 * nothing: a refresh of ten thousand folders skips them. Anything else — no
 * such file, a link on the way, a file artifact — is null here, and goes
 * through those checks, which say what is wrong.
 */
async function mainFileReachedDirectly(source: LocalArtifactSource, revision: Pick<LocalRevision, "files" | "bounds">, type: ArtifactType): Promise<Buffer | null> {
  ensureWrittenPathAllowed(source.path, revision.bounds);
  for (const candidate of mainFileCandidates(type)) {
    const content = await revision.files.readIfFile(join(source.path, candidate)).catch(() => null);
    if (content) return content;
  }
  return null;
}

/** Local folders and files, read as they are (never through a symlink), within the configured bounds. */
export class LocalSource implements UpstreamSource<LocalArtifactSource, LocalRevision> {
  constructor(private readonly rules: LocalSourceRules) {}

  /** Every local source is one upstream: the filesystem has no refs to resolve. */
  key(): string {
    return "local";
  }

  /**
   * The path the source reads, once it is known to be allowed as written;
   * nothing at it is looked up, so a refusal is the same whether or not
   * something is there.
   */
  async allowedPath(source: LocalArtifactSource): Promise<string> {
    ensureWrittenPathAllowed(source.path, await localBounds(this.rules));
    return resolve(source.path);
  }

  async revision(): Promise<LocalRevision> {
    return { kind: "local", files: new LocalFileReader(), bounds: await localBounds(this.rules) };
  }

  async list(source: LocalArtifactSource, revision: LocalRevision): Promise<UpstreamListing | null> {
    const root = source.path;
    const found = await localRoot(root, revision.bounds);
    if (!found) return null;
    // Local files are stored without their mode bits (folders are walked without a stat per file).
    if (found.isFile) return { isFile: true, files: [{ path: basename(root), executable: false }], object: null };
    const files: UpstreamFile[] = [];
    const links: string[] = [];
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UpstreamError(`Cannot list ${root}: ${error.code ?? error.message}`);
    });
    for (const entry of entries) {
      // Symlinks are never followed, FIFOs and sockets never read: only regular files are part of an artifact.
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const full = join(entry.parentPath, entry.name);
      const relativePath = relative(root, full).split(sep).join("/");
      if (isIgnored(relativePath)) continue;
      if (entry.isSymbolicLink()) links.push(relativePath);
      else files.push({ path: relativePath, executable: false });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    return { isFile: false, files, object: null, ...(links.length > 0 ? { links: links.sort() } : {}) };
  }

  /** The artifact's main file alone (see readLocalMainFile). */
  readMainFile(source: LocalArtifactSource, revision: LocalRevision, type: ArtifactType): Promise<Buffer | null> {
    return readLocalMainFile(source, revision, type);
  }

  async read(source: LocalArtifactSource, revision: LocalRevision, listing: UpstreamListing, only?: readonly string[]): Promise<Map<string, Buffer>> {
    const wanted = only ? listing.files.filter((file) => only.includes(file.path)) : listing.files;
    const contents = new Map<string, Buffer>();
    await Promise.all(
      wanted.map(async (file) => {
        contents.set(file.path, await revision.files.read(listing.isFile ? source.path : join(source.path, ...file.path.split("/"))));
      }),
    );
    return contents;
  }
}
