import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, realpathSync, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { UpstreamError } from "./upstream-source";
import { yieldToEventLoop } from "../../event-loop";

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
    this.nextTurn ??= yieldToEventLoop().then(() => {
      this.nextTurn = null;
      this.spentThisTurn = 0;
    });
    return this.nextTurn;
  }
}
