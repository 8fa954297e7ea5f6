import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINES, openTestDatabase, type TestDatabase } from "@scriptorium/db/testing";
import type { Logger } from "../logger";
import { Cluster } from "../cluster/cluster";
import { createServices, type Services } from "../services";
import { ownerOf } from "../testing/callers";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "../testing/upstream-fixtures";
import { blobHash, FileBlobStore, type BlobStore } from "./blob-store";
import { CollectionRefresher, type RefreshOptions, type RefreshOutcome } from "./collection-refresher";
import { GitCache } from "./git";
import { UpstreamReader, type Revision } from "./upstream/upstream-reader";
import type { ArtifactSource } from "@scriptorium/contract";
import { SecurityReview } from "../review/security-review";

const logged: object[] = [];
const log: Logger = { info: (fields) => logged.push(fields), warn: () => undefined, error: () => undefined };

function options(mode: RefreshOptions["mode"], extra: Partial<RefreshOptions> = {}): RefreshOptions {
  return { mode, filter: {}, dryRun: false, requestId: `req-${mode}`, ...extra };
}

function entry(outcome: RefreshOutcome, name: string) {
  const found = outcome.entries.find((item) => item.name === name);
  if (!found) throw new Error(`no entry for ${name}`);
  return found;
}

describe.each(ENGINES)("collection refresh on %s", (engine) => {
  let test: TestDatabase;
  let services: Services;
  let root: string;
  let ws: string;
  let blobs: BlobStore;

  beforeAll(async () => {
    test = await openTestDatabase(engine);
    root = tempDir("refresh");
    services = createServices(test.handle.db, { dataDir: join(root, "data"), log });
    blobs = new FileBlobStore(join(root, "data", "blobs"));
    const { workspace } = await services.access.createWorkspace("Refresh tests");
    ws = workspace.id;
  });
  afterAll(async () => {
    await test.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  async function collection(name: string): Promise<string> {
    return (await services.collections.create(ws, { name })).id;
  }

  it("writes a refresh larger than one statement's batch whole: every changed artifact, the snapshot, and a rollback", async () => {
    // 1 200 artifacts, 600 changed: more than one batch of updates (500 a statement).
    const dir = join(root, "many-skills");
    const name = (index: number) => `skill-${String(index).padStart(4, "0")}`;
    writeFiles(dir, Object.fromEntries(Array.from({ length: 1_200 }, (_, index) => [`skills/${name(index)}/SKILL.md`, skillFile({ title: `Skill ${index}`, description: "Before" })])));
    const id = await collection("many");
    expect(await services.collections.addArtifacts(ownerOf(ws), id, { source: dir })).toHaveLength(1_200);
    for (let index = 0; index < 1_200; index += 2) writeFileSync(join(dir, `skills/${name(index)}/SKILL.md`), skillFile({ title: `Skill ${index}`, description: "After" }));

    const outcome = await services.refresher.refresh(ws, id, options("metadata"));
    expect(outcome.status).toBe("success");
    expect(outcome.entries.filter((item) => item.status === "refreshed")).toHaveLength(600);
    const everyArtifact = async () => {
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await services.collections.listArtifacts(ws, id, { limit: 500, cursor });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    };
    const all = await everyArtifact();
    expect(all).toHaveLength(1_200);
    for (const artifact of all) {
      const index = Number(artifact.name.slice("skill-".length));
      expect(artifact.metadata.description).toBe(index % 2 === 0 ? "After" : "Before");
      expect(artifact.refreshedAt).not.toBeNull();
    }

    await services.snapshots.rollback(ws, id, outcome.snapshotId ?? undefined, "req-rollback-many");
    const restored = await everyArtifact();
    expect(restored).toHaveLength(1_200);
    expect(restored.filter((artifact) => artifact.metadata.description !== "Before")).toEqual([]);
  }, 60_000);

  describe("local sources", () => {
    let dir: string;
    let id: string;
    beforeAll(async () => {
      dir = join(root, "local-skills");
      writeFiles(dir, {
        "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws", author: "Ada", tags: ["art"] }),
        "skills/canvas/scripts/draw.sh": "echo draw\n",
        "skills/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }),
        "skills/bad/SKILL.md": skillFile({ title: "Bad" }),
        "commands/deploy.md": skillFile({ title: "Deploy", description: "Ships it" }),
      });
      id = await collection("local");
      const added = await services.collections.addArtifacts(ownerOf(ws), id, { source: dir });
      expect(added.map((row) => `${row.type}:${row.name}`).sort()).toEqual(["command:deploy", "skill:bad", "skill:canvas", "skill:pdf"]);
    });

    it("metadata: updates changed fields, keeps fields upstream omits, and reports old → new", async () => {
      writeFileSync(join(dir, "skills/canvas/SKILL.md"), skillFile({ title: "Canvas 2", description: "Draws better" }));
      const outcome = await services.refresher.refresh(ws, id, options("metadata", { filter: { type: "skill", namePattern: "CAN*" } }));
      expect(outcome.status).toBe("success");
      expect(outcome.entries).toHaveLength(1);
      const canvas = entry(outcome, "canvas");
      expect(canvas).toMatchObject({ status: "refreshed", changes: ["title", "description"], oldValues: { title: "Canvas", description: "Draws" }, newValues: { title: "Canvas 2", description: "Draws better" } });
      const stored = (await services.collections.listArtifacts(ws, id, { namePattern: "canvas" })).items[0];
      expect(stored?.metadata).toMatchObject({ title: "Canvas 2", author: "Ada", tags: ["art"] });
      expect(outcome.snapshotId).not.toBeNull();
      expect(stored?.refreshedAt).not.toBeNull();
    });

    it("metadata: touches only the requested fields, and dry runs change nothing", async () => {
      writeFileSync(join(dir, "skills/pdf/SKILL.md"), skillFile({ title: "PDF tools", description: "Reads and writes PDFs" }));
      const dry = await services.refresher.refresh(ws, id, options("metadata", { filter: { namePattern: "pdf" }, dryRun: true, fields: ["description"] }));
      expect(entry(dry, "pdf")).toMatchObject({ status: "refreshed", changes: ["description"] });
      expect(dry.snapshotId).toBeNull();
      const before = (await services.collections.listArtifacts(ws, id, { namePattern: "pdf" })).items;
      expect(before[0]?.metadata.description).toBe("Reads PDFs");
      const real = await services.refresher.refresh(ws, id, options("metadata", { filter: { namePattern: "pdf" }, fields: ["description"] }));
      expect(entry(real, "pdf").changes).toEqual(["description"]);
      const after = (await services.collections.listArtifacts(ws, id, { namePattern: "pdf" })).items;
      expect(after[0]?.metadata).toMatchObject({ title: "PDF", description: "Reads and writes PDFs" });
    });

    it("reports malformed and code-evaluating front matter as errors of their own artifacts", async () => {
      writeFileSync(join(dir, "skills/bad/SKILL.md"), '---js\n{ title: require("child_process").execSync("touch /tmp/pwned") }\n---\n');
      writeFileSync(join(dir, "commands/deploy.md"), "---\ntitle: [unclosed\n---\n");
      const outcome = await services.refresher.refresh(ws, id, options("metadata"));
      expect(outcome.status).toBe("partial");
      expect(entry(outcome, "bad")).toMatchObject({ status: "error", error: expect.stringContaining("refused") });
      expect(entry(outcome, "deploy")).toMatchObject({ status: "error", error: expect.stringContaining("not valid YAML") });
      expect(entry(outcome, "canvas").status).toBe("unchanged");
      expect(outcome.counts.error).toBe(2);
      writeFileSync(join(dir, "skills/bad/SKILL.md"), skillFile({ title: "Bad" }));
      writeFileSync(join(dir, "commands/deploy.md"), skillFile({ title: "Deploy", description: "Ships it" }));
    });

    it("check and sync: detect a content change, apply it, and roll it back byte for byte", async () => {
      writeFileSync(join(dir, "skills/canvas/scripts/draw.sh"), "echo draw faster\n");
      const check = await services.refresher.refresh(ws, id, options("check"));
      expect(entry(check, "canvas")).toMatchObject({ status: "refreshed", updateAvailable: true });
      expect(entry(check, "deploy")).toMatchObject({ status: "unchanged", updateAvailable: false });
      expect(check.snapshotId).toBeNull();

      const [before] = (await services.collections.listArtifacts(ws, id, { namePattern: "canvas" })).items;
      const sync = await services.refresher.refresh(ws, id, options("sync"));
      expect(entry(sync, "canvas")).toMatchObject({ status: "refreshed", changes: ["content"] });
      expect(sync.snapshotId).not.toBeNull();
      const [after] = (await services.collections.listArtifacts(ws, id, { namePattern: "canvas" })).items;
      const script = after?.files.find((file) => file.path === "scripts/draw.sh");
      expect((await blobs.get(script?.sha256 ?? "")).toString()).toBe("echo draw faster\n");
      expect(after?.contentHash).not.toBe(before?.contentHash);

      await services.snapshots.rollback(ws, id, sync.snapshotId ?? undefined, "req-rollback");
      const [restored] = (await services.collections.listArtifacts(ws, id, { namePattern: "canvas" })).items;
      expect(restored?.files).toEqual(before?.files);
      expect(restored?.metadata).toEqual(before?.metadata);
      expect(restored?.contentHash).toBe(before?.contentHash);
      const oldScript = restored?.files.find((file) => file.path === "scripts/draw.sh");
      expect((await blobs.get(oldScript?.sha256 ?? "")).toString()).toBe("echo draw\n");
    });

    it("keeps going when an upstream disappears, reporting it on that artifact", async () => {
      rmSync(join(dir, "skills/pdf"), { recursive: true });
      const outcome = await services.refresher.refresh(ws, id, options("metadata"));
      expect(outcome.status).toBe("partial");
      expect(entry(outcome, "pdf")).toMatchObject({ status: "error", error: "It no longer exists upstream." });
      expect(entry(outcome, "canvas").status).not.toBe("error");
    });
  });

  describe("git sources", () => {
    let repo: GitRepoFixture;
    let id: string;
    let firstCommit: string;
    beforeAll(async () => {
      repo = new GitRepoFixture(root, "skills-repo");
      repo.write({
        "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws", version: "1.0.0" }),
        "skills/canvas/lib.py": "print('v1')\n",
        "skills/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }),
        "README.md": "# Skills\n",
      });
      firstCommit = repo.commit("first");
      repo.tag("v1");
      id = await collection("git");
      const added = await services.collections.addArtifacts(ownerOf(ws), id, { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } });
      expect(added.map((row) => row.name).sort()).toEqual(["canvas", "pdf"]);
      expect(added[0]?.resolvedVersion).toBe(firstCommit);
      await services.collections.addArtifacts(ownerOf(ws), id, { source: { kind: "git", url: repo.url, path: "skills/canvas", ref: "v1" }, name: "canvas-pinned-tag" });
    });

    it("check: a commit elsewhere in the repository is not an update", async () => {
      repo.write({ "README.md": "# Skills, renamed\n", "skills/other/SKILL.md": skillFile({ title: "Other" }) });
      const unrelated = repo.commit("unrelated");
      const outcome = await services.refresher.refresh(ws, id, options("check"));
      expect(outcome.status).toBe("success");
      for (const item of outcome.entries) expect(item).toMatchObject({ status: "unchanged", updateAvailable: false });
      expect(entry(outcome, "canvas").upstreamVersion).toBe(unrelated);
      expect(outcome.refLookups).toBe(2); // main and v1 of one repository
    });

    it("check: a change to the artifact's own path is an update; sync applies it and re-pins", async () => {
      repo.write({ "skills/canvas/lib.py": "print('v2')\n", "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws", version: "2.0.0" }) });
      const second = repo.commit("canvas v2");
      const check = await services.refresher.refresh(ws, id, options("check"));
      expect(entry(check, "canvas")).toMatchObject({ status: "refreshed", updateAvailable: true, currentVersion: firstCommit, upstreamVersion: second });
      expect(entry(check, "pdf")).toMatchObject({ status: "unchanged" });
      expect(entry(check, "canvas-pinned-tag")).toMatchObject({ status: "unchanged" });
      expect(check.fetches).toBe(1);

      const again = await services.refresher.refresh(ws, id, options("check"));
      expect(again.fetches).toBe(0); // nothing moved since: the cache answers

      const sync = await services.refresher.refresh(ws, id, options("sync"));
      expect(entry(sync, "canvas")).toMatchObject({ status: "refreshed", changes: ["content", "version"], newValues: { version: "2.0.0", resolved_version: second } });
      const [canvas] = (await services.collections.listArtifacts(ws, id, { namePattern: "canvas" })).items;
      expect(canvas?.resolvedVersion).toBe(second);
      expect(canvas?.metadata.version).toBe("2.0.0");
      const [pdf] = (await services.collections.listArtifacts(ws, id, { namePattern: "pdf" })).items;
      expect(pdf?.resolvedVersion).toBe(second); // re-pinned: same content, newer commit
    });

    it("check: a moved tag is an update", async () => {
      repo.tag("v1");
      const outcome = await services.refresher.refresh(ws, id, options("check", { filter: { namePattern: "*-pinned-*" } }));
      expect(entry(outcome, "canvas-pinned-tag")).toMatchObject({ status: "refreshed", updateAvailable: true });
    });

    it("metadata: reads the main file at the tracked ref without touching content", async () => {
      repo.write({ "skills/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads and fills PDFs" }) });
      repo.commit("pdf description");
      const [before] = (await services.collections.listArtifacts(ws, id, { namePattern: "pdf" })).items;
      const outcome = await services.refresher.refresh(ws, id, options("metadata", { filter: { namePattern: "pdf" } }));
      expect(entry(outcome, "pdf")).toMatchObject({ status: "refreshed", changes: ["description"] });
      const [after] = (await services.collections.listArtifacts(ws, id, { namePattern: "pdf" })).items;
      expect(after?.files).toEqual(before?.files);
      expect(after?.resolvedVersion).toBe(before?.resolvedVersion);
    });

    it("an unreachable upstream is an error entry for its artifacts only", async () => {
      const gone = new GitRepoFixture(root, "vanishing");
      gone.write({ "SKILL.md": skillFile({ title: "Gone soon" }) }).commit("only");
      const other = await collection("mixed");
      await services.collections.addArtifacts(ownerOf(ws), other, { source: { kind: "git", url: gone.url, path: "", ref: "main" }, name: "gone" });
      await services.collections.addArtifacts(ownerOf(ws), other, { source: { kind: "git", url: repo.url, path: "skills/pdf", ref: "main" } });
      rmSync(gone.bare, { recursive: true, force: true });
      const outcome = await services.refresher.refresh(ws, other, options("check"));
      expect(outcome.status).toBe("partial");
      expect(entry(outcome, "gone")).toMatchObject({ status: "error", error: expect.stringMatching(/does not appear to be a git repository|not found|No such/i) });
      expect(entry(outcome, "pdf").status).toBe("unchanged");
    });
  });

  it("imports a single .md file, local or in git, with its stored copy and metadata, leaving a refresh nothing to pick up", async () => {
    // Regression: the file used to be left out of its own artifact (files: [], no metadata) until a sync.
    const content = skillFile({ title: "Deploy", description: "Ships it", version: "1.0.0" });
    const dir = join(root, "single-file");
    writeFiles(dir, { "deploy.md": content });
    const repo = new GitRepoFixture(root, "single-file-repo");
    repo.write({ "commands/deploy.md": content, "commands/rollback.md": skillFile({ title: "Rollback" }) }).commit("first");
    const id = await collection("single files");
    const [local] = await services.collections.addArtifacts(ownerOf(ws), id, { source: join(dir, "deploy.md"), type: "command" });
    const [git] = await services.collections.addArtifacts(ownerOf(ws), id, { source: { kind: "git", url: repo.url, path: "commands/deploy.md", ref: "main" }, name: "deploy-git" });
    for (const artifact of [local, git]) {
      expect(artifact).toMatchObject({ type: "command", metadata: { title: "Deploy", description: "Ships it", version: "1.0.0" } });
      expect(artifact?.files).toEqual([{ path: "deploy.md", sha256: blobHash(Buffer.from(content)), size: Buffer.byteLength(content), executable: false }]);
      expect((await blobs.get(artifact?.files[0]?.sha256 ?? "")).toString()).toBe(content);
    }
    expect(git?.contentHash).toBe(local?.contentHash);
    for (const mode of ["metadata", "check", "sync"] as const) {
      const outcome = await services.refresher.refresh(ws, id, options(mode));
      expect(outcome.entries.map((item) => [item.name, item.status, item.changes])).toEqual([
        ["deploy", "unchanged", []],
        ["deploy-git", "unchanged", []],
      ]);
    }
  });

  it("answers an empty collection with success and no entries", async () => {
    const outcome = await services.refresher.refresh(ws, await collection("empty"), options("sync"));
    expect(outcome).toMatchObject({ status: "success", entries: [], snapshotId: null });
  });

  it("logs one line per refresh with the request id, mode, counts and duration", () => {
    const line = logged.find((fields) => (fields as { request_id?: string }).request_id === "req-check") as Record<string, unknown>;
    expect(line).toMatchObject({ mode: "check", refreshed_count: expect.any(Number), unchanged_count: expect.any(Number), skipped_count: expect.any(Number), error_count: expect.any(Number), duration_ms: expect.any(Number) });
  });
});

describe("GitHub sources", () => {
  it("read owner/repo/path@ref from the configured GitHub host, as git", async () => {
    const test = await openTestDatabase("pglite");
    const root = tempDir("github");
    try {
      // A stand-in for the GitHub host: <base>/<owner>/<repo>.git, served over file://.
      const repo = new GitRepoFixture(join(root, "octo"), "skills");
      repo.write({ "canvas/SKILL.md": skillFile({ title: "Canvas", description: "From GitHub" }) }).commit("first");
      repo.tag("v1.0.0");
      const services = createServices(test.handle.db, { dataDir: join(root, "data"), log, githubBaseUrl: `file://${root}` });
      const { workspace } = await services.access.createWorkspace("GitHub");
      const { id } = await services.collections.create(workspace.id, { name: "from github" });
      const [added] = await services.collections.addArtifacts(ownerOf(workspace.id), id, { source: "octo/skills/canvas@v1.0.0" });
      expect(added).toMatchObject({ name: "canvas", type: "skill", source: { kind: "github", repo: "octo/skills", path: "canvas", ref: "v1.0.0" }, trackedRef: "v1.0.0" });
      expect(added?.metadata.description).toBe("From GitHub");
      const outcome = await services.refresher.refresh(workspace.id, id, options("check"));
      expect(outcome).toMatchObject({ status: "success", refLookups: 1 });
    } finally {
      await test.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("refresh serialisation", () => {
  /** Counts reads in flight, and makes each take a while so overlaps would show. */
  class SlowReader extends UpstreamReader {
    active = 0;
    maxActive = 0;
    override async revision(source: ArtifactSource): Promise<Revision> {
      this.active += 1;
      this.maxActive = Math.max(this.maxActive, this.active);
      await new Promise((resolve) => setTimeout(resolve, 50));
      try {
        return await super.revision(source);
      } finally {
        this.active -= 1;
      }
    }
  }

  it("never interleaves refreshes of one collection, and runs different collections in parallel", async () => {
    const test = await openTestDatabase("pglite");
    const root = tempDir("serial");
    try {
      // Beside the sources: local sources are never read from the data directory.
      const dataDir = join(root, "data");
      const services = createServices(test.handle.db, { dataDir, log });
      const { workspace } = await services.access.createWorkspace("Serial");
      writeFiles(root, { "a/SKILL.md": skillFile({ title: "A" }), "b/SKILL.md": skillFile({ title: "B" }) });
      const one = await services.collections.create(workspace.id, { name: "one" });
      const two = await services.collections.create(workspace.id, { name: "two" });
      await services.collections.addArtifacts(ownerOf(workspace.id), one.id, { source: join(root, "a") });
      await services.collections.addArtifacts(ownerOf(workspace.id), two.id, { source: join(root, "b") });
      const reader = new SlowReader(new GitCache(join(dataDir, "git"), { githubBaseUrl: "https://github.com", githubToken: undefined }), { dataDir });
      const refresher = new CollectionRefresher(test.handle.db, new FileBlobStore(join(dataDir, "blobs")), reader, log, new Cluster(null), new SecurityReview());

      await Promise.all([1, 2, 3].map(() => refresher.refresh(workspace.id, one.id, options("metadata"))));
      expect(reader.maxActive).toBe(1);

      reader.maxActive = 0;
      await Promise.all([refresher.refresh(workspace.id, one.id, options("metadata")), refresher.refresh(workspace.id, two.id, options("metadata"))]);
      expect(reader.maxActive).toBe(2);
      expect(readFileSync(join(root, "a/SKILL.md"), "utf8")).toContain("A");
    } finally {
      await test.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
