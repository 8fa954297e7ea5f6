import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchPostgres } from "@scriptorium/db/testing";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { ClusterClient } from "./testing/cluster-client";
import { start, stop, type Started } from "./testing/processes";

const BACKUP_CLI = fileURLToPath(new URL("../dist/backup-cli.js", import.meta.url));
const KEY = "backup-test-owner-key-0123456789abcdef";
const BOOK = { title: "Harbour Lights", genre: "mystery", target_words: 4_000, chapters: 2, scenes_per_chapter: 2, seed: 31 };
const owner = new ClusterClient(KEY);

type Json = Record<string, unknown>;

/** `npm run backup|restore -- FILE`, as the built command runs it. */
function cli(command: "backup" | "restore", file: string, env: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [BACKUP_CLI, command, file], { env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env }, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function download(url: string, path: string, key = KEY): Promise<Buffer> {
  const response = await fetch(`${url}/api${path}`, { headers: { "x-api-key": key } });
  expect(response.status, path).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Everything a user can read back of an installation, to compare two of them. */
async function contents(url: string, projectId: string, collectionId: string): Promise<Json> {
  const artifacts = (await owner.api<{ items: Json[] }>(url, "GET", `/v1/collections/${collectionId}/artifacts?limit=500`)).body.items;
  return {
    collections: (await owner.api<Json>(url, "GET", "/v1/collections")).body,
    artifacts,
    snapshots: (await owner.api<Json>(url, "GET", `/v1/collections/${collectionId}/snapshots`)).body,
    keys: (await owner.api<Json>(url, "GET", "/v1/keys")).body,
    project: (await owner.api<Json>(url, "GET", `/v2/projects/${projectId}`)).body,
    manuscript: (await owner.api<Json>(url, "GET", `/v2/projects/${projectId}/manuscript`)).body,
    events: await owner.eventLog(url, projectId),
    exports: (await owner.api<Json>(url, "GET", `/v2/projects/${projectId}/export`)).body,
    epub: (await download(url, `/v2/projects/${projectId}/export/epub`)).toString("base64"),
    markdown: (await download(url, `/v2/projects/${projectId}/export/md`)).toString("utf8"),
  };
}

describe("backup and restore", { timeout: 240_000 }, () => {
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(made);
    return made;
  };
  let source: Started;
  let sourceDir: string;
  let projectId: string;
  let collectionId: string;
  let readKey: string;
  let before: Json;

  beforeAll(async () => {
    sourceDir = dir("scriptorium-backup-source-");
    source = await start({ SCRIPTORIUM_DATA_DIR: sourceDir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY });
    const skills = tempDir("backup-skills");
    dirs.push(skills);
    writeFiles(skills, {
      "canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }),
      "canvas/run.sh": "#!/bin/sh\necho canvas\n",
      "pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }),
    });
    collectionId = (await owner.api<{ id: string }>(source.url, "POST", "/v1/collections", { name: "Kept" })).body.id;
    await owner.api(source.url, "POST", `/v1/collections/${collectionId}/artifacts`, { source: skills });
    writeFiles(skills, { "pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads and writes PDFs" }) });
    await owner.api(source.url, "POST", `/v1/collections/${collectionId}/refresh`, { mode: "sync" });
    readKey = (await owner.api<{ key: string }>(source.url, "POST", "/v1/keys", { name: "reader", scope: "read" })).body.key;
    projectId = (await owner.api<{ id: string }>(source.url, "POST", "/v2/projects", BOOK)).body.id;
    await owner.api(source.url, "POST", `/v2/projects/${projectId}/generate`, {});
    await owner.jobStatus(source.url, projectId, (job) => job.status === "completed", 120_000, "generation");
    await owner.api(source.url, "POST", `/v2/projects/${projectId}/export`, { formats: ["epub", "md"] });
    before = await contents(source.url, projectId, collectionId);
  });
  afterAll(async () => {
    if (source) await stop(source);
    for (const made of dirs) rmSync(made, { recursive: true, force: true });
  });

  it("backs up an embedded installation through its running server and restores it byte for byte into an empty data directory", async () => {
    const file = join(dir("scriptorium-backup-file-"), "site.tar.gz");
    // The server holds the data directory: the command asks it for the archive, with the owner key.
    const backup = cli("backup", file, { SCRIPTORIUM_DATA_DIR: sourceDir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY });
    expect(backup.status, backup.output).toBe(0);
    expect(backup.output).toContain("Asking the running server");
    // The running server could not be restored into: it holds its directory (and it is not empty).
    const busy = cli("restore", file, { SCRIPTORIUM_DATA_DIR: sourceDir });
    expect(busy.status).toBe(1);
    expect(busy.output).toMatch(/already holds|in use by another Scriptorium process/);

    const targetDir = dir("scriptorium-backup-target-");
    const restored = cli("restore", file, { SCRIPTORIUM_DATA_DIR: targetDir });
    expect(restored.status, restored.output).toBe(0);
    expect(restored.output).toMatch(/scene_texts: \d+ rows/);
    const target = await start({ SCRIPTORIUM_DATA_DIR: targetDir });
    try {
      expect(await contents(target.url, projectId, collectionId)).toEqual(before);
      // The same keys work, and no new owner key was generated: the installation's keys came back.
      expect(target.output()).not.toContain("owner key (shown once");
      expect((await fetch(`${target.url}/api/v1/whoami`, { headers: { "x-api-key": readKey } })).status).toBe(200);
      // Artifact contents are byte-identical: the blob of every stored file is there under its hash.
      const artifacts = (before.artifacts as { files: { sha256: string }[] }[]).flatMap((artifact) => artifact.files);
      for (const { sha256 } of artifacts) {
        const blob = readFileSync(join(targetDir, "blobs", sha256.slice(0, 2), sha256.slice(2)));
        expect(blob.equals(readFileSync(join(sourceDir, "blobs", sha256.slice(0, 2), sha256.slice(2))))).toBe(true);
      }
      // Event ids go on from where they were, never reusing one.
      const lastId = (before.events as { id: number }[]).at(-1)?.id ?? 0;
      await owner.api(target.url, "POST", `/v2/projects/${projectId}/generate/stages/12`, {});
      await owner.jobStatus(target.url, projectId, (job) => job.status === "completed" && job.only_stage === 12, 60_000, "the re-run");
      const after = await owner.eventLog(target.url, projectId);
      expect(after.map((event) => event.id)).toEqual(after.map((_, index) => index + 1));
      expect(after.length).toBeGreaterThan(lastId);
    } finally {
      await stop(target);
    }

    // A target that holds anything is refused, and keeps what it holds.
    const again = cli("restore", file, { SCRIPTORIUM_DATA_DIR: targetDir });
    expect(again.status).toBe(1);
    expect(again.output).toMatch(/already holds .*Nothing was changed/);
    const reopened = await start({ SCRIPTORIUM_DATA_DIR: targetDir });
    try {
      expect((await owner.api<{ items: unknown[] }>(reopened.url, "GET", "/v1/collections")).body.items).toHaveLength(1);
    } finally {
      await stop(reopened);
    }
  });

  it("answers the backup route to owner keys only", async () => {
    expect((await fetch(`${source.url}/api/v1/backup`, { headers: { "x-api-key": readKey } })).status).toBe(403);
    expect((await fetch(`${source.url}/api/v1/backup`)).status).toBe(401);
    const archive = await download(source.url, "/v1/backup");
    expect(archive.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true);
  });

  it("refuses a file that is not a backup, and an archive of the other kind, changing nothing", async () => {
    const junk = join(dir("scriptorium-backup-junk-"), "notes.tar.gz");
    writeFileSync(junk, "not an archive");
    const targetDir = dir("scriptorium-backup-empty-");
    const refused = cli("restore", junk, { SCRIPTORIUM_DATA_DIR: targetDir });
    expect(refused.status).toBe(1);
    expect(refused.output).toMatch(/This file is not a Scriptorium backup.*Nothing was changed/);
    expect(readdirSync(targetDir)).toEqual([]);
    const embedded = join(dir("scriptorium-backup-kind-"), "embedded.tar.gz");
    expect(cli("backup", embedded, { SCRIPTORIUM_DATA_DIR: sourceDir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY }).status).toBe(0);
    const postgres = await createScratchPostgres();
    try {
      const wrongKind = cli("restore", embedded, { SCRIPTORIUM_DATA_DIR: targetDir, DATABASE_URL: postgres.url });
      expect(wrongKind.status).toBe(1);
      expect(wrongKind.output).toMatch(/embedded installation and cannot be restored into a PostgreSQL database.*Nothing was changed/);
    } finally {
      await postgres.drop();
    }
  });

  it("round-trips a PostgreSQL installation into an empty PostgreSQL database", async () => {
    const from = await createScratchPostgres();
    const into = await createScratchPostgres();
    const file = join(dir("scriptorium-backup-pg-"), "pg.tar.gz");
    const fromDir = dir("scriptorium-backup-pg-from-");
    const intoDir = dir("scriptorium-backup-pg-into-");
    try {
      const copyEnv = { DATABASE_URL: from.url, SCRIPTORIUM_DATA_DIR: fromDir };
      const server = await start({ ...copyEnv, SCRIPTORIUM_BOOTSTRAP_KEY: KEY, SCRIPTORIUM_WORKERS: "0" });
      let original: Json;
      try {
        const collection = (await owner.api<{ id: string }>(server.url, "POST", "/v1/collections", { name: "On PostgreSQL" })).body.id;
        const skills = tempDir("backup-pg-skills");
        dirs.push(skills);
        writeFiles(skills, { "lamp/SKILL.md": skillFile({ title: "Lamp", description: "Lights" }) });
        await owner.api(server.url, "POST", `/v1/collections/${collection}/artifacts`, { source: skills });
        original = (await owner.api<Json>(server.url, "GET", `/v1/collections/${collection}/artifacts`)).body;
        // Taken while the server runs: PostgreSQL serves the snapshot to the command directly.
        const backup = cli("backup", file, copyEnv);
        expect(backup.status, backup.output).toBe(0);
        expect(backup.output).not.toContain("Asking the running server");
      } finally {
        await stop(server);
      }
      const restored = cli("restore", file, { DATABASE_URL: into.url, SCRIPTORIUM_DATA_DIR: intoDir });
      expect(restored.status, restored.output).toBe(0);
      const target = await start({ DATABASE_URL: into.url, SCRIPTORIUM_DATA_DIR: intoDir, SCRIPTORIUM_WORKERS: "0" });
      try {
        const collections = (await owner.api<{ items: { id: string; name: string }[] }>(target.url, "GET", "/v1/collections")).body.items;
        const collection = collections.find((item) => item.name === "On PostgreSQL");
        expect((await owner.api<Json>(target.url, "GET", `/v1/collections/${collection?.id}/artifacts`)).body).toEqual(original);
      } finally {
        await stop(target);
      }
      // The database now holds data: a second restore is refused.
      const again = cli("restore", file, { DATABASE_URL: into.url, SCRIPTORIUM_DATA_DIR: dir("scriptorium-backup-pg-again-") });
      expect(again.status).toBe(1);
      expect(again.output).toMatch(/not empty.*Nothing was changed/);
    } finally {
      await from.drop();
      await into.drop();
    }
  });
});
