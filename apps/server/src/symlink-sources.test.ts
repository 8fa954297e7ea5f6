import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * Symlinks in local sources, over HTTP. The server generates its owner key
 * (so `<data dir>/owner.key` holds a real secret); folders whose links lead
 * to it, to a look-alike folder of secrets outside, to /etc/passwd, to
 * themselves or nowhere are imported and refreshed through REST. Every
 * answer is a 2xx without a secret or a clear 4xx, never a 5xx, and no
 * secret reaches a listed artifact or the blob store.
 */

const SEED = 20_250_612;
/** Generated cases per property: bounded here, many more under `npm run bench` (which sets SCRIPTORIUM_FUZZ_RUNS). */
const RUNS = Number(process.env.SCRIPTORIUM_FUZZ_RUNS ?? 15);
const TIMEOUT_MS = 5_000;
const OUTSIDE_MARKER = "SCRIPTORIUM-OUTSIDE-SECRET-93be";

const TARGETS = ["owner-key", "owner-key-relative", "outside-folder", "etc-passwd", "itself", "dangling"] as const;
type Target = (typeof TARGETS)[number];
/** Over a main file, a whole skill, the folder of skills, beside a skill's files, as a new skill. */
const POSITIONS = ["skills/alpha/SKILL.md", "skills/alpha", "skills", "skills/beta/notes.md", "skills/gamma"] as const;

interface Answer {
  status: number;
  text: string;
}

describe("symlinks in local sources over REST", () => {
  let server: RunningTestServer;
  let key: string;
  let ownerKeyFile: string;
  let root: string;
  let outside: string;
  let runs = 0;

  beforeAll(async () => {
    server = await startTestServer("pglite", { bootstrapKey: undefined });
    if (!server.app.generatedOwnerKey) throw new Error("The server should have generated its owner key.");
    key = server.app.generatedOwnerKey;
    ownerKeyFile = join(server.dataDir, "owner.key");
    root = tempDir("symlink-sources");
    outside = join(root, "outside");
    const secretSkill = skillFile({ title: OUTSIDE_MARKER, description: OUTSIDE_MARKER }, OUTSIDE_MARKER);
    writeFiles(outside, { "SKILL.md": secretSkill, "alpha/SKILL.md": secretSkill, "skills/alpha/SKILL.md": secretSkill, "notes.md": OUTSIDE_MARKER });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function send(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: response.status, text: await response.text() };
  }

  /** A 2xx, or a 4xx in the error shape; never a 5xx; never a secret. */
  function expectClean(label: string, answer: Answer): void {
    expect(answer.status, `${label}: ${answer.text}`).toBeLessThan(500);
    if (answer.status >= 400) expect(JSON.parse(answer.text), label).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(answer.text, label).not.toContain(key);
    expect(answer.text, label).not.toContain(OUTSIDE_MARKER);
  }

  function expectNoSecretInBlobs(): void {
    const blobs = join(server.dataDir, "blobs");
    if (!existsSync(blobs)) return;
    for (const entry of readdirSync(blobs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const content = readFileSync(join(entry.parentPath, entry.name), "utf8");
      expect(content).not.toContain(key);
      expect(content).not.toContain(OUTSIDE_MARKER);
    }
  }

  /** True when a folder above `position` is not a real folder any more (a link placed before). */
  function underLink(dir: string, position: string): boolean {
    const parts = position.split("/");
    for (let depth = 1; depth < parts.length; depth += 1) {
      const info = lstatSync(join(dir, ...parts.slice(0, depth)), { throwIfNoEntry: false });
      if (info && !info.isDirectory()) return true;
    }
    return false;
  }

  function link(dir: string, position: string, target: Target): void {
    // Writing under a link placed before would change what lies outside the source.
    if (underLink(dir, position)) return;
    const full = join(dir, position);
    rmSync(full, { recursive: true, force: true });
    mkdirSync(dirname(full), { recursive: true });
    const targets: Record<Target, string> = {
      "owner-key": ownerKeyFile,
      "owner-key-relative": relative(dirname(full), ownerKeyFile),
      "outside-folder": outside,
      "etc-passwd": "/etc/passwd",
      itself: basename(full),
      dangling: "nowhere",
    };
    symlinkSync(targets[target], full);
  }

  async function artifactsOf(collectionId: string): Promise<void> {
    const list = await send("GET", `/v1/collections/${collectionId}/artifacts`);
    expectClean("list", list);
    for (const item of (JSON.parse(list.text) as { items: { id: string }[] }).items) {
      expectClean("get", await send("GET", `/v1/collections/${collectionId}/artifacts/${item.id}`));
    }
  }

  it("answers 2xx without the secret or a clear 4xx, never 5xx, for imports and refreshes of folders with escaping links", async () => {
    const links = fc.array(fc.record({ position: fc.constantFrom(...POSITIONS), target: fc.constantFrom(...TARGETS) }), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(links, links, async (before, after) => {
        runs += 1;
        const dir = join(root, `run-${runs}`);
        writeFiles(dir, {
          "skills/alpha/SKILL.md": skillFile({ title: "Alpha", description: "First" }),
          "skills/beta/SKILL.md": skillFile({ title: "Beta", description: "Second" }),
        });
        for (const { position, target } of before) link(dir, position, target);
        const created = await send("POST", "/v1/collections", { name: `symlinks-${runs}` });
        const collectionId = (JSON.parse(created.text) as { id: string }).id;

        const imported = await send("POST", `/v1/collections/${collectionId}/artifacts`, { source: dir });
        expectClean("import", imported);
        await artifactsOf(collectionId);

        for (const { position, target } of after) link(dir, position, target);
        for (const mode of ["metadata", "check", "sync"]) {
          const refreshed = await send("POST", `/v1/collections/${collectionId}/refresh?mode=${mode}`, {});
          expectClean(`refresh ${mode}`, refreshed);
          expect(refreshed.status).toBe(200);
        }
        await artifactsOf(collectionId);
        expectNoSecretInBlobs();
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        // SKILL.md becomes a link to owner.key (its first line used to become the description); skills/ a link to a look-alike.
        examples: [
          [[{ position: "skills/gamma", target: "dangling" }], [{ position: "skills/alpha/SKILL.md", target: "owner-key" }]],
          [[{ position: "skills/gamma", target: "outside-folder" }], [{ position: "skills", target: "outside-folder" }]],
        ],
      },
    );
  });

  it("refuses a local source that is a symlink, or is reached through one, with a 422 that says so", async () => {
    const created = await send("POST", "/v1/collections", { name: "symlinked roots" });
    const collectionId = (JSON.parse(created.text) as { id: string }).id;
    const dir = join(root, "roots");
    writeFiles(dir, { "real/skills/alpha/SKILL.md": skillFile({ title: "Alpha" }) });
    symlinkSync(outside, join(dir, "to-outside"));
    symlinkSync(join(dir, "real"), join(dir, "to-real"));
    symlinkSync(ownerKeyFile, join(dir, "key.md"));
    for (const source of [join(dir, "to-outside"), join(dir, "to-real"), join(dir, "to-real", "skills", "alpha"), join(dir, "key.md")]) {
      const answer = await send("POST", `/v1/collections/${collectionId}/artifacts`, { source, type: "command" });
      expectClean(source, answer);
      expect(answer.status, source).toBe(422);
      expect((JSON.parse(answer.text) as { message: string }).message, source).toMatch(/symlink/);
    }
    await artifactsOf(collectionId);
  });
});
