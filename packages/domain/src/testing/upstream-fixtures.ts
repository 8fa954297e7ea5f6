import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Test support: real git repositories made on disk. Tests push to a bare
 * repository and read it back through `file://` URLs, as Scriptorium reads
 * any remote.
 */
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Scriptorium Tests",
  GIT_AUTHOR_EMAIL: "tests@scriptorium.invalid",
  GIT_COMMITTER_NAME: "Scriptorium Tests",
  GIT_COMMITTER_EMAIL: "tests@scriptorium.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

/** A fresh folder, by its real path: local sources are read only by their real path, and the system's temporary folder may be a symlink (macOS). */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `scriptorium-${prefix}-`)));
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** A working copy with a bare "remote" beside it. */
export class GitRepoFixture {
  readonly work: string;
  readonly bare: string;
  readonly url: string;

  constructor(root: string, name: string) {
    this.work = join(root, `${name}-work`);
    this.bare = join(root, `${name}.git`);
    this.url = `file://${this.bare}`;
    mkdirSync(this.work, { recursive: true });
    this.git("init", "--quiet", "--initial-branch=main");
    execFileSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", this.bare], { env: GIT_ENV });
    this.git("remote", "add", "origin", this.bare);
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.work, env: GIT_ENV }).toString("utf8").trim();
  }

  write(files: Record<string, string>): this {
    writeFiles(this.work, files);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.work, path), { recursive: true, force: true });
    return this;
  }

  /** Commits everything and pushes it (with tags); returns the commit id. */
  commit(message: string): string {
    this.git("add", "--all");
    this.git("commit", "--quiet", "--allow-empty", "-m", message);
    this.git("push", "--quiet", "--force", "origin", "main");
    return this.git("rev-parse", "HEAD");
  }

  /** Creates or moves a tag to the current commit and pushes it. */
  tag(name: string): this {
    this.git("tag", "--force", name);
    this.git("push", "--quiet", "--force", "origin", `refs/tags/${name}`);
    return this;
  }
}

export function skillFile(fields: Record<string, string | string[]>, body = "Body text."): string {
  const yaml = Object.entries(fields)
    .map(([key, value]) => (Array.isArray(value) ? `${key}:\n${value.map((item) => `  - ${item}`).join("\n")}` : `${key}: ${JSON.stringify(value)}`))
    .join("\n");
  return `---\n${yaml}\n---\n\n# Heading\n\n${body}\n`;
}
