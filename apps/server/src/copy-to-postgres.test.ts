import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchPostgres } from "@scriptorium/db/testing";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { runCopyToPostgres, start, stop, type Started } from "./testing/processes";

const KEY = "copy-owner-key-0123456789abcdef";

async function call(url: string, method: string, path: string, body?: unknown, key = KEY): Promise<{ status: number; body: unknown; bytes: Buffer; etag: string | null }> {
  const response = await fetch(`${url}/api${path}`, {
    method,
    headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get("content-type")?.startsWith("application/json") ? (JSON.parse(bytes.toString("utf8")) as unknown) : null;
  return { status: response.status, body: json, bytes, etag: response.headers.get("etag") };
}

/** What a user can read back from an installation, for before-and-after comparison. */
async function everything(url: string, ids: { collection: string; project: string }, readKey: string) {
  const read = async (path: string) => {
    const answer = await call(url, "GET", path);
    expect(answer.status, path).toBe(200);
    return answer.body;
  };
  const download = await call(url, "GET", `/v2/projects/${ids.project}/export/txt`);
  return {
    keys: await read("/v1/keys"),
    collections: await read("/v1/collections"),
    artifacts: await read(`/v1/collections/${ids.collection}/artifacts`),
    snapshots: await read(`/v1/collections/${ids.collection}/snapshots`),
    projects: await read("/v2/projects"),
    job: await read(`/v2/projects/${ids.project}/generate/status`),
    stages: await read(`/v2/projects/${ids.project}/generate/stages`),
    characters: await read(`/v2/projects/${ids.project}/generate/stages/4`),
    events: await read(`/v2/projects/${ids.project}/generate/events`),
    manuscript: await read(`/v2/projects/${ids.project}/manuscript`),
    exports: await read(`/v2/projects/${ids.project}/export`),
    download: { status: download.status, etag: download.etag, sha256: createHash("sha256").update(download.bytes).digest("hex") },
    readKeyWorks: (await call(url, "GET", "/v1/whoami", undefined, readKey)).status,
  };
}

describe("moving an embedded installation to PostgreSQL", { timeout: 240_000 }, () => {
  let dataDir: string;
  let sources: string;
  let postgres: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    dataDir = tempDir("scriptorium-copy-");
    sources = tempDir("scriptorium-copy-sources-");
    postgres = await createScratchPostgres();
  });
  afterAll(async () => {
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(sources, { recursive: true, force: true });
  });

  it("copies every collection, artifact, snapshot, project, stage output, event, export and key", async () => {
    writeFiles(sources, { "skills/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }), "skills/pdf/SKILL.md": skillFile({ title: "PDF" }) });
    const embedded: Started = await start({ SCRIPTORIUM_DATA_DIR: dataDir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY, SCRIPTORIUM_DASHBOARD: "off" });
    let before: Awaited<ReturnType<typeof everything>>;
    let ids: { collection: string; project: string };
    let readKey: string;
    try {
      const url = embedded.url;
      const collection = (await call(url, "POST", "/v1/collections", { name: "Moved" })).body as { id: string };
      expect((await call(url, "POST", `/v1/collections/${collection.id}/artifacts`, { source: join(sources, "skills") })).status).toBe(200);
      writeFileSync(join(sources, "skills/pdf/SKILL.md"), skillFile({ title: "PDF", description: "Reads PDFs" }));
      expect((await call(url, "POST", `/v1/collections/${collection.id}/refresh`, { mode: "sync" })).status).toBe(200);
      readKey = ((await call(url, "POST", "/v1/keys", { name: "reader", scope: "read" })).body as { key: string }).key;
      const project = (await call(url, "POST", "/v2/projects", { title: "Carried Over", target_words: 3_000, chapters: 2, seed: 3 })).body as { id: string };
      await call(url, "POST", `/v2/projects/${project.id}/generate`, {});
      for (let job = { status: "" }; job.status !== "completed"; await new Promise((resolve) => setTimeout(resolve, 50))) {
        job = (await call(url, "GET", `/v2/projects/${project.id}/generate/status`)).body as { status: string };
      }
      expect((await call(url, "POST", `/v2/projects/${project.id}/export`, { formats: ["txt", "epub"] })).status).toBe(200);
      ids = { collection: collection.id, project: project.id };
      before = await everything(url, ids, readKey);

      // While the embedded server runs, its data directory is locked: the copy refuses to start.
      const blocked = runCopyToPostgres({ SCRIPTORIUM_DATA_DIR: dataDir, DATABASE_URL: postgres.url });
      expect(await blocked.exited).toBe(1);
      expect(blocked.errors()).toContain("is in use by another Scriptorium process");
    } finally {
      expect(await stop(embedded)).toBe(0);
    }

    const copy = runCopyToPostgres({ SCRIPTORIUM_DATA_DIR: dataDir, DATABASE_URL: postgres.url });
    expect(await copy.exited, copy.errors()).toBe(0);
    expect(copy.output()).toContain("artifacts: 2 rows");

    expect(copy.output()).toMatch(/files: \d+ \(artifact contents and exports\)/);

    // A node with a data directory of its own (nothing shared with the embedded one) serves the same files, from the database.
    const movedDir = mkdtempSync(join(tmpdir(), "scriptorium-moved-"));
    const moved = await start({ SCRIPTORIUM_DATA_DIR: movedDir, DATABASE_URL: postgres.url, SCRIPTORIUM_DASHBOARD: "off" });
    try {
      expect(await everything(moved.url, ids, readKey)).toEqual(before);
      // Still a working installation: the copied project builds another format.
      expect((await call(moved.url, "POST", `/v2/projects/${ids.project}/export`, { formats: ["md"] })).status).toBe(200);
    } finally {
      await stop(moved);
      rmSync(movedDir, { recursive: true, force: true });
    }

    // A second copy would mix two installations: refused, nothing written.
    const again = runCopyToPostgres({ SCRIPTORIUM_DATA_DIR: dataDir, DATABASE_URL: postgres.url });
    expect(await again.exited).toBe(1);
    expect(again.errors()).toContain("already holds data");
  });
});
