import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptoriumClient, type ScriptoriumClient } from "@scriptorium/client";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Json = Record<string, unknown>;

describe("collections over REST and tRPC", () => {
  let server: RunningTestServer;
  let client: ScriptoriumClient;
  let root: string;
  let repo: GitRepoFixture;

  async function rest(method: string, path: string, body?: unknown, key = server.ownerKey): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  }

  beforeAll(async () => {
    server = await startTestServer();
    client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    root = tempDir("collections-api");
    writeFiles(root, {
      "local/skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws", author: "Ada" }),
      "local/skills/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }),
    });
    repo = new GitRepoFixture(root, "remote");
    repo.write({ "skills/review/SKILL.md": skillFile({ title: "Review", description: "Reviews" }), "skills/review/checklist.md": "- [ ] tests\n" }).commit("first");
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("creates, lists, renames and deletes collections; names are unique per workspace", async () => {
    const created = await rest("POST", "/v1/collections", { name: "Scratch", description: "temporary" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: "Scratch", description: "temporary", artifact_count: 0 });
    expect((await rest("POST", "/v1/collections", { name: "Scratch" })).status).toBe(409);
    const id = created.body.id as string;
    const renamed = await rest("PATCH", `/v1/collections/${id}`, { name: "Renamed" });
    expect(renamed.body).toMatchObject({ id, name: "Renamed" });
    const listed = await rest("GET", "/v1/collections");
    expect((listed.body.items as Json[]).some((item) => item.id === id)).toBe(true);
    expect(await rest("DELETE", `/v1/collections/${id}`)).toMatchObject({ status: 200, body: { id, deleted: true } });
    expect((await rest("GET", `/v1/collections/${id}`)).status).toBe(404);
  });

  it("imports every artifact a folder holds, and a single git artifact, through the short and long forms", async () => {
    const collection = await client.collections.create.mutate({ name: "Imports" });
    const local = await rest("POST", `/v1/collections/${collection.id}/artifacts`, { source: join(root, "local") });
    expect(local.status).toBe(200);
    expect((local.body.items as Json[]).map((item) => item.name).sort()).toEqual(["canvas", "pdf"]);
    const git = await client.artifacts.add.mutate({ collection_id: collection.id, source: { kind: "git", url: repo.url, path: "skills/review", ref: "main" } });
    expect(git.items[0]).toMatchObject({ name: "review", type: "skill", tracked_ref: "main", metadata: { title: "Review" } });
    expect(git.items[0]?.files.map((file) => file.path)).toEqual(["SKILL.md", "checklist.md"]);

    const filtered = await rest("GET", `/v1/collections/${collection.id}/artifacts?type=skill&name_pattern=C*`);
    expect((filtered.body.items as Json[]).map((item) => item.name)).toEqual(["canvas"]);
    const again = await rest("POST", `/v1/collections/${collection.id}/artifacts`, { source: join(root, "local/skills/pdf") });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('skill named "pdf"');
    const missing = await rest("POST", `/v1/collections/${collection.id}/artifacts`, { source: join(root, "nowhere") });
    expect(missing).toMatchObject({ status: 422, body: { code: "UNPROCESSABLE_CONTENT", message: expect.stringContaining("Nothing found") } });
  });

  describe("POST /api/v1/collections/{id}/refresh", () => {
    let id: string;
    beforeAll(async () => {
      id = (await client.collections.create.mutate({ name: "Refreshing" })).id;
      await client.artifacts.add.mutate({ collection_id: id, source: join(root, "local") });
    });

    it("accepts no body, an empty body and {} alike, defaulting to metadata mode, in the one response shape", async () => {
      for (const init of [{}, { body: "" }, { body: "{}", headers: { "content-type": "application/json" } }]) {
        const response = await fetch(`${server.url}/api/v1/collections/${id}/refresh`, { method: "POST", headers: { "x-api-key": server.ownerKey, ...("headers" in init ? init.headers : {}) }, body: init.body });
        expect(response.status).toBe(200);
        const body = (await response.json()) as Json;
        expect(Object.keys(body).sort()).toEqual(["dry_run", "mode", "request_id", "result", "snapshot_id", "status", "timestamp", "took_ms"]);
        expect(body).toMatchObject({ status: "success", mode: "metadata", dry_run: false });
        expect(Object.keys(body.result as Json).sort()).toEqual(["duration_ms", "entries", "error_count", "refreshed_count", "skipped_count", "unchanged_count", "update_available_count"]);
        expect(response.headers.get("x-request-id")).toBe(body.request_id);
      }
    });

    it("lets ?mode= override the body, and accepts the mode aliases", async () => {
      writeFileSync(join(root, "local/skills/canvas/SKILL.md"), skillFile({ title: "Canvas", description: "Draws more" }));
      const response = await rest("POST", `/v1/collections/${id}/refresh?mode=check`, { mode: "metadata_only" });
      expect(response.body.mode).toBe("check");
      const entries = (response.body.result as { entries: Json[] }).entries;
      expect(entries.find((entry) => entry.name === "canvas")).toMatchObject({ status: "refreshed", update_available: true });
      expect(response.body.snapshot_id).toBeNull();
      expect((await rest("POST", `/v1/collections/${id}/refresh`, { mode: "check_only" })).body.mode).toBe("check");
    });

    it("reads dry_run from the query as a real boolean", async () => {
      const dry = await rest("POST", `/v1/collections/${id}/refresh`, { dry_run: "true" });
      expect(dry.body).toMatchObject({ dry_run: true, snapshot_id: null });
      const notDry = await rest("POST", `/v1/collections/${id}/refresh`, { dry_run: "false", fields: ["description"] });
      expect(notDry.body).toMatchObject({ dry_run: false });
      expect(notDry.body.snapshot_id).toEqual(expect.any(String));
    });

    it("answers 422 naming the bad value and the valid ones, for mode, filter type and fields", async () => {
      const badType = await rest("POST", `/v1/collections/${id}/refresh`, { artifact_filter: { type: "plugin" } });
      expect(badType.status).toBe(422);
      expect(badType.body.message).toContain('"plugin" is not valid: expected one of "skill", "command", "agent", "hook", "mcp", "workflow"');
      expect(badType.body.fields).toEqual([{ path: "artifact_filter.type", message: expect.stringContaining("plugin") }]);
      const badMode = await rest("POST", `/v1/collections/${id}/refresh?mode=everything`);
      expect(badMode.status).toBe(422);
      expect(badMode.body.message).toContain('"everything"');
      const badField = await rest("POST", `/v1/collections/${id}/refresh`, { fields: ["title", "colour"] });
      expect(badField.status).toBe(422);
      expect(badField.body.message).toContain('"colour"');
    });

    it("answers 404 for an unknown collection and 400 for malformed JSON", async () => {
      const missing = await rest("POST", "/v1/collections/00000000-0000-0000-0000-000000000000/refresh");
      expect(missing).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
      const malformed = await fetch(`${server.url}/api/v1/collections/${id}/refresh`, { method: "POST", headers: { "x-api-key": server.ownerKey, "content-type": "application/json" }, body: '{"mode":' });
      expect(malformed.status).toBe(400);
    });

    it("gives the same result over tRPC as over REST", async () => {
      const viaRest = await rest("POST", `/v1/collections/${id}/refresh`, { mode: "check", dry_run: true });
      const viaTrpc = await client.collections.refresh.mutate({ collection_id: id, mode: "check", dry_run: true });
      const strip = (result: { entries: Json[] }) => result.entries.map(({ duration_ms: _d, ...rest }) => rest);
      expect(strip(viaTrpc.result as unknown as { entries: Json[] })).toEqual(strip(viaRest.body.result as { entries: Json[] }));
    });

    it("syncs, lists the snapshot, and rolls back to the newest by default", async () => {
      const sync = await rest("POST", `/v1/collections/${id}/refresh?mode=sync`);
      expect(sync.body.snapshot_id).toEqual(expect.any(String));
      const snapshots = await rest("GET", `/v1/collections/${id}/snapshots`);
      const newest = (snapshots.body.items as Json[])[0];
      expect(newest).toMatchObject({ id: sync.body.snapshot_id, mode: "sync", artifact_names: ["skill/canvas"] });
      const rollback = await rest("POST", `/v1/collections/${id}/rollback`);
      expect(rollback.body).toMatchObject({ snapshot_id: sync.body.snapshot_id, restored_count: 1, undo_snapshot_id: expect.any(String) });
      const check = await client.collections.refresh.mutate({ collection_id: id, mode: "check" });
      expect(check.result.entries.find((entry) => entry.name === "canvas")?.update_available).toBe(true);
    });
  });

  it("keeps workspaces apart and scopes enforced", async () => {
    const { admin_key } = (await rest("POST", "/v1/workspaces", { name: "Other tenant" })).body as { admin_key: { key: string } };
    const mine = await client.collections.create.mutate({ name: "Private" });
    expect((await rest("GET", `/v1/collections/${mine.id}`, undefined, admin_key.key)).status).toBe(404);
    expect((await rest("POST", `/v1/collections/${mine.id}/refresh`, undefined, admin_key.key)).status).toBe(404);
    expect((await rest("GET", `/v1/collections/${mine.id}/snapshots`, undefined, admin_key.key)).status).toBe(404);
    const reader = (await client.keys.create.mutate({ name: "reader", scope: "read" })).key;
    expect((await rest("GET", `/v1/collections/${mine.id}`, undefined, reader)).status).toBe(200);
    expect((await rest("POST", `/v1/collections/${mine.id}/refresh`, undefined, reader)).status).toBe(403);
  });
});
