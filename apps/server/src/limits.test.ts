import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ARTIFACTS_PER_IMPORT, PROJECT_LIMITS } from "@scriptorium/contract";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * The limits SECURITY.md lists, over HTTP: one import adds at most
 * MAX_ARTIFACTS_PER_IMPORT artifacts; a git remote that never answers holds
 * an import or a refresh no longer than the git time limit, and leaves no
 * git process behind; a project's size stays within PROJECT_LIMITS over REST
 * and tRPC, on create and update.
 */

type Json = Record<string, unknown>;

/** Short, so a hang costs the suite about a second; the default is 60 s. */
const GIT_TIMEOUT_MS = 1_000;

/** Every file under `dir` (none when it does not exist). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** Command lines of the processes that mention `pattern`. */
function processesMatching(pattern: string): string {
  return spawnSync("pgrep", ["-af", pattern], { encoding: "utf8" }).stdout.trim();
}

/**
 * A git host on a loopback port that accepts every connection and then, by
 * `mode`: serves a bare repository over git's dumb HTTP protocol (plain
 * files), serves only its refs and never answers for objects, or never
 * answers at all.
 */
class LoopbackGitHost {
  mode: "serve" | "refs only" | "hang" = "hang";
  private readonly server: Server;
  private readonly held: ServerResponse[] = [];

  constructor(private readonly bare: string) {
    this.server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? "/", "http://host").pathname).replace(/^\/repo\.git\/?/, "");
      const isRefs = path === "info/refs" || path === "HEAD";
      if (this.mode === "hang" || (this.mode === "refs only" && !isRefs)) {
        this.held.push(response);
        return;
      }
      const file = normalize(join(this.bare, path));
      if (!file.startsWith(`${this.bare}${sep}`) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/plain" }).end(readFileSync(file));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/repo.git`;
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
  }

  /** Requests that reached the host and got no answer. */
  get unanswered(): number {
    return this.held.length;
  }

  close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe("documented limits", () => {
  let server: RunningTestServer;
  let root: string;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { "x-api-key": server.ownerKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  async function newCollection(name: string): Promise<string> {
    const created = await call("POST", "/api/v1/collections", { name });
    expect(created.status).toBe(200);
    return created.body.id as string;
  }

  async function artifactCount(collectionId: string): Promise<number> {
    return (await call("GET", `/api/v1/collections/${collectionId}`)).body.artifact_count as number;
  }

  beforeAll(async () => {
    server = await startTestServer("pglite", { gitTimeoutMs: GIT_TIMEOUT_MS });
    root = tempDir("limits");
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  describe("artifacts per import", () => {
    it(`refuses a source holding more than ${MAX_ARTIFACTS_PER_IMPORT} artifacts with a 422, storing nothing, and takes exactly that many`, async () => {
      const source = join(root, "many");
      const commands = Array.from({ length: MAX_ARTIFACTS_PER_IMPORT + 1 }, (_, index) => [`commands/c${index}.md`, `Command ${index}.\n`]);
      writeFiles(source, Object.fromEntries(commands));
      const collectionId = await newCollection("many");
      const blobsBefore = filesUnder(join(server.dataDir, "blobs"));

      const refused = await call("POST", `/api/v1/collections/${collectionId}/artifacts`, { source });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        code: "UNPROCESSABLE_CONTENT",
        message: `${source} holds ${MAX_ARTIFACTS_PER_IMPORT + 1} artifacts; one import adds at most ${MAX_ARTIFACTS_PER_IMPORT}.`,
      });
      expect(await artifactCount(collectionId)).toBe(0);
      expect(filesUnder(join(server.dataDir, "blobs"))).toEqual(blobsBefore);

      rmSync(join(source, "commands/c0.md"));
      const accepted = await call("POST", `/api/v1/collections/${collectionId}/artifacts`, { source });
      expect(accepted.status).toBe(200);
      expect(accepted.body.items).toHaveLength(MAX_ARTIFACTS_PER_IMPORT);
      expect(await artifactCount(collectionId)).toBe(MAX_ARTIFACTS_PER_IMPORT);
    });
  });

  describe("git calls stop at their time limit", () => {
    let repo: GitRepoFixture;
    let host: LoopbackGitHost;

    /** The repository as the dumb HTTP protocol reads it: refs and packs listed in plain files. */
    function publish(): void {
      execFileSync("git", ["--git-dir", repo.bare, "update-server-info"]);
    }

    /**
     * Runs `request` against the host in its current (hanging) mode: it must
     * fail no sooner than the time limit and not much later, while the
     * server keeps answering other requests; afterwards no git process
     * started for the host is left.
     */
    async function againstHangingHost<T>(request: () => Promise<T>): Promise<T> {
      const unansweredBefore = host.unanswered;
      const started = performance.now();
      let settled = false;
      const pending = request().finally(() => (settled = true));
      while (host.unanswered === unansweredBefore) await new Promise((resolve) => setTimeout(resolve, 20));
      // git is waiting on the host now: the server answers everyone else meanwhile.
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect((await call("GET", "/api/v1/collections")).status).toBe(200);
      expect(settled).toBe(false);

      const result = await pending;
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(GIT_TIMEOUT_MS);
      expect(elapsed).toBeLessThan(GIT_TIMEOUT_MS + 2_000);
      const pattern = `127.0.0.1:${host.port}`;
      // The helpers exit with git (their output pipes closed); give the kernel a moment to reap them.
      for (let tries = 0; tries < 50 && processesMatching(pattern) !== ""; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(processesMatching(pattern)).toBe("");
      return result;
    }

    beforeAll(async () => {
      repo = new GitRepoFixture(root, "slow");
      repo.write({ "skills/review/SKILL.md": skillFile({ title: "Review", description: "Reviews" }) }).commit("first");
      publish();
      host = new LoopbackGitHost(repo.bare);
      await host.listen();
    });
    afterAll(() => host.close());

    it("fails an import from a remote that accepts and never answers with the typed upstream error, storing nothing", async () => {
      host.mode = "hang";
      const collectionId = await newCollection("never answers");
      const answer = await againstHangingHost(() =>
        call("POST", `/api/v1/collections/${collectionId}/artifacts`, { source: { kind: "git", url: host.url, ref: "main" } }),
      );
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({
        code: "UNPROCESSABLE_CONTENT",
        message: `Cannot read ${host.url}@main: timed out after ${GIT_TIMEOUT_MS / 1000} s`,
        fields: [{ path: "source", message: `timed out after ${GIT_TIMEOUT_MS / 1000} s` }],
      });
      expect(await artifactCount(collectionId)).toBe(0);
    });

    it("reports a refresh against a remote that stopped answering as an error entry, for ref look-ups and fetches alike, and leaves the mirror usable", async () => {
      host.mode = "serve";
      const collectionId = await newCollection("stops answering");
      const imported = await call("POST", `/api/v1/collections/${collectionId}/artifacts`, { source: { kind: "git", url: host.url, path: "skills", ref: "main" } });
      expect(imported.status).toBe(200);
      const [before] = imported.body.items as Json[];

      host.mode = "hang";
      for (const mode of ["check", "sync"]) {
        const refreshed = await againstHangingHost(() => call("POST", `/api/v1/collections/${collectionId}/refresh?mode=${mode}`));
        expect(refreshed.status).toBe(200);
        expect(refreshed.body).toMatchObject({ status: "error", snapshot_id: null, result: { error_count: 1, entries: [{ name: "review", status: "error", error: `timed out after ${GIT_TIMEOUT_MS / 1000} s` }] } });
      }

      // The refs answer and show a new commit; the objects never come.
      repo.write({ "skills/review/SKILL.md": skillFile({ title: "Review 2", description: "Reviews more" }) }).commit("second");
      publish();
      host.mode = "refs only";
      const fetching = await againstHangingHost(() => call("POST", `/api/v1/collections/${collectionId}/refresh?mode=sync`));
      expect(fetching.body).toMatchObject({ status: "error", result: { entries: [{ status: "error", error: `timed out after ${GIT_TIMEOUT_MS / 1000} s` }] } });
      const unchanged = await call("GET", `/api/v1/collections/${collectionId}/artifacts/${before?.id as string}`);
      expect(unchanged.body).toMatchObject({ resolved_version: before?.resolved_version, content_hash: before?.content_hash, metadata: { title: "Review" } });

      // The interrupted fetch left no lock behind: once the host answers, the same mirror takes the new commit.
      host.mode = "serve";
      const synced = await call("POST", `/api/v1/collections/${collectionId}/refresh?mode=sync`);
      expect(synced.body).toMatchObject({ status: "success", result: { refreshed_count: 1 } });
      expect((await call("GET", `/api/v1/collections/${collectionId}/artifacts/${before?.id as string}`)).body).toMatchObject({ metadata: { title: "Review 2" } });
    });
  });

  describe("manuscript size", () => {
    const caps = [
      { field: "target_words", max: PROJECT_LIMITS.maxTargetWords },
      { field: "chapters", max: PROJECT_LIMITS.maxChapters },
      { field: "scenes_per_chapter", max: PROJECT_LIMITS.maxScenesPerChapter },
    ] as const;
    const atCaps = { target_words: PROJECT_LIMITS.maxTargetWords, chapters: PROJECT_LIMITS.maxChapters, scenes_per_chapter: PROJECT_LIMITS.maxScenesPerChapter };

    /** A 422 naming `field` and its limit, over REST (`body`) or tRPC (`body.error`). */
    function expectRefused(answer: { status: number; body: Json }, field: string, max: number, over: "rest" | "trpc"): void {
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      const error = (over === "rest" ? answer.body : answer.body.error) as { message: string; fields: { path: string; message: string }[] };
      expect(error.message).toContain(field);
      expect(error.fields).toEqual([{ path: field, message: expect.stringContaining(String(max)) as string }]);
    }

    it("creates a project at every cap, and refuses one over any cap with a 422 naming the field and the limit, over REST and tRPC", async () => {
      const atLimits = await call("POST", "/api/v2/projects", { title: "At the caps", ...atCaps });
      expect(atLimits.status).toBe(200);
      expect(atLimits.body).toMatchObject(atCaps);

      const projectsBefore = (await call("GET", "/api/v2/projects")).body.items as Json[];
      for (const { field, max } of caps) {
        expectRefused(await call("POST", "/api/v2/projects", { title: "Too big", [field]: max + 1 }), field, max, "rest");
        expectRefused(await call("POST", "/trpc/projects.create", { title: "Too big", [field]: max + 1 }), field, max, "trpc");
      }
      expect((await call("GET", "/api/v2/projects")).body.items).toEqual(projectsBefore);
    });

    it("refuses an update over any cap the same way, leaving the project as it was", async () => {
      const created = await call("POST", "/api/v2/projects", { title: "Grows", target_words: 50_000, chapters: 20, scenes_per_chapter: 3 });
      expect(created.status).toBe(200);
      const id = created.body.id as string;
      for (const { field, max } of caps) {
        expectRefused(await call("PATCH", `/api/v2/projects/${id}`, { [field]: max + 1 }), field, max, "rest");
        expectRefused(await call("POST", "/trpc/projects.update", { id, [field]: max + 1 }), field, max, "trpc");
      }
      expect((await call("GET", `/api/v2/projects/${id}`)).body).toEqual(created.body);
      expect(await call("PATCH", `/api/v2/projects/${id}`, atCaps)).toMatchObject({ status: 200, body: atCaps });
    });
  });
});
