import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitRepoFixture, plantKey, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * Who may add sources read from the server's own disk (local folders and
 * `file://` git repositories), over REST and tRPC on a real server. With
 * SCRIPTORIUM_LOCAL_ROOTS unset only owner keys of the first workspace may;
 * every other key gets a 403 naming the variable and nothing is added. With
 * it set, any write key may add sources inside the roots, and a path
 * outside them answers the same 422 whether or not anything is there.
 * Artifacts already added keep refreshing whoever asks.
 */

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function rest(server: RunningTestServer, key: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** An answer without what differs on every request, to compare two answers as the caller sees them. */
function withoutRequestId(answer: Answer): Answer {
  const { request_id: _requestId, ...body } = answer.body;
  return { status: answer.status, body };
}

async function newCollection(server: RunningTestServer, key: string, name: string): Promise<string> {
  const created = await rest(server, key, "POST", "/v1/collections", { name });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body.id as string;
}

async function artifactCount(server: RunningTestServer, key: string, collectionId: string): Promise<number> {
  const listed = await rest(server, key, "GET", `/v1/collections/${collectionId}/artifacts`);
  return (listed.body.items as unknown[]).length;
}

async function newKey(server: RunningTestServer, name: string, scope: "write" | "admin"): Promise<string> {
  const created = await rest(server, server.ownerKey, "POST", "/v1/keys", { name, scope });
  expect(created.status).toBe(200);
  return created.body.key as string;
}

/** A second workspace, with its admin key (as the API gives it) and an owner key (which the API never issues outside the first). */
async function secondWorkspace(server: RunningTestServer, name: string): Promise<{ admin: string; owner: string }> {
  const created = await rest(server, server.ownerKey, "POST", "/v1/workspaces", { name });
  expect(created.status).toBe(200);
  const { workspace, admin_key } = created.body as { workspace: { id: string }; admin_key: { key: string } };
  return { admin: admin_key.key, owner: await plantKey(server.app.database.db, workspace.id, "owner") };
}

describe("local sources with SCRIPTORIUM_LOCAL_ROOTS unset", () => {
  let server: RunningTestServer;
  let root: string;
  let folder: string;
  let repo: GitRepoFixture;
  let keys: Record<"firstAdmin" | "firstWrite" | "secondAdmin" | "secondOwner", string>;

  beforeAll(async () => {
    root = tempDir("local-access");
    folder = join(root, "skills");
    writeFiles(folder, { "canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }) });
    repo = new GitRepoFixture(root, "shared");
    repo.write({ "skills/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }) }).commit("first");
    server = await startTestServer("pglite");
    const second = await secondWorkspace(server, "Tenant");
    keys = {
      firstAdmin: await newKey(server, "first admin", "admin"),
      firstWrite: await newKey(server, "first writer", "write"),
      secondAdmin: second.admin,
      secondOwner: second.owner,
    };
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("lets owner keys of the first workspace add local folders and file:// repositories", async () => {
    const collectionId = await newCollection(server, server.ownerKey, "operator's");
    const local = await rest(server, server.ownerKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source: folder });
    expect(local.status, JSON.stringify(local.body)).toBe(200);
    expect(local.body).toMatchObject({ items: [{ name: "canvas", type: "skill" }] });
    const git = await rest(server, server.ownerKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } });
    expect(git.status, JSON.stringify(git.body)).toBe(200);
    expect(git.body).toMatchObject({ items: [{ name: "pdf", type: "skill" }] });
  });

  for (const who of ["firstAdmin", "firstWrite", "secondAdmin", "secondOwner"] as const) {
    it(`answers 403 naming SCRIPTORIUM_LOCAL_ROOTS to the ${who} key, for folders and file:// repositories, existing or not, and adds nothing`, async () => {
      const key = keys[who];
      const collectionId = await newCollection(server, key, `refused to ${who}`);
      const sources = [
        folder,
        { kind: "local", path: join(folder, "canvas") },
        join(root, "nothing-here"),
        { kind: "git", url: repo.url, path: "skills", ref: "main" },
        { kind: "git", url: `file://${join(root, "nothing-here.git")}`, path: "", ref: "main" },
      ];
      const answers: Answer[] = [];
      for (const source of sources) {
        const answer = await rest(server, key, "POST", `/v1/collections/${collectionId}/artifacts`, { source });
        expect(answer.status, JSON.stringify(source)).toBe(403);
        expect(answer.body).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("SCRIPTORIUM_LOCAL_ROOTS") });
        answers.push(withoutRequestId(answer));
      }
      // One answer for every path: a refused key learns nothing about what is on the disk.
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(await artifactCount(server, key, collectionId)).toBe(0);
    });
  }

  it("answers 403 through tRPC's artifacts.add too", async () => {
    const collectionId = await newCollection(server, keys.secondAdmin, "refused over tRPC");
    const response = await fetch(`${server.url}/trpc/artifacts.add`, {
      method: "POST",
      headers: { "x-api-key": keys.secondAdmin, "content-type": "application/json" },
      body: JSON.stringify({ collection_id: collectionId, source: { kind: "git", url: repo.url, path: "skills", ref: "main" } }),
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe("FORBIDDEN");
    expect(body.error.message).toContain("SCRIPTORIUM_LOCAL_ROOTS");
    expect(await artifactCount(server, keys.secondAdmin, collectionId)).toBe(0);
  });

  it("still answers 422 before 403 for the data directory, so no key learns more there", async () => {
    const collectionId = await newCollection(server, keys.secondAdmin, "data directory");
    const answer = await rest(server, keys.secondAdmin, "POST", `/v1/collections/${collectionId}/artifacts`, { source: join(server.dataDir, "owner.key") });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/lies inside Scriptorium's data directory/);
  });

  it("keeps refreshing artifacts already added, whichever key of the workspace asks", async () => {
    const source = join(root, "refreshed");
    writeFiles(source, { "SKILL.md": skillFile({ title: "Refreshed", description: "Before" }) });
    const collectionId = await newCollection(server, server.ownerKey, "refreshed by a writer");
    expect((await rest(server, server.ownerKey, "POST", `/v1/collections/${collectionId}/artifacts`, { source, type: "skill", name: "refreshed" })).status).toBe(200);
    writeFileSync(join(source, "SKILL.md"), skillFile({ title: "Refreshed", description: "After" }));
    const synced = await rest(server, keys.firstWrite, "POST", `/v1/collections/${collectionId}/refresh`, { mode: "sync" });
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body).toMatchObject({ status: "success", result: { refreshed_count: 1, error_count: 0 } });
    const listed = await rest(server, keys.firstWrite, "GET", `/v1/collections/${collectionId}/artifacts`);
    expect(listed.body).toMatchObject({ items: [{ name: "refreshed", metadata: { description: "After" } }] });
  });
});

describe("local sources with SCRIPTORIUM_LOCAL_ROOTS set", () => {
  let server: RunningTestServer;
  let root: string;
  let allowed: string;
  let tenantAdmin: string;

  beforeAll(async () => {
    root = tempDir("local-access-roots");
    allowed = join(root, "allowed");
    writeFiles(allowed, { "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }) });
    new GitRepoFixture(allowed, "shared").write({ "skills/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }) }).commit("first");
    server = await startTestServer("pglite", { localRoots: [allowed] });
    tenantAdmin = (await secondWorkspace(server, "Tenant")).admin;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("lets another workspace's admin add folders and file:// repositories inside the roots", async () => {
    const collectionId = await newCollection(server, tenantAdmin, "inside the roots");
    const local = await rest(server, tenantAdmin, "POST", `/v1/collections/${collectionId}/artifacts`, { source: join(allowed, "skills") });
    expect(local.status, JSON.stringify(local.body)).toBe(200);
    expect(local.body).toMatchObject({ items: [{ name: "canvas", type: "skill" }] });
    const git = await rest(server, tenantAdmin, "POST", `/v1/collections/${collectionId}/artifacts`, {
      source: { kind: "git", url: `file://${join(allowed, "shared.git")}`, path: "skills", ref: "main" },
    });
    expect(git.status, JSON.stringify(git.body)).toBe(200);
    expect(git.body).toMatchObject({ items: [{ name: "pdf", type: "skill" }] });
  });

  it("answers a path outside the roots with the same 422 whether or not anything is there", async () => {
    const collectionId = await newCollection(server, tenantAdmin, "outside the roots");
    const outside = join(root, "elsewhere");
    const add = (source: unknown) => rest(server, tenantAdmin, "POST", `/v1/collections/${collectionId}/artifacts`, { source }).then(withoutRequestId);
    const localSource = join(outside, "skills");
    const gitSource = { kind: "git", url: `file://${join(outside, "shared.git")}`, path: "skills", ref: "main" };
    // A link's target is not named either: git would follow it, but the answer is given for the path as written.
    const linkedGitSource = { kind: "git", url: `file://${join(outside, "linked.git")}`, path: "skills", ref: "main" };

    const missingLocal = await add(localSource);
    const missingGit = await add(gitSource);
    const missingLinkedGit = await add(linkedGitSource);
    writeFiles(outside, { "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }) });
    new GitRepoFixture(outside, "shared").write({ "skills/pdf/SKILL.md": skillFile({ title: "PDF" }) }).commit("first");
    symlinkSync(join(outside, "shared.git"), join(outside, "linked.git"));
    const existingLocal = await add(localSource);
    const existingGit = await add(gitSource);
    const existingLinkedGit = await add(linkedGitSource);

    expect(missingLocal).toMatchObject({ status: 422, body: { code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining(`is outside the folders local sources may be read from (SCRIPTORIUM_LOCAL_ROOTS: ${allowed})`) } });
    expect(missingGit).toMatchObject({ status: 422, body: { code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("SCRIPTORIUM_LOCAL_ROOTS") } });
    expect(JSON.stringify(existingLocal)).toBe(JSON.stringify(missingLocal));
    expect(JSON.stringify(existingGit)).toBe(JSON.stringify(missingGit));
    expect(JSON.stringify(existingLinkedGit)).toBe(JSON.stringify(missingLinkedGit));
    expect(await artifactCount(server, tenantAdmin, collectionId)).toBe(0);
  });
});
