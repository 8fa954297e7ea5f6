import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { REFRESH_THREAD_MIN_ARTIFACTS } from "./offload/thread-pool";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

/**
 * A metadata refresh large enough that its local main files are read and
 * parsed on the refresh thread, in batches: over REST, every artifact still
 * gets its own entry — refreshed, unchanged, or an error that names what is
 * wrong — and what changed is stored.
 */

const ARTIFACTS = REFRESH_THREAD_MIN_ARTIFACTS + 200;

interface Entry {
  artifact_id: string;
  name: string;
  status: string;
  changes: string[];
  new_values: Record<string, unknown>;
  error: string | null;
  reason_code?: string;
  duration_ms: number;
}

interface RefreshAnswer {
  status: string;
  result: { refreshed_count: number; unchanged_count: number; skipped_count: number; error_count: number; entries: Entry[] };
}

const name = (index: number) => `skill-${String(index).padStart(4, "0")}`;

describe(`a metadata refresh of ${ARTIFACTS} local artifacts`, { timeout: 120_000 }, () => {
  let server: RunningTestServer;
  let root: string;
  let collectionId: string;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": server.ownerKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as T;
  }

  beforeAll(async () => {
    server = await startTestServer("pglite");
    root = tempDir("large-refresh");
    const files: Record<string, string> = {};
    for (let index = 0; index < ARTIFACTS; index += 1) {
      files[`skills/${name(index)}/SKILL.md`] = skillFile({ title: `Skill ${index}`, description: `Does thing ${index}`, tags: ["large"] });
    }
    writeFiles(root, files);
    collectionId = (await api<{ id: string }>("POST", "/v1/collections", { name: "Large" })).id;
    await api("POST", `/v1/collections/${collectionId}/artifacts`, { source: root });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("reports every artifact's own outcome and stores what changed", async () => {
    const changed = [0, 250, 500, 750, 1_000, 1_199];
    for (const index of changed) writeFileSync(join(root, "skills", name(index), "SKILL.md"), skillFile({ title: `Skill ${index}`, description: `Does thing ${index}, better` }));
    writeFileSync(join(root, "skills", name(3), "SKILL.md"), "---\ntitle: [unclosed\n---\nBody.\n");
    rmSync(join(root, "skills", name(4)), { recursive: true });

    const dry = await api<RefreshAnswer>("POST", `/v1/collections/${collectionId}/refresh`, { mode: "metadata", dry_run: true });
    const answer = await api<RefreshAnswer>("POST", `/v1/collections/${collectionId}/refresh`, { mode: "metadata" });
    expect(dry.result.entries.map(({ duration_ms: _, ...entry }) => entry)).toEqual(answer.result.entries.map(({ duration_ms: _, ...entry }) => entry));

    expect(answer.status).toBe("partial");
    expect(answer.result).toMatchObject({ refreshed_count: changed.length, unchanged_count: ARTIFACTS - changed.length - 2, skipped_count: 0, error_count: 2 });
    const byName = new Map(answer.result.entries.map((entry) => [entry.name, entry]));
    expect(answer.result.entries).toHaveLength(ARTIFACTS);
    for (const index of changed) {
      expect(byName.get(name(index))).toMatchObject({ status: "refreshed", changes: ["description"], new_values: { description: `Does thing ${index}, better` } });
    }
    expect(byName.get(name(3))).toMatchObject({ status: "error", reason_code: "error", error: expect.stringMatching(/^Front matter is not valid YAML: /) });
    expect(byName.get(name(4))).toMatchObject({ status: "error", reason_code: "upstream_missing", error: "It no longer exists upstream." });
    expect(byName.get(name(5))).toMatchObject({ status: "unchanged", changes: [], error: null });
    for (const entry of answer.result.entries) expect(entry.duration_ms).toBeGreaterThanOrEqual(0);

    const stored = await api<{ metadata: { description: string; tags: string[] } }>("GET", `/v1/collections/${collectionId}/artifacts/${byName.get(name(750))?.artifact_id}`);
    // Upstream's new description; the tags it no longer mentions are kept.
    expect(stored.metadata).toMatchObject({ description: "Does thing 750, better", tags: ["large"] });

    const again = await api<RefreshAnswer>("POST", `/v1/collections/${collectionId}/refresh`, { mode: "metadata" });
    expect(again.result).toMatchObject({ refreshed_count: 0, unchanged_count: ARTIFACTS - 2, error_count: 2 });
  });
});
