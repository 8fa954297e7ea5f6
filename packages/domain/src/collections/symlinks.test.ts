import { execFileSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RefreshMode } from "@scriptorium/contract";
import type { ArtifactRow } from "@scriptorium/db";
import { openTestDatabase, type TestDatabase } from "@scriptorium/db/testing";
import { DomainError } from "../errors";
import type { Logger } from "../logger";
import { createServices, type Services } from "../services";
import { ownerOf } from "../testing/callers";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "../testing/upstream-fixtures";
import { GitCache } from "./git";
import { UpstreamReader } from "./upstream/upstream-reader";
import { UpstreamError } from "./upstream/upstream-source";

/**
 * Symlinks in sources, as generated input. Whatever links a local folder or
 * a git repository holds, wherever they sit and wherever they point,
 * Scriptorium must behave as if they were not there: never read through
 * them, never store what they lead to, never hang, and fail only with the
 * domain's typed errors.
 *
 * The oracle is a twin: the same tree with every symlink (and FIFO) left
 * out, imported and refreshed the same way. The two must give the same
 * answers and store the same artifacts, byte for byte. On top of that, a
 * secret outside the source (and the data directory's `owner.key`) must
 * never turn up in a stored row, a refresh entry or a blob.
 */

const SEED = 20_250_611;
/** Generated cases per property: bounded here, many more under `npm run bench` (which sets SCRIPTORIUM_FUZZ_RUNS). */
const fuzzRuns = (bounded: number): number => (process.env.SCRIPTORIUM_FUZZ_RUNS ? Number(process.env.SCRIPTORIUM_FUZZ_RUNS) : bounded);
const MARKER = "SCRIPTORIUM-SECRET-5f1c0e9a";
/** Each import or refresh of these small trees takes milliseconds; a read blocked on a FIFO or a loop would not. */
const TIME_LIMIT_MS = 5_000;
const SKILLS = ["alpha", "beta", "gamma"];
const COMMANDS = ["deploy", "review"];

/** What a hostile entry is: a symlink to one of these places, or a FIFO. */
const HOSTILE_KINDS = [
  "secret",
  "secret-relative",
  "owner-key",
  "etc-passwd",
  "etc-passwd-relative",
  "outside-folder",
  "outside-folder-relative",
  "inside-file",
  "inside-folder",
  "source-root",
  "itself",
  "dangling",
  "fifo",
] as const;
type HostileKind = (typeof HOSTILE_KINDS)[number];

interface Tree {
  skills: string[];
  commands: string[];
  /** `position` indexes (modulo their number) the paths positionsOf offers. */
  hostile: { position: number; kind: HostileKind }[];
}

/** Unbiased: fast-check favours small numbers, which would put nearly every entry over the first skill's SKILL.md. */
const positions = fc.noBias(fc.nat({ max: 1_000 }));
const hostileEntries = fc.array(fc.record({ position: positions, kind: fc.constantFrom(...HOSTILE_KINDS) }), { minLength: 1, maxLength: 4 });
const trees: fc.Arbitrary<Tree> = fc.record({ skills: fc.subarray(SKILLS, { minLength: 1 }), commands: fc.subarray(COMMANDS), hostile: hostileEntries });

/** Where hostile entries go: over a main file, a whole skill, a folder of artifacts, a file inside a skill, new places, `.git`. */
function positionsOf(tree: Tree): string[] {
  return [
    ...tree.skills.flatMap((skill) => [`skills/${skill}/SKILL.md`, `skills/${skill}`, `skills/${skill}/scripts`, `skills/${skill}/scripts/run.sh`, `skills/${skill}/notes.md`]),
    ...tree.commands.map((command) => `commands/${command}.md`),
    "skills",
    "commands",
    "commands/extra.md",
    "skills/extra",
    "skills/linked/SKILL.md",
    ".git",
  ];
}

function writeTree(dir: string, tree: Tree): void {
  writeFiles(
    dir,
    Object.fromEntries([
      ...tree.skills.flatMap((skill) => [
        [`skills/${skill}/SKILL.md`, skillFile({ title: skill, description: `The ${skill} skill` })],
        [`skills/${skill}/scripts/run.sh`, `echo ${skill}\n`],
      ]),
      ...tree.commands.map((command) => [`commands/${command}.md`, skillFile({ title: command, description: `Runs ${command}` })]),
    ]),
  );
}

/** True when a folder above `path` is not a real folder any more (a link or FIFO placed before). */
function underHostile(dir: string, path: string): boolean {
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth += 1) {
    const info = lstatSync(join(dir, ...parts.slice(0, depth)), { throwIfNoEntry: false });
    if (info && !info.isDirectory()) return true;
  }
  return false;
}

describe("symlinks in sources", () => {
  let test: TestDatabase;
  let services: Services;
  let root: string;
  let dataDir: string;
  let ws: string;
  let secret: string;
  let ownerKey: string;
  let outside: string;
  let runs = 0;
  let collections = 0;

  beforeAll(async () => {
    test = await openTestDatabase("pglite");
    root = tempDir("symlinks");
    dataDir = join(root, "data");
    services = createServices(test.handle.db, { dataDir, log: silent });
    ws = (await services.access.createWorkspace("Symlink tests")).workspace.id;
    secret = join(root, "secret.txt");
    writeFileSync(secret, `${MARKER}\n`);
    ownerKey = join(dataDir, "owner.key");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(ownerKey, `${MARKER}\n`, { mode: 0o600 });
    // A folder outside every source, shaped so that a link in any position finds artifacts behind it.
    outside = join(root, "outside");
    const secretSkill = skillFile({ title: MARKER, description: MARKER }, MARKER);
    writeFiles(outside, {
      "SKILL.md": secretSkill,
      "run.sh": MARKER,
      "extra.md": secretSkill,
      ...Object.fromEntries(
        SKILLS.flatMap((skill) => [
          [`${skill}/SKILL.md`, secretSkill],
          [`${skill}/scripts/run.sh`, MARKER],
          [`skills/${skill}/SKILL.md`, secretSkill],
        ]),
      ),
      ...Object.fromEntries(COMMANDS.flatMap((command) => [[`${command}.md`, secretSkill], [`commands/${command}.md`, secretSkill]])),
    });
  });
  afterAll(async () => {
    await test.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  function nextRun(): string {
    runs += 1;
    const dir = join(root, `run-${runs}`);
    mkdirSync(dir);
    return dir;
  }

  function linkTarget(kind: Exclude<HostileKind, "fifo">, link: string, dir: string, tree: Tree): string {
    const here = dirname(link);
    const firstSkill = join(dir, "skills", tree.skills[0] ?? "");
    switch (kind) {
      case "secret":
        return secret;
      case "secret-relative":
        return relative(here, secret);
      case "owner-key":
        return ownerKey;
      case "etc-passwd":
        return "/etc/passwd";
      case "etc-passwd-relative":
        return `${"../".repeat(24)}etc/passwd`;
      case "outside-folder":
        return outside;
      case "outside-folder-relative":
        return relative(here, outside);
      case "inside-file":
        return relative(here, join(firstSkill, "SKILL.md")) || ".";
      case "inside-folder":
        return relative(here, firstSkill) || ".";
      case "source-root":
        return relative(here, dir) || ".";
      case "itself":
        return basename(link);
      case "dangling":
        return "nowhere/at/all";
    }
  }

  /** Puts the tree's hostile entries in place; git repositories get no FIFOs (git cannot hold them) and keep their own `.git`. */
  function placeHostile(dir: string, tree: Tree, forGit: boolean): void {
    const positions = positionsOf(tree);
    for (const { position, kind } of tree.hostile) {
      const path = positions[position % positions.length] ?? "";
      if (forGit && (path === ".git" || kind === "fifo")) continue;
      // Never write through an entry placed before: that would change what lies outside the source.
      if (underHostile(dir, path)) continue;
      const full = join(dir, path);
      rmSync(full, { recursive: true, force: true });
      mkdirSync(dirname(full), { recursive: true });
      if (kind === "fifo") execFileSync("mkfifo", [full]);
      else symlinkSync(linkTarget(kind, full, dir, tree), full);
    }
  }

  /** The twin: `from` as it would be without its symlinks and FIFOs. */
  function copyWithoutHostile(from: string, to: string): void {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, {
      recursive: true,
      filter: (path) => {
        const info = lstatSync(path);
        return !info.isSymbolicLink() && !info.isFIFO() && basename(path) !== ".git";
      },
    });
  }

  async function collection(): Promise<string> {
    collections += 1;
    return (await services.collections.create(ws, { name: `symlinks-${collections}` })).id;
  }

  /** What matters of a stored artifact, with its source relative to where it was imported from (null for git). */
  function stored(row: ArtifactRow, from: string | null) {
    for (const file of row.files) {
      expect(isAbsolute(file.path), file.path).toBe(false);
      expect(file.path.split("/").every((part) => part !== "" && part !== "." && part !== ".."), file.path).toBe(true);
    }
    let source = "";
    if (row.source.kind === "local" && from !== null) {
      source = relative(from, row.source.path);
      expect(source.startsWith("..") || isAbsolute(source), row.source.path).toBe(false);
    } else if (row.source.kind !== "local") {
      source = row.source.path;
    }
    return { type: row.type, name: row.name, source, files: row.files, contentHash: row.contentHash, metadata: row.metadata };
  }

  type Outcome = { ok: true; artifacts: ReturnType<typeof stored>[] } | { ok: false; error: string };

  /** An import's outcome; anything but a typed domain error (which would be a 500) fails the test. */
  async function imported(work: () => Promise<ArtifactRow[]>, from: string | null): Promise<Outcome> {
    const started = performance.now();
    let outcome: Outcome;
    try {
      const rows = await work();
      outcome = { ok: true, artifacts: rows.map((row) => stored(row, from)).sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1)) };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      outcome = { ok: false, error: error.name };
    }
    expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
    return outcome;
  }

  async function artifactsOf(collectionId: string, from: string | null) {
    return (await services.collections.listArtifacts(ws, collectionId)).items.map((row) => stored(row, from));
  }

  async function refreshed(collectionId: string, mode: RefreshMode) {
    const started = performance.now();
    const outcome = await services.refresher.refresh(ws, collectionId, { mode, filter: {}, dryRun: false, requestId: `symlinks-${mode}` });
    expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
    expect(JSON.stringify(outcome)).not.toContain(MARKER);
    return { status: outcome.status, entries: outcome.entries.map((entry) => ({ name: entry.name, type: entry.type, status: entry.status, changes: entry.changes })) };
  }

  function blobFiles(dir = join(dataDir, "blobs")): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  }

  async function expectNoLeak(collectionIds: string[]): Promise<void> {
    for (const id of collectionIds) {
      expect(JSON.stringify((await services.collections.listArtifacts(ws, id)).items)).not.toContain(MARKER);
      expect(JSON.stringify((await services.snapshots.list(ws, id)).items)).not.toContain(MARKER);
    }
    for (const blob of blobFiles()) expect(readFileSync(blob, "utf8"), blob).not.toContain(MARKER);
  }

  it("imports a local folder as if its symlinks and FIFOs were not there, and refuses a source reached through a link", async () => {
    const roots = fc.constantFrom("real", "link-to-tree", "link-to-outside", "under-a-link");
    await fc.assert(
      fc.asyncProperty(trees, roots, async (tree, rootKind) => {
        const run = nextRun();
        const hostileDir = join(run, "hostile");
        const twinDir = join(run, "twin");
        writeTree(hostileDir, tree);
        placeHostile(hostileDir, tree, false);
        copyWithoutHostile(hostileDir, twinDir);
        let source = hostileDir;
        if (rootKind === "link-to-tree" || rootKind === "link-to-outside") {
          source = join(run, "link");
          symlinkSync(rootKind === "link-to-tree" ? hostileDir : outside, source);
        } else if (rootKind === "under-a-link") {
          symlinkSync(run, join(run, "via"));
          source = join(run, "via", "hostile");
        }
        const [hostile, twin] = [await collection(), await collection()];
        const got = await imported(() => services.collections.addArtifacts(ownerOf(ws), hostile, { source }), hostileDir);
        const expected = rootKind === "real" ? await imported(() => services.collections.addArtifacts(ownerOf(ws), twin, { source: twinDir }), twinDir) : { ok: false, error: "InvalidError" };
        expect(got).toEqual(expected);
        // All or nothing: a refused import leaves no artifact behind.
        expect((await services.collections.get(ws, hostile)).artifactCount).toBe(got.ok ? got.artifacts.length : 0);
        await expectNoLeak([hostile, twin]);
      }),
      {
        seed: SEED,
        numRuns: fuzzRuns(40),
        examples: [
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 0, kind: "secret" }] }, "real"],
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 5, kind: "outside-folder" }] }, "real"],
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 0, kind: "fifo" }] }, "real"],
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 5, kind: "dangling" }] }, "link-to-outside"],
        ],
      },
    );
  });

  it("refreshes a local folder as if links put in since the import were not there", async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.boolean(), async (tree, replaceRoot) => {
        const run = nextRun();
        const hostileDir = join(run, "hostile");
        const twinDir = join(run, "twin");
        writeTree(hostileDir, tree);
        copyWithoutHostile(hostileDir, twinDir);
        const [hostile, twin] = [await collection(), await collection()];
        await services.collections.addArtifacts(ownerOf(ws), hostile, { source: hostileDir });
        await services.collections.addArtifacts(ownerOf(ws), twin, { source: twinDir });

        placeHostile(hostileDir, tree, false);
        if (replaceRoot) {
          // The source itself becomes a link to a folder shaped like it, full of secrets.
          rmSync(hostileDir, { recursive: true, force: true });
          symlinkSync(outside, hostileDir);
          rmSync(twinDir, { recursive: true, force: true });
        } else {
          copyWithoutHostile(hostileDir, twinDir);
        }
        for (const mode of ["check", "metadata", "sync"] as const) expect(await refreshed(hostile, mode)).toEqual(await refreshed(twin, mode));
        expect(await artifactsOf(hostile, hostileDir)).toEqual(await artifactsOf(twin, twinDir));
        await expectNoLeak([hostile, twin]);
      }),
      {
        seed: SEED,
        numRuns: fuzzRuns(30),
        // SKILL.md becomes a link to a secret (its first line used to become the description), a FIFO (which used to block
        // the process for good), or `skills/` becomes a link to a folder shaped like it.
        examples: [
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 0, kind: "secret" }] }, false],
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 0, kind: "owner-key" }] }, false],
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 0, kind: "fifo" }] }, false],
          [{ skills: ["alpha"], commands: [], hostile: [{ position: 5, kind: "outside-folder" }] }, false],
          [{ skills: ["alpha"], commands: [], hostile: [] }, true],
        ],
      },
    );
  });

  it("never reads through a file or folder swapped for a link, a FIFO or nothing between listing and reading", async () => {
    const reader = new UpstreamReader(new GitCache(join(dataDir, "git"), { githubBaseUrl: "https://github.com", githubToken: undefined }), { dataDir });
    const swaps = fc.array(fc.record({ position: positions, kind: fc.constantFrom<HostileKind | "removed">(...HOSTILE_KINDS, "removed") }), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(trees, swaps, fc.boolean(), async (tree, swapped, wholeFolder) => {
        const run = nextRun();
        const dir = join(run, "source");
        writeTree(dir, tree);
        // The whole folder, or its first skill alone (whose own folder can then be swapped from under it).
        const source = { kind: "local" as const, path: wholeFolder ? dir : join(dir, "skills", tree.skills[0] ?? "") };
        const revision = await reader.revision(source);
        const listing = await reader.list(source, revision);
        if (!listing) throw new Error("The source was just written.");
        const before = new Map(listing.files.map((file) => [file.path, readFileSync(join(source.path, file.path))]));

        for (const { position, kind } of swapped) {
          const positions = positionsOf(tree);
          const path = positions[position % positions.length] ?? "";
          if (underHostile(dir, path)) continue;
          rmSync(join(dir, path), { recursive: true, force: true });
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          if (kind === "fifo") execFileSync("mkfifo", [join(dir, path)]);
          else if (kind !== "removed") symlinkSync(linkTarget(kind, join(dir, path), dir, tree), join(dir, path));
        }

        const started = performance.now();
        const files = await reader.read(source, revision, listing).catch((error: unknown) => error);
        const main = await reader.readMainFile(source, revision, "skill").catch((error: unknown) => error);
        expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
        // Either the bytes that were there when listed, or the typed refusal.
        if (files instanceof Map) for (const [path, content] of files) expect(content.equals(before.get(path) ?? Buffer.alloc(0)), path).toBe(true);
        else expect(files).toBeInstanceOf(UpstreamError);
        if (main instanceof Buffer) expect(main.toString("utf8")).not.toContain(MARKER);
        else if (main !== null) expect(main).toBeInstanceOf(UpstreamError);
        expect(String(files) + String(main)).not.toContain(MARKER);
      }),
      {
        seed: SEED,
        numRuns: fuzzRuns(40),
        // A listed SKILL.md becomes a link, a FIFO or nothing; the artifact's own folder, or `scripts/` inside it, a link to a look-alike.
        examples: [
          [{ skills: ["alpha"], commands: [], hostile: [] }, [{ position: 0, kind: "secret" }], false],
          [{ skills: ["alpha"], commands: [], hostile: [] }, [{ position: 0, kind: "fifo" }], false],
          [{ skills: ["alpha"], commands: [], hostile: [] }, [{ position: 0, kind: "removed" }], false],
          [{ skills: ["alpha"], commands: [], hostile: [] }, [{ position: 1, kind: "outside-folder" }], false],
          [{ skills: ["alpha"], commands: [], hostile: [] }, [{ position: 2, kind: "outside-folder-relative" }], true],
        ],
      },
    );
  });

  it("imports and refreshes a git repository as if its symlinks were not there", async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.option(positions, { nil: null, freq: 2 }), hostileEntries, async (tree, importAt, later) => {
        const run = nextRun();
        const repo = new GitRepoFixture(run, "repo");
        const twinDir = join(run, "twin");
        writeTree(repo.work, tree);
        placeHostile(repo.work, tree, true);
        repo.commit("with symlinks");
        copyWithoutHostile(repo.work, twinDir);
        const positions = positionsOf(tree);
        const path = importAt === null ? "" : (positions[importAt % positions.length] ?? "");
        const twinPath = path === "" ? twinDir : join(twinDir, path);

        const [hostile, twin] = [await collection(), await collection()];
        const got = await imported(() => services.collections.addArtifacts(ownerOf(ws), hostile, { source: { kind: "git", url: repo.url, path, ref: "main" } }), null);
        const expected = await imported(() => services.collections.addArtifacts(ownerOf(ws), twin, { source: twinPath }), null);
        // Git sources record the path in the repository, local ones their own: compare the rest.
        const withoutSources = (outcome: Outcome) => (outcome.ok ? { ...outcome, artifacts: outcome.artifacts.map((artifact) => ({ ...artifact, source: "" })) } : outcome);
        expect(withoutSources(got)).toEqual(withoutSources(expected));
        await expectNoLeak([hostile, twin]);
        if (!got.ok) return;

        // Then links replace what was imported (and new ones arrive) in a later commit.
        placeHostile(repo.work, { ...tree, hostile: later }, true);
        repo.commit("more symlinks");
        copyWithoutHostile(repo.work, twinDir);
        for (const mode of ["check", "metadata", "sync"] as const) expect(await refreshed(hostile, mode)).toEqual(await refreshed(twin, mode));
        expect((await artifactsOf(hostile, null)).map((artifact) => ({ ...artifact, source: "" }))).toEqual(
          (await artifactsOf(twin, null)).map((artifact) => ({ ...artifact, source: "" })),
        );
        await expectNoLeak([hostile, twin]);
      }),
      { seed: SEED, numRuns: fuzzRuns(20) },
    );
    // Each case builds, pushes, imports and refreshes two real repositories: twenty of them take about 20 s alone and
    // twice that on a busy machine or with coverage on, so the limit grows with the number of cases (the benchmark runs
    // 200). Each import and refresh keeps its own 5 s limit above.
  }, fuzzRuns(20) * 6_000);

  it("refuses crafted git trees whose paths lead outside the artifact, skips .git in any case, and never copies a symlink", async () => {
    const run = nextRun();
    const repo = new GitRepoFixture(run, "crafted");
    repo.write({ "skills/alpha/SKILL.md": skillFile({ title: "alpha" }) }).commit("first");
    const mktree = (entries: string) => execFileSync("git", ["mktree"], { cwd: repo.work, input: entries }).toString("utf8").trim();
    const hashed = (content: string) => execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo.work, input: content }).toString("utf8").trim();
    const main = hashed(skillFile({ title: "crafted" }));
    const secretBlob = hashed(MARKER);
    const config = mktree(`100644 blob ${secretBlob}\tconfig\n`);
    /** Commits a skills/crafted folder holding SKILL.md and `entry`, pushed as main. */
    const commitWith = (entry: string) => {
      const crafted = mktree(`100644 blob ${main}\tSKILL.md\n${entry}`);
      const top = mktree(`040000 tree ${mktree(`040000 tree ${crafted}\tcrafted\n`)}\tskills\n`);
      const commit = repo.git("commit-tree", top, "-m", "crafted");
      repo.git("push", "--quiet", "--force", "origin", `${commit}:refs/heads/main`);
    };
    const add = async (path: string) => {
      const id = await collection();
      return imported(() => services.collections.addArtifacts(ownerOf(ws), id, { source: { kind: "git", url: repo.url, path, ref: "main" }, type: "skill" }), null);
    };

    // (A tree entry with an empty name does not even reach the remote: git's unpacker refuses it.)
    for (const name of ["..", "."]) {
      commitWith(`040000 tree ${config}\t${name}\n`);
      expect(await add("skills/crafted"), JSON.stringify(name)).toEqual({ ok: false, error: "InvalidError" });
      expect(await add(""), JSON.stringify(name)).toEqual({ ok: false, error: "InvalidError" });
    }
    for (const name of [".git", ".GIT", ".Git"]) {
      commitWith(`040000 tree ${config}\t${name}\n`);
      const got = await add("skills/crafted");
      expect(got.ok && got.artifacts.map((artifact) => artifact.files.map((file) => file.path))).toEqual([["SKILL.md"]]);
    }
    commitWith(`120000 blob ${hashed("/etc/passwd")}\tlink.md\n`);
    expect(await add("skills/crafted/link.md")).toEqual({ ok: false, error: "InvalidError" });
    const got = await add("skills/crafted");
    expect(got.ok && got.artifacts.map((artifact) => artifact.files.map((file) => file.path))).toEqual([["SKILL.md"]]);
    await expectNoLeak([]);
  });
});

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
