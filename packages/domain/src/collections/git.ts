import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";

export class GitError extends Error {
  override name = "GitError";
  constructor(
    message: string,
    /** True when git was stopped for running past its time limit. */
    readonly timedOut = false,
  ) {
    super(message);
  }
}

interface GitResult {
  stdout: Buffer;
  stderr: string;
}

interface GitRun {
  timeoutMs: number;
  input?: Buffer;
  extraConfig?: string[];
}

const DEFAULT_GIT_TIMEOUT_MS = 60_000;
const TRANSIENT = /\b(429|500|502|503|504)\b|rate limit|timed out|Connection reset|temporarily unavailable/i;
const RETRY_DELAYS_MS = [500, 1_500, 4_000];

/** One git process; never a shell, never a prompt, always bounded in time. */
function git(args: string[], options: GitRun): Promise<GitResult> {
  const config = (options.extraConfig ?? []).flatMap((entry) => ["-c", entry]);
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...config, ...args], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", SSH_ASKPASS: "", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "pipe"],
      // A process group of its own: git leaves the network to helpers (git-remote-http), which
      // outlive a signal sent to git alone and keep its output open, so nothing would settle.
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // SIGTERM, not SIGKILL: git removes its lock files from the mirror before it goes.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      } catch {
        // The group ended on its own meanwhile.
      }
    }, options.timeoutMs);
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new GitError(`git could not run: ${error.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new GitError(`timed out after ${options.timeoutMs / 1000} s`, true));
      if (code === 0) return resolve({ stdout: Buffer.concat(out), stderr: err });
      const lines = err.split("\n").map((line) => line.trim()).filter(Boolean);
      // git explains itself on its first "fatal:"/"error:" line; the rest is boilerplate.
      const explanation = lines.find((line) => /^(fatal|error):/.test(line)) ?? lines.at(-1) ?? `exit ${code}`;
      reject(new GitError(explanation.replace(/^(fatal|error): /, "")));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input);
  });
}

async function gitWithRetry(args: string[], options: GitRun): Promise<GitResult> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await git(args, options);
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      // A command stopped at its time limit is not tried again: a remote that never answers would hold the request four times as long.
      if (delay === undefined || !(error instanceof GitError) || error.timedOut || !TRANSIENT.test(error.message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export interface TreeEntry {
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
}

export interface GitCacheOptions {
  /** Where GitHub repositories are fetched from (`https://github.com` unless overridden). */
  githubBaseUrl: string;
  githubToken: string | undefined;
  /** How long one git command may run before it is stopped, with the helpers it started. Default 60 s. */
  timeoutMs?: number | undefined;
}

const COMMIT = /^[0-9a-f]{40}$/;

/** Counts of upstream work, for logs and benchmarks. */
export interface GitStats {
  refLookups: number;
  fetches: number;
}

/**
 * Bare mirrors of upstream repositories under the data directory. Refs are
 * resolved with `ls-remote`; objects are fetched only when a resolved
 * commit is missing from the mirror (that is, when a ref moved).
 */
export class GitCache {
  readonly stats: GitStats = { refLookups: 0, fetches: 0 };
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly trees = new Map<string, Map<string, TreeEntry>>();
  private readonly timeoutMs: number;

  constructor(
    private readonly dir: string,
    private readonly options: GitCacheOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
  }

  githubUrl(repo: string): string {
    return `${this.options.githubBaseUrl.replace(/\/+$/, "")}/${repo}.git`;
  }

  /** Credentials go only to the GitHub host, as a header git keeps out of its output. */
  private configFor(url: string): string[] {
    const token = this.options.githubToken;
    if (!token) return [];
    const github = new URL(this.options.githubBaseUrl);
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return [];
    }
    if (host !== github.host) return [];
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    return [`http.extraHeader=Authorization: Basic ${basic}`];
  }

  private mirrorOf(url: string): string {
    return join(this.dir, `${createHash("sha256").update(url).digest("hex").slice(0, 24)}.git`);
  }

  /** Runs work on one mirror at a time, so fetches never collide. */
  private exclusive<T>(url: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(url) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(
      url,
      next.catch(() => undefined),
    );
    return next;
  }

  /** The commit a ref names upstream right now; `null` means the remote's default branch. */
  async resolve(url: string, ref: string | null): Promise<string> {
    if (ref !== null && COMMIT.test(ref)) return ref;
    if (ref !== null && (ref.startsWith("-") || /[\s~^:?*[\\]/.test(ref))) throw new GitError(`"${ref}" is not a valid ref name.`);
    this.stats.refLookups += 1;
    const pattern = ref ?? "HEAD";
    const { stdout } = await gitWithRetry(["ls-remote", "--", url, pattern], { timeoutMs: this.timeoutMs, extraConfig: this.configFor(url) });
    const refs = new Map<string, string>();
    for (const line of stdout.toString("utf8").split("\n")) {
      const [oid, name] = line.split("\t");
      if (oid && name) refs.set(name, oid);
    }
    if (ref === null) {
      const head = refs.get("HEAD");
      if (!head) throw new GitError("The remote has no default branch (HEAD).");
      return head;
    }
    const commit =
      refs.get(`refs/tags/${ref}^{}`) ?? refs.get(`refs/tags/${ref}`) ?? refs.get(`refs/heads/${ref}`) ?? refs.get(ref);
    if (!commit) throw new GitError(`No branch or tag "${ref}" upstream.`);
    return commit;
  }

  /** Makes sure the mirror holds `commit`, fetching only if it does not. */
  ensure(url: string, commit: string): Promise<void> {
    return this.exclusive(url, async () => {
      const mirror = this.mirrorOf(url);
      const exists = await stat(mirror).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await mkdir(this.dir, { recursive: true });
        await git(["init", "--bare", "--quiet", mirror], { timeoutMs: this.timeoutMs });
      } else if (await this.has(mirror, commit)) {
        return;
      }
      this.stats.fetches += 1;
      await gitWithRetry(
        ["-C", mirror, "fetch", "--quiet", "--force", "--no-tags", "--", url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
        { timeoutMs: this.timeoutMs, extraConfig: this.configFor(url) },
      );
      if (!(await this.has(mirror, commit))) {
        // A commit no branch or tag reaches (a pinned commit, say): ask for it by id.
        await gitWithRetry(["-C", mirror, "fetch", "--quiet", "--", url, commit], { timeoutMs: this.timeoutMs, extraConfig: this.configFor(url) });
      }
    });
  }

  private async has(mirror: string, commit: string): Promise<boolean> {
    return git(["-C", mirror, "cat-file", "-e", `${commit}^{commit}`], { timeoutMs: this.timeoutMs }).then(
      () => true,
      () => false,
    );
  }

  /** Every path of a commit (files and folders) with its object id; read once per commit. */
  async tree(url: string, commit: string): Promise<Map<string, TreeEntry>> {
    const key = `${url}\n${commit}`;
    const cached = this.trees.get(key);
    if (cached) return cached;
    const { stdout } = await git(["-C", this.mirrorOf(url), "ls-tree", "-r", "-t", "-z", "--full-tree", commit], { timeoutMs: this.timeoutMs });
    const entries = new Map<string, TreeEntry>();
    for (const record of stdout.toString("utf8").split("\0")) {
      const tab = record.indexOf("\t");
      if (tab < 0) continue;
      const [mode, type, oid] = record.slice(0, tab).split(" ");
      if (mode && oid && (type === "blob" || type === "tree" || type === "commit")) entries.set(record.slice(tab + 1), { mode, type, oid });
    }
    if (this.trees.size > 64) this.trees.clear();
    this.trees.set(key, entries);
    return entries;
  }

  /** Reads many blobs with one `git cat-file --batch`. */
  async readBlobs(url: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(oids)];
    const blobs = new Map<string, Buffer>();
    if (unique.length === 0) return blobs;
    const { stdout } = await git(["-C", this.mirrorOf(url), "cat-file", "--batch"], { timeoutMs: this.timeoutMs, input: Buffer.from(`${unique.join("\n")}\n`) });
    let offset = 0;
    while (offset < stdout.length) {
      const newline = stdout.indexOf(10, offset);
      if (newline < 0) break;
      const [oid, type, size] = stdout.subarray(offset, newline).toString("utf8").split(" ");
      if (!oid || type === "missing" || size === undefined) throw new GitError(`Object ${oid ?? "?"} is missing from the mirror.`);
      const length = Number(size);
      blobs.set(oid, stdout.subarray(newline + 1, newline + 1 + length));
      offset = newline + 1 + length + 1;
    }
    return blobs;
  }
}
