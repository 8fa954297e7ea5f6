import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * Local sources and Scriptorium's own data directory, over REST. The data
 * directory holds the generated owner key, the embedded database and every
 * workspace's stored copies and git mirrors: a write key (of any workspace)
 * that names it, anything in it or a folder holding it as a source gets a
 * 422, and the owner key never appears in an answer. With
 * SCRIPTORIUM_LOCAL_ROOTS set, sources outside those folders get a 422 too.
 */

interface Answer {
  status: number;
  text: string;
  headers: string;
}

async function send(server: RunningTestServer, key: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: JSON.stringify([...response.headers]) };
}

function idOf(answer: Answer): string {
  return (JSON.parse(answer.text) as { id: string }).id;
}

describe("local sources never read the data directory", () => {
  let server: RunningTestServer;
  let ownerKey: string;
  let writeKey: string;
  let root: string;

  /** Every answer of the suite: none may carry the owner key. */
  const answers: Answer[] = [];
  async function call(key: string, method: string, path: string, body?: unknown): Promise<Answer> {
    const answer = await send(server, key, method, path, body);
    answers.push(answer);
    expect(answer.status, answer.text).toBeLessThan(500);
    return answer;
  }

  beforeAll(async () => {
    server = await startTestServer("pglite", { bootstrapKey: undefined });
    if (!server.app.generatedOwnerKey) throw new Error("The server should have generated its owner key.");
    ownerKey = server.app.generatedOwnerKey;
    writeKey = (JSON.parse((await call(ownerKey, "POST", "/v1/keys", { name: "writer", scope: "write" })).text) as { key: string }).key;
    root = tempDir("local-sources-api");
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("answers 422 for the owner key file, and the refresh that used to return it has nothing to return", async () => {
    const collectionId = idOf(await call(writeKey, "POST", "/v1/collections", { name: "owner key" }));
    const added = await call(writeKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source: join(server.dataDir, "owner.key"), type: "command" });
    expect(added.status).toBe(422);
    const ownerKeyFile = join(server.dataDir, "owner.key");
    expect(JSON.parse(added.text)).toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
      message: `Cannot read ${ownerKeyFile}: ${ownerKeyFile} lies inside Scriptorium's data directory, which is never read as a source.`,
      fields: [{ path: "source", message: expect.stringContaining("data directory") }],
    });
    const synced = await call(writeKey, "POST", `/v1/collections/${collectionId}/refresh?mode=sync`);
    expect(synced.status).toBe(200);
    expect(JSON.parse(synced.text)).toMatchObject({ status: "success", result: { entries: [] } });
    expect(JSON.parse((await call(writeKey, "GET", `/v1/collections/${collectionId}/artifacts`)).text)).toEqual({ items: [], next_cursor: null, total: 0 });
  });

  it("answers 422 for the data directory, anything in it and any folder holding it, in every form", async () => {
    const collectionId = idOf(await call(writeKey, "POST", "/v1/collections", { name: "data directory" }));
    const sources = [
      server.dataDir,
      join(server.dataDir, "blobs"),
      join(server.dataDir, "db"),
      `${server.dataDir}/blobs/../owner.key`,
      { kind: "local", path: join(server.dataDir, "owner.key") },
      dirname(server.dataDir),
      "/",
    ];
    for (const source of sources) {
      const answer = await call(writeKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source, type: "command" });
      expect(answer.status, JSON.stringify(source)).toBe(422);
      expect((JSON.parse(answer.text) as { message: string }).message).toMatch(/(lies inside|holds) Scriptorium's data directory/);
    }
    expect(JSON.parse((await call(writeKey, "GET", `/v1/collections/${collectionId}/artifacts`)).text)).toEqual({ items: [], next_cursor: null, total: 0 });
  });

  it("keeps another workspace's stored copies and git mirrors out of reach", async () => {
    // Workspace A imports from a git repository: its files land in the blob store, the repository in the git cache.
    const repo = new GitRepoFixture(root, "private");
    repo.write({ "skills/secret/SKILL.md": skillFile({ title: "Private", description: "Workspace A only" }) }).commit("first");
    const ownCollection = idOf(await call(ownerKey, "POST", "/v1/collections", { name: "private" }));
    expect((await call(ownerKey, "POST", `/v1/collections/${ownCollection}/artifacts`, { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } })).status).toBe(200);

    const workspace = JSON.parse((await call(ownerKey, "POST", "/v1/workspaces", { name: "B" })).text) as { admin_key: { key: string } };
    const otherKey = workspace.admin_key.key;
    const collectionId = idOf(await call(otherKey, "POST", "/v1/collections", { name: "prying" }));
    const [mirror] = readdirSync(join(server.dataDir, "git"));
    const sources = [join(server.dataDir, "blobs"), { kind: "git", url: `file://${join(server.dataDir, "git", mirror ?? "")}`, path: "skills", ref: "main" }];
    for (const source of sources) {
      const answer = await call(otherKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source, type: "skill" });
      expect(answer.status, JSON.stringify(source)).toBe(422);
      expect(answer.text).not.toContain("Workspace A only");
    }
  });

  it("never put the owner key in an answer", () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer.text + answer.headers).not.toContain(ownerKey);
  });
});

describe("SCRIPTORIUM_LOCAL_ROOTS", () => {
  let server: RunningTestServer;
  let root: string;
  let allowed: string;

  beforeAll(async () => {
    root = tempDir("local-roots");
    allowed = join(root, "allowed");
    writeFiles(root, {
      "allowed/skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }),
      "elsewhere/skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }),
    });
    server = await startTestServer("pglite", { localRoots: [allowed] });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("imports from inside the configured folders and answers 422 naming them for a path outside", async () => {
    const collectionId = idOf(await send(server, server.ownerKey, "POST", "/v1/collections", { name: "roots" }));
    const outside = join(root, "elsewhere");
    const refused = await send(server, server.ownerKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source: outside });
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.text)).toMatchObject({
      code: "UNPROCESSABLE_CONTENT",
      message: `Cannot read ${outside}: ${outside} is outside the folders local sources may be read from (SCRIPTORIUM_LOCAL_ROOTS: ${allowed}).`,
    });
    const imported = await send(server, server.ownerKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source: join(allowed, "skills") });
    expect(imported.status, imported.text).toBe(200);
    expect(JSON.parse(imported.text)).toMatchObject({ items: [{ name: "canvas", type: "skill", metadata: { title: "Canvas", description: "Draws" } }] });
  });
});
