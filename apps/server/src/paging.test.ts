import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptoriumClient, type ScriptoriumClient } from "@scriptorium/client";
import { ENGINES } from "@scriptorium/db/testing";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Json = Record<string, unknown>;
interface Page {
  items: Json[];
  next_cursor: string | null;
  total?: number;
}

/** Skill folders `skill-000` … with a description naming the skill's group (every tenth is "rare"). */
function skills(from: number, count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, offset) => {
      const index = from + offset;
      const name = `skill-${String(index).padStart(3, "0")}`;
      return [`${name}/SKILL.md`, skillFile({ title: `Skill ${index}`, description: index % 10 === 0 ? "A rare orchid" : "A common fern", tags: [`group-${index % 3}`] })];
    }),
  );
}

describe.each(ENGINES)("paged lists (%s)", (engine) => {
  let server: RunningTestServer;
  let client: ScriptoriumClient;
  let root: string;
  let collectionId: string;

  async function rest<T = Json>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": server.ownerKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Every item of a REST list, following `next_cursor`; `between` runs after each page but the last. */
  async function everyPage(path: string, between: (page: number) => Promise<void> = async () => undefined): Promise<{ pages: Page[]; names: string[] }> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const answer: { status: number; body: Page } = await rest<Page>("GET", cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      cursor = answer.body.next_cursor;
      if (cursor) await between(pages.length);
    } while (cursor);
    return { pages, names: pages.flatMap((page) => page.items.map((item) => item.name as string)) };
  }

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    root = tempDir("paging");
    writeFiles(join(root, "first"), skills(0, 120));
    collectionId = (await client.collections.create.mutate({ name: "Garden" })).id;
    await client.artifacts.add.mutate({ collection_id: collectionId, source: join(root, "first") });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("pages artifacts 50 at a time by default, with the total, and never skips or repeats one while others are added", async () => {
    writeFiles(join(root, "later"), { "aaa-early/SKILL.md": skillFile({ title: "Early" }), "zzz-late/SKILL.md": skillFile({ title: "Late" }) });
    const { pages, names } = await everyPage(`/v1/collections/${collectionId}/artifacts?limit=50`, async (page) => {
      // Added between the first and second page: one sorts before the pages read, one after.
      if (page === 1) await client.artifacts.add.mutate({ collection_id: collectionId, source: join(root, "later") });
    });
    expect(pages.map((page) => page.items.length)).toEqual([50, 50, 21]);
    expect(pages[0]?.total).toBe(120);
    const original = Object.keys(skills(0, 120)).map((path) => path.split("/")[0]);
    // Every artifact that existed throughout, once, in name order; the one added behind the cursor is not seen, the one ahead is.
    expect(names).toEqual([...original, "zzz-late"]);
    expect(new Set(names).size).toBe(names.length);
    expect((await rest<Json>("GET", `/v1/collections/${collectionId}`)).body.artifact_count).toBe(122);
    const removed = (await client.artifacts.list.query({ collection_id: collectionId, name_pattern: "aaa-early" })).items[0];
    await client.artifacts.remove.mutate({ collection_id: collectionId, artifact_id: String(removed?.id) });
    await client.artifacts.remove.mutate({
      collection_id: collectionId,
      artifact_id: String((await client.artifacts.list.query({ collection_id: collectionId, name_pattern: "zzz-late" })).items[0]?.id),
    });
    expect((await client.collections.get.query({ collection_id: collectionId })).artifact_count).toBe(120);
  });

  it("filters and searches on the server, and sorts by name or last change either way", async () => {
    const rare = await everyPage(`/v1/collections/${collectionId}/artifacts?q=rare%20ORCHID&limit=5`);
    expect(rare.names).toEqual(Array.from({ length: 12 }, (_, index) => `skill-${String(index * 10).padStart(3, "0")}`));
    expect(rare.pages[0]?.total).toBeUndefined();
    const tagged = await client.artifacts.list.query({ collection_id: collectionId, q: "group-1", limit: 500 });
    expect(tagged.items).toHaveLength(40);
    const glob = await everyPage(`/v1/collections/${collectionId}/artifacts?name_pattern=skill-1?5&limit=3`);
    expect(glob.names).toEqual(Array.from({ length: 2 }, (_, index) => `skill-1${index}5`));
    expect(glob.pages.length).toBe(1);
    const none = await rest<Page>("GET", `/v1/collections/${collectionId}/artifacts?type=hook`);
    expect(none.body).toEqual({ items: [], next_cursor: null });
    const descending = await everyPage(`/v1/collections/${collectionId}/artifacts?order=desc&limit=100`);
    expect(descending.names[0]).toBe("skill-119");
    expect(descending.names).toHaveLength(120);
    const byChange = await everyPage(`/v1/collections/${collectionId}/artifacts?sort=updated_at&limit=40`);
    expect(new Set(byChange.names).size).toBe(120);
    const updated = byChange.pages.flatMap((page) => page.items.map((item) => Date.parse(item.updated_at as string)));
    expect(updated).toEqual([...updated].sort((a, b) => b - a));
  });

  it("refuses a cursor it did not issue, one from another list, and a limit over 500, with 422 naming the field", async () => {
    const path = `/v1/collections/${collectionId}/artifacts`;
    for (const cursor of ["not-a-cursor", Buffer.from('{"v":1,"o":"artifacts:name:asc"}').toString("base64url")]) {
      const answer = await rest<{ code: string; message: string; fields: Json[] }>("GET", `${path}?cursor=${cursor}`);
      expect(answer.status).toBe(422);
      expect(answer.body.message).toMatch(/cursor: this is not a cursor Scriptorium issued/);
      expect(answer.body.fields).toEqual([{ path: "cursor", message: "this is not a cursor Scriptorium issued" }]);
    }
    const byName = await rest<Page>("GET", `${path}?limit=1`);
    const mismatched = await rest<{ message: string }>("GET", `${path}?sort=updated_at&cursor=${byName.body.next_cursor}`);
    expect(mismatched.status).toBe(422);
    expect(mismatched.body.message).toMatch(/another list or sort order/);
    const fromCollections = await rest<{ message: string }>("GET", `/v1/collections?cursor=${byName.body.next_cursor}`);
    expect(fromCollections.status).toBe(422);
    for (const limit of ["501", "0", "ten"]) expect((await rest("GET", `${path}?limit=${limit}`)).status).toBe(422);
    await expect(client.artifacts.list.query({ collection_id: collectionId, limit: 501 })).rejects.toMatchObject({ data: { httpStatus: 422 } });
  });

  it("pages collections, projects, keys and snapshots the same way", async () => {
    for (let index = 0; index < 3; index += 1) await client.collections.create.mutate({ name: `Bed ${index}` });
    for (let index = 0; index < 3; index += 1) await client.projects.create.mutate({ title: `Book ${index}`, genre: "mystery", target_words: 3_000 });
    for (let index = 0; index < 3; index += 1) await client.keys.create.mutate({ name: `Script ${index}`, scope: "read" });
    const collections = await everyPage("/v1/collections?limit=2");
    expect(collections.names).toEqual(["Bed 0", "Bed 1", "Bed 2", "Garden"]);
    const projects = await everyPage("/v2/projects?limit=2");
    expect(projects.pages.flatMap((page) => page.items.map((item) => item.title))).toEqual(["Book 2", "Book 1", "Book 0"]);
    const keys = await everyPage("/v1/keys?limit=3");
    expect(keys.names.slice(-3)).toEqual(["Script 0", "Script 1", "Script 2"]);
    writeFiles(join(root, "first"), { "skill-000/SKILL.md": skillFile({ title: "Skill 0", description: "A changed orchid" }) });
    await client.collections.refresh.mutate({ collection_id: collectionId, mode: "metadata" });
    writeFiles(join(root, "first"), { "skill-000/SKILL.md": skillFile({ title: "Skill 0", description: "Changed again" }) });
    await client.collections.refresh.mutate({ collection_id: collectionId, mode: "metadata" });
    const snapshots = await everyPage(`/v1/collections/${collectionId}/snapshots?limit=1`);
    expect(snapshots.pages.map((page) => page.items.length)).toEqual([1, 1]);
    // The default page is 50: a list longer than that ends its first page with a cursor.
    const first = await client.artifacts.list.query({ collection_id: collectionId });
    expect(first.items).toHaveLength(50);
    expect(first.next_cursor).toEqual(expect.any(String));
  });

  it("lists only the entries a refresh was asked for, with complete counts", async () => {
    writeFiles(join(root, "first"), { "skill-001/SKILL.md": skillFile({ title: "Skill 1", description: "Renamed fern" }) });
    const changed = await rest<{ result: { refreshed_count: number; unchanged_count: number; entries: Json[] } }>(
      "POST",
      `/v1/collections/${collectionId}/refresh?entries=changed`,
      { mode: "metadata" },
    );
    expect(changed.status).toBe(200);
    expect(changed.body.result.refreshed_count).toBe(1);
    expect(changed.body.result.unchanged_count).toBe(119);
    expect(changed.body.result.entries.map((entry) => entry.name)).toEqual(["skill-001"]);
    const none = await client.collections.refresh.mutate({ collection_id: collectionId, mode: "metadata", entries: "none" });
    expect(none.result.entries).toEqual([]);
    expect(none.result.unchanged_count).toBe(120);
    const all = await client.collections.refresh.mutate({ collection_id: collectionId, mode: "metadata", dry_run: true });
    expect(all.result.entries).toHaveLength(120);
  });
});
