import { existsSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SourceInput } from "@scriptorium/contract";
import { openTestDatabase, type TestDatabase } from "@scriptorium/db/testing";
import { LOCAL_SOURCES_FORBIDDEN } from "../access/local-source-access";
import { ForbiddenError, InvalidError } from "../errors";
import type { Logger } from "../logger";
import { createServices, type Services } from "../services";
import { ownerOf } from "../testing/callers";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "../testing/upstream-fixtures";

/**
 * Local sources never read Scriptorium's own data directory: it holds the
 * owner key, the embedded database and every workspace's stored copies and
 * git mirrors. A source that is the data directory, lies in it or holds it
 * is refused at import (a 422 over the API) and is an error entry at
 * refresh; with roots configured, so is a source outside them. Compared by
 * real path, so neither `..` nor links get around it; nothing is stored.
 */

const MARKER = "SCRIPTORIUM-DATA-DIR-SECRET-4d2a";

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("local sources and the data directory", () => {
  let test: TestDatabase;
  let root: string;
  let dataDir: string;
  let sources: string;
  let services: Services;
  let ws: string;
  let collections = 0;

  beforeAll(async () => {
    test = await openTestDatabase("pglite");
    root = tempDir("local-sources");
    dataDir = join(root, "data");
    sources = join(root, "sources");
    services = createServices(test.handle.db, { dataDir, log: silent });
    ws = (await services.access.createWorkspace("Local sources")).workspace.id;
    // The data directory as a server leaves it, plus artifacts that would import if it were read.
    writeFiles(dataDir, { "owner.key": `${MARKER}\n`, "skills/stolen/SKILL.md": skillFile({ title: MARKER, description: MARKER }, MARKER) });
    writeFiles(sources, { "skills/alpha/SKILL.md": skillFile({ title: "Alpha", description: "First" }), "commands/deploy.md": skillFile({ title: "Deploy" }) });
  });
  afterAll(async () => {
    await test.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  async function collection(using = services): Promise<string> {
    collections += 1;
    return (await using.collections.create(ws, { name: `local-${collections}` })).id;
  }

  /** The refusal of an import: a typed 422 naming the source; no artifact added, nothing of the data directory anywhere. */
  async function refused(source: SourceInput, using = services): Promise<string> {
    const id = await collection(using);
    const error = await using.collections.addArtifacts(ownerOf(ws), id, { source, type: "command" }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error, JSON.stringify(source)).toBeInstanceOf(InvalidError);
    const message = (error as InvalidError).message;
    expect(message).not.toContain(MARKER);
    expect((await using.collections.get(ws, id)).artifactCount).toBe(0);
    expectNoLeak();
    return message;
  }

  function expectNoLeak(): void {
    const blobs = join(dataDir, "blobs");
    if (!existsSync(blobs)) return;
    for (const entry of readdirSync(blobs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(readFileSync(join(entry.parentPath, entry.name), "utf8")).not.toContain(MARKER);
    }
  }

  it("refuses the data directory, anything in it and any folder holding it, without naming the data directory", async () => {
    // Something must already be stored, so that expectNoLeak has blobs to look at.
    await services.collections.addArtifacts(ownerOf(ws), await collection(), { source: sources });
    const cases: [SourceInput, RegExp][] = [
      [dataDir, /lies inside Scriptorium's data directory/],
      [join(dataDir, "owner.key"), /lies inside Scriptorium's data directory/],
      [join(dataDir, "skills", "stolen"), /lies inside Scriptorium's data directory/],
      [join(dataDir, "no-such-file.md"), /lies inside Scriptorium's data directory/],
      [`${sources}/../data/owner.key`, /lies inside Scriptorium's data directory/],
      [{ kind: "local", path: `${sources}/skills/../../data` }, /lies inside Scriptorium's data directory/],
      [root, /holds Scriptorium's data directory/],
      ["/", /holds Scriptorium's data directory/],
    ];
    for (const [source, expected] of cases) {
      const message = await refused(source);
      expect(message, JSON.stringify(source)).toMatch(expected);
      if (source === "/" || source === root) expect(message).not.toContain(dataDir);
    }
    // A look-alike beside it is no part of it.
    writeFiles(root, { "data-other/commands/ship.md": skillFile({ title: "Ship" }) });
    const [ship] = await services.collections.addArtifacts(ownerOf(ws), await collection(), { source: join(root, "data-other") });
    expect(ship?.metadata.title).toBe("Ship");
  });

  it("refuses links into the data directory as links, and skips those inside a source", async () => {
    const dir = join(root, "linked");
    writeFiles(dir, { "skills/beta/SKILL.md": skillFile({ title: "Beta", description: "Second" }) });
    symlinkSync(join(dataDir, "owner.key"), join(dir, "key.md"));
    symlinkSync(dataDir, join(dir, "data"));
    symlinkSync(join(dataDir, "skills"), join(dir, "skills", "more"));
    expect(await refused(join(dir, "key.md"))).toMatch(/is a symlink/);
    expect(await refused(join(dir, "data"))).toMatch(/is a symlink/);
    expect(await refused(join(dir, "data", "owner.key"))).toMatch(/goes through a symlink/);
    const added = await services.collections.addArtifacts(ownerOf(ws), await collection(), { source: dir });
    expect(added.map((row) => row.name)).toEqual(["beta"]);
    expect(JSON.stringify(added)).not.toContain(MARKER);
    expectNoLeak();
  });

  it("compares real paths: a data directory configured through a link is refused by its real path too", async () => {
    const real = join(root, "real-data");
    writeFiles(real, { "owner.key": `${MARKER}\n` });
    const linked = join(root, "data-link");
    symlinkSync(real, linked);
    const throughLink = createServices(test.handle.db, { dataDir: linked, log: silent });
    expect(await refused(join(real, "owner.key"), throughLink)).toMatch(/lies inside Scriptorium's data directory/);
    expect(await refused(real, throughLink)).toMatch(/lies inside Scriptorium's data directory/);
    expect(await refused(join(linked, "owner.key"), throughLink)).toMatch(/lies inside Scriptorium's data directory/);
  });

  it("refuses file:// git repositories in the data directory, such as another import's mirror", async () => {
    const repo = new GitRepoFixture(join(root, "repos"), "skills");
    repo.write({ "skills/gamma/SKILL.md": skillFile({ title: "Gamma" }) }).commit("first");
    await services.collections.addArtifacts(ownerOf(ws), await collection(), { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } });
    const [mirror] = readdirSync(join(dataDir, "git")).filter((name) => name.endsWith(".git"));
    if (!mirror) throw new Error("The import should have made a mirror.");
    for (const url of [`file://${join(dataDir, "git", mirror)}`, `file://elsewhere${join(dataDir, "git", mirror)}`, `file://${join(root, "repos")}/../data/git/${mirror}`]) {
      expect(await refused({ kind: "git", url, path: "skills", ref: "main" }), url).toMatch(/lies inside Scriptorium's data directory/);
    }
    expect(await refused({ kind: "git", url: `file://${root}`, path: "", ref: "main" })).toMatch(/holds Scriptorium's data directory/);
  });

  it("with roots configured, reads only inside them (compared by real path), the data directory still excepted", async () => {
    const allowed = join(root, "allowed");
    writeFiles(allowed, { "skills/delta/SKILL.md": skillFile({ title: "Delta" }) });
    writeFiles(root, { "allowed-not/skills/delta/SKILL.md": skillFile({ title: "Delta" }) });
    const allowedLink = join(root, "allowed-link");
    symlinkSync(allowed, allowedLink);
    const repo = new GitRepoFixture(join(root, "outside-repos"), "more");
    repo.write({ "skills/epsilon/SKILL.md": skillFile({ title: "Epsilon" }) }).commit("first");
    // The first root is configured through a link; the second holds the data directory, which stays refused.
    const confined = createServices(test.handle.db, { dataDir, log: silent, localRoots: [allowedLink, root] });
    const onlyAllowed = createServices(test.handle.db, { dataDir, log: silent, localRoots: [allowedLink] });

    const [delta] = await onlyAllowed.collections.addArtifacts(ownerOf(ws), await collection(onlyAllowed), { source: join(allowed, "skills") });
    expect(delta?.metadata.title).toBe("Delta");
    const outside = await refused(join(root, "allowed-not"), onlyAllowed);
    expect(outside).toBe(`Cannot read ${join(root, "allowed-not")}: ${join(root, "allowed-not")} is outside the folders local sources may be read from (SCRIPTORIUM_LOCAL_ROOTS: ${allowedLink}).`);
    expect(await refused({ kind: "git", url: repo.url, path: "skills", ref: "main" }, onlyAllowed)).toMatch(/is outside the folders/);
    expect(await refused(join(dataDir, "owner.key"), confined)).toMatch(/lies inside Scriptorium's data directory/);
    const [epsilon] = await confined.collections.addArtifacts(ownerOf(ws), await collection(confined), { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } });
    expect(epsilon?.name).toBe("epsilon");
  });

  it("turns a source that came to lie in the data directory after its import into error entries, storing nothing", async () => {
    const dir = join(root, "moving");
    writeFiles(dir, { "skills/zeta/SKILL.md": skillFile({ title: "Zeta", description: "Before" }), "skills/eta/SKILL.md": skillFile({ title: "Eta", description: "Before" }) });
    const id = await collection();
    await services.collections.addArtifacts(ownerOf(ws), id, { source: dir });
    const stored = async () => (await services.collections.listArtifacts(ws, id)).items.map(({ refreshedAt: _, ...row }) => row);
    const before = await stored();
    const refresh = async (using: Services, mode: "metadata" | "check" | "sync") => {
      const outcome = await using.refresher.refresh(ws, id, { mode, filter: {}, dryRun: false, requestId: `moved-${mode}` });
      expect(JSON.stringify(outcome)).not.toContain(MARKER);
      expect(outcome.snapshotId).toBeNull();
      return outcome.entries.map((entry) => [entry.name, entry.status, entry.error]);
    };

    // zeta's folder moves into the data directory, a link left in its place, and its content turns into the secret.
    const moved = join(dataDir, "zeta");
    renameSync(join(dir, "skills", "zeta"), moved);
    symlinkSync(moved, join(dir, "skills", "zeta"));
    writeFileSync(join(moved, "SKILL.md"), skillFile({ title: MARKER, description: MARKER }, MARKER));
    for (const mode of ["metadata", "check", "sync"] as const) {
      expect(await refresh(services, mode)).toEqual([
        ["eta", "unchanged", null],
        ["zeta", "error", `${join(dir, "skills", "zeta")} is a symlink, and symlinks are never followed: add the folder or file it points to.`],
      ]);
    }

    // eta stays where it was, but the data directory comes to hold it (the server restarted with its data directory over the sources).
    writeFileSync(join(dir, "skills", "eta", "SKILL.md"), skillFile({ title: MARKER, description: MARKER }, MARKER));
    const dataOverSources = createServices(test.handle.db, { dataDir: dir, log: silent });
    const inside = (name: string) => `${join(dir, "skills", name)} lies inside Scriptorium's data directory, which is never read as a source.`;
    for (const mode of ["metadata", "check", "sync"] as const) {
      expect(await refresh(dataOverSources, mode)).toEqual([
        ["eta", "error", inside("eta")],
        ["zeta", "error", inside("zeta")],
      ]);
    }

    expect(await stored()).toEqual(before);
    expect((await services.snapshots.list(ws, id)).items).toEqual([]);
    expectNoLeak();
    expect(existsSync(join(dir, "blobs"))).toBe(false);
  });

  it("lets only owner keys of the first workspace add local and file:// sources while no roots are configured", async () => {
    const repo = new GitRepoFixture(join(root, "tenant-repos"), "skills");
    repo.write({ "skills/theta/SKILL.md": skillFile({ title: "Theta" }) }).commit("first");
    const second = (await services.access.createWorkspace("Second")).workspace.id;
    const inSecond = (await services.collections.create(second, { name: "tenant" })).id;
    const inFirst = await collection();
    const callers = [
      { workspaceId: ws, scope: "admin" as const, collectionId: inFirst },
      { workspaceId: ws, scope: "write" as const, collectionId: inFirst },
      { workspaceId: second, scope: "owner" as const, collectionId: inSecond },
    ];
    for (const { collectionId, ...caller } of callers) {
      for (const source of [sources, join(root, "nothing-here"), { kind: "git" as const, url: repo.url, path: "skills", ref: "main" }]) {
        const error = await services.collections.addArtifacts(caller, collectionId, { source }).then(() => null, (caught: unknown) => caught);
        expect(error, `${JSON.stringify(caller)} ${JSON.stringify(source)}`).toBeInstanceOf(ForbiddenError);
        expect((error as ForbiddenError).message).toBe(LOCAL_SOURCES_FORBIDDEN);
      }
    }
    expect((await services.collections.get(ws, inFirst)).artifactCount).toBe(0);
    expect((await services.collections.get(second, inSecond)).artifactCount).toBe(0);

    // With roots configured, the roots are the bound: any caller may add inside them.
    const confined = createServices(test.handle.db, { dataDir, log: silent, localRoots: [join(root, "tenant-repos")] });
    const [theta] = await confined.collections.addArtifacts({ workspaceId: second, scope: "write" }, inSecond, { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } });
    expect(theta?.name).toBe("theta");
  });
});
