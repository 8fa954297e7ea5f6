import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { backupFolder, type DeployProfile } from "@scriptorium/contract";
import { CliError, EXIT } from "../output";

export function sha256(content: Uint8Array | string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Why a file operation failed, as people read it. */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOTDIR") return "a part of the path is a file, not a folder";
  if (code === "EISDIR") return "it is a folder";
  if (code === "EROFS") return "the file system is read-only";
  if (code === "ENOSPC") return "no space left on the device";
  return (error as Error).message;
}

export function fileError(action: string, path: string, error: unknown): CliError {
  return new CliError(`Cannot ${action} ${path}: ${reason(error)}.`, EXIT.failed);
}

/** A file's bytes, or null when there is no file there. */
export async function readLocal(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw fileError("read", path, error);
  }
}

/**
 * Writes a whole file or nothing: the bytes go to a temporary file beside
 * it, which is renamed over the target, so an interrupted command never
 * leaves half a file.
 */
export async function writeAtomic(path: string, content: Uint8Array | string, executable = false): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, content, { mode: executable ? 0o755 : 0o644 });
    // The mode given to writeFile is narrowed by the umask; an executable script must stay executable.
    if (executable) await chmod(temporary, 0o755);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw fileError("write", path, error);
  }
}

export async function removeFile(path: string): Promise<void> {
  try {
    await rm(path, { force: true });
  } catch (error) {
    throw fileError("remove", path, error);
  }
}

/** Removes `folder` and the folders above it while they are empty, never `stopAt` or anything above it. */
export async function removeEmptyFolders(folder: string, stopAt: string): Promise<void> {
  for (let current = folder; current.startsWith(stopAt + sep) && current !== stopAt; current = dirname(current)) {
    const entries = await readdir(current).catch(() => null);
    if (entries === null) continue;
    if (entries.length > 0) return;
    await rmdir(current).catch(() => undefined);
  }
}

/**
 * Local bytes saved before Scriptorium overwrites or removes them, under
 * `<profile folder>/.scriptorium/backup/<timestamp>/<path from the target's root>`.
 * One folder per command, made when the first file is saved.
 */
export class Backups {
  readonly folder: string;
  readonly saved: string[] = [];

  constructor(
    private readonly root: string,
    profile: DeployProfile,
    startedAt: Date,
  ) {
    this.folder = join(root, backupFolder(profile), startedAt.toISOString().replaceAll(":", "-"));
  }

  /** Saves `content` as the backup of `path` (relative to the target's root); answers where, relative to the root. */
  async save(path: string, content: Uint8Array): Promise<string> {
    const destination = join(this.folder, path);
    await writeAtomic(destination, content);
    const saved = relative(this.root, destination).split(sep).join("/");
    this.saved.push(saved);
    return saved;
  }
}
