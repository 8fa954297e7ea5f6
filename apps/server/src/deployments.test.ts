import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptoriumClient, type ScriptoriumClient } from "@scriptorium/client";
import { DEPLOYMENT_LIMITS, type DeploymentStatus } from "@scriptorium/contract";
import { ENGINES } from "@scriptorium/db/testing";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Json = Record<string, unknown>;

interface DeployedArtifact {
  artifact_id: string;
  collection_id: string;
  type: string | null;
  name: string | null;
  content_hash: string;
  current_content_hash: string | null;
  reported_status: string;
  status: string;
  behind: boolean;
}

interface Deployment {
  id: string;
  target: string;
  profile: string;
  scope: string;
  host: string | null;
  path: string | null;
  artifact_count: number;
  artifacts: DeployedArtifact[];
  created_at: string;
  reported_at: string;
  updated_at: string;
}

interface Page {
  items: Deployment[];
  next_cursor: string | null;
}

interface ErrorBody {
  code: string;
  message: string;
  fields?: { path: string; message: string }[];
}

interface Artifact {
  id: string;
  name: string;
  content_hash: string;
}

/** A target hash as the command line makes one: unique per test, so reports never meet by accident. */
const newTarget = () => randomUUID().replaceAll("-", "").repeat(2);

const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe.each(ENGINES)("deployments (%s)", (engine) => {
  let server: RunningTestServer;
  let client: ScriptoriumClient;
  let root: string;
  /** Two skills in "Deployed", one in "Other". */
  let deployed: string;
  let other: string;
  let canvas: Artifact;
  let pdf: Artifact;
  let letters: Artifact;
  let readKey: string;
  let writeKey: string;

  async function rest<T = Json>(method: string, path: string, options: { body?: unknown; raw?: string; key?: string } = {}): Promise<{ status: number; body: T }> {
    const json = options.body !== undefined;
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": options.key ?? server.ownerKey, ...(json ? { "content-type": "application/json" } : {}) },
      body: json ? JSON.stringify(options.body) : options.raw,
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async function report(body: Json, key?: string): Promise<Deployment> {
    const answer = await rest<{ deployment: Deployment | null }>("POST", "/v1/deployments", { body, key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.deployment).not.toBeNull();
    return answer.body.deployment as Deployment;
  }

  async function list(query = "", key?: string): Promise<Deployment[]> {
    const answer = await rest<Page>("GET", `/v1/deployments${query}`, { key });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.items;
  }

  async function artifact(collectionId: string, artifactId: string): Promise<Artifact> {
    return (await rest<Artifact>("GET", `/v1/collections/${collectionId}/artifacts/${artifactId}`)).body;
  }

  const held = (of: Artifact, status: DeploymentStatus) => ({ artifact_id: of.id, content_hash: of.content_hash, status });

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    root = tempDir("deployments");
    writeFiles(root, {
      "deployed/canvas/SKILL.md": skillFile({ title: "Canvas", description: "Draws" }),
      "deployed/pdf/SKILL.md": skillFile({ title: "PDF", description: "Reads PDFs" }),
      "other/letters/SKILL.md": skillFile({ title: "Letters", description: "Writes letters" }),
    });
    deployed = (await client.collections.create.mutate({ name: "Deployed" })).id;
    other = (await client.collections.create.mutate({ name: "Other" })).id;
    const added = await client.artifacts.add.mutate({ collection_id: deployed, source: join(root, "deployed") });
    const byName = (name: string) => added.items.find((item) => item.name === name) as Artifact;
    canvas = byName("canvas");
    pdf = byName("pdf");
    letters = (await client.artifacts.add.mutate({ collection_id: other, source: join(root, "other") })).items[0] as Artifact;
    readKey = (await client.keys.create.mutate({ name: "reader", scope: "read" })).key;
    writeKey = (await client.keys.create.mutate({ name: "writer", scope: "write" })).key;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("records a target once, by its hash, and each report replaces what it holds", async () => {
    const target = newTarget();
    const first = await report({
      target,
      profile: "claude_code",
      scope: "project",
      host: "ada-laptop",
      path: "/home/ada/site",
      artifacts: [held(canvas, "current"), held(pdf, "modified")],
    });
    expect(first).toMatchObject({ target, profile: "claude_code", scope: "project", host: "ada-laptop", path: "/home/ada/site", artifact_count: 2 });
    expect(first.created_at).toBe(first.reported_at);
    expect(first.updated_at).toBe(first.reported_at);
    expect(first.artifacts).toEqual([
      { artifact_id: canvas.id, collection_id: deployed, type: "skill", name: "canvas", content_hash: canvas.content_hash, current_content_hash: canvas.content_hash, reported_status: "current", status: "current", behind: false },
      { artifact_id: pdf.id, collection_id: deployed, type: "skill", name: "pdf", content_hash: pdf.content_hash, current_content_hash: pdf.content_hash, reported_status: "modified", status: "modified", behind: false },
    ]);

    // pdf was undeployed, and this report leaves out the path (no --report-path): both are gone from the record.
    await pause(5);
    const second = await report({ target, profile: "claude_code", scope: "project", host: "ada-laptop", artifacts: [held(canvas, "current")] });
    expect(second.id).toBe(first.id);
    expect(second.created_at).toBe(first.created_at);
    expect(second.path).toBeNull();
    expect(second.artifacts.map((item) => item.artifact_id)).toEqual([canvas.id]);
    expect(second.artifact_count).toBe(1);
    expect(Date.parse(second.updated_at)).toBeGreaterThan(Date.parse(first.updated_at));

    // The same report again: heard from, nothing changed.
    await pause(5);
    const third = await report({ target, profile: "claude_code", scope: "project", host: "ada-laptop", artifacts: [held(canvas, "current")] });
    expect(Date.parse(third.reported_at)).toBeGreaterThan(Date.parse(second.reported_at));
    expect(third.updated_at).toBe(second.updated_at);

    // One record for the target, over tRPC too.
    const listed = (await client.deployments.list.query({ artifact_id: canvas.id, limit: 500 })).items.filter((item) => item.target === target);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: first.id, artifact_count: 1 });
  });

  it("computes behind now, from the collection's current content, after an edit and after a sync", async () => {
    writeFiles(root, {
      "moving/quill/SKILL.md": skillFile({ title: "Quill", description: "First" }),
      "moving/ink/SKILL.md": skillFile({ title: "Ink", description: "First" }),
    });
    const added = await client.artifacts.add.mutate({ collection_id: other, source: join(root, "moving") });
    const quill = added.items.find((item) => item.name === "quill") as Artifact;
    const ink = added.items.find((item) => item.name === "ink") as Artifact;
    const target = newTarget();
    const recorded = await client.deployments.report.mutate({ target, profile: "codex", scope: "user", artifacts: [held(quill, "current"), held(ink, "modified")] });
    expect(recorded.deployment?.artifacts.map((item) => [item.name, item.status])).toEqual([
      ["ink", "modified"],
      ["quill", "current"],
    ]);

    // An edit in the collection: the target that reported quill current is behind it, without a new report.
    const edit = await rest<{ artifact: Artifact }>("PUT", `/v1/collections/${other}/artifacts/${quill.id}/files/SKILL.md`, {
      raw: skillFile({ title: "Quill", description: "Edited in the collection" }),
    });
    expect(edit.status).toBe(200);
    expect(edit.body.artifact.content_hash).not.toBe(quill.content_hash);
    const afterEdit = (await list(`?artifact_id=${quill.id}`)).find((item) => item.target === target);
    expect(afterEdit?.artifacts).toEqual([
      {
        artifact_id: quill.id,
        collection_id: other,
        type: "skill",
        name: "quill",
        content_hash: quill.content_hash,
        current_content_hash: edit.body.artifact.content_hash,
        reported_status: "current",
        status: "behind",
        behind: true,
      },
    ]);
    expect(afterEdit?.artifact_count).toBe(2);

    // A sync from the upstream folder moves ink on: modified there and behind here is diverged.
    writeFileSync(join(root, "moving/ink/SKILL.md"), skillFile({ title: "Ink", description: "Second" }));
    const sync = await client.collections.refresh.mutate({ collection_id: other, mode: "sync", artifact_filter: { name_pattern: "ink" } });
    expect(sync.result.refreshed_count).toBe(1);
    const inkNow = await artifact(other, ink.id);
    expect(inkNow.content_hash).not.toBe(ink.content_hash);
    const afterSync = (await client.deployments.list.query({ artifact_id: ink.id })).items.find((item) => item.target === target);
    expect(afterSync?.artifacts).toMatchObject([{ name: "ink", reported_status: "modified", status: "diverged", behind: true, current_content_hash: inkNow.content_hash }]);

    // The collection page's summary counts the same.
    const summary = await rest<{ items: { artifact_id: string; targets: number; statuses: Record<string, number> }[] }>("GET", `/v1/collections/${other}/deployment-summary`);
    expect(summary.status).toBe(200);
    expect(summary.body.items.find((item) => item.artifact_id === quill.id)).toEqual({
      artifact_id: quill.id,
      targets: 1,
      statuses: { current: 0, behind: 1, modified: 0, diverged: 0, missing: 0, removed: 0, conflict: 0 },
    });
    expect(summary.body.items.find((item) => item.artifact_id === ink.id)?.statuses.diverged).toBe(1);

    // Once the target takes the collection's content and reports it, it is current again.
    const updated = await client.deployments.report.mutate({
      target,
      profile: "codex",
      scope: "user",
      artifacts: [held(await artifact(other, quill.id), "current"), held(inkNow, "modified")],
    });
    expect(updated.deployment?.artifacts.map((item) => [item.name, item.status, item.behind])).toEqual([
      ["ink", "modified", false],
      ["quill", "current", false],
    ]);
  });

  it("filters by collection and by artifact, and pages newest report first without skipping or repeating", async () => {
    const targets: string[] = [];
    for (let index = 0; index < 7; index++) {
      const target = newTarget();
      targets.push(target);
      // Every other target also holds letters, of the other collection.
      await report({ target, profile: "cursor", scope: "project", host: `host-${index}`, artifacts: [held(canvas, "current"), ...(index % 2 === 0 ? [held(letters, "current")] : [])] });
      await pause(2);
    }
    const seen: Deployment[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: Page } = await rest<Page>("GET", `/v1/deployments?collection_id=${other}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor);
    const ours = seen.filter((item) => targets.includes(item.target));
    // Newest report first: the targets in the reverse order of their reports.
    expect(ours.map((item) => item.target)).toEqual([targets[6], targets[4], targets[2], targets[0]]);
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(1);
    const reported = seen.map((item) => Date.parse(item.reported_at));
    expect(reported).toEqual([...reported].sort((a, b) => b - a));
    // Filtered by collection, a target lists only that collection's artifacts, and counts all of them.
    for (const item of ours) {
      expect(item.artifacts.map((held) => held.artifact_id)).toEqual([letters.id]);
      expect(item.artifact_count).toBe(2);
    }
    const byArtifact = (await list(`?artifact_id=${canvas.id}&limit=500`)).filter((item) => targets.includes(item.target));
    expect(byArtifact).toHaveLength(7);
    expect(byArtifact.every((item) => item.artifacts.length === 1 && item.artifacts[0]?.artifact_id === canvas.id)).toBe(true);
    const both = (await list(`?collection_id=${deployed}&artifact_id=${letters.id}`)).filter((item) => targets.includes(item.target));
    expect(both).toEqual([]);
    const unfiltered = (await list("?limit=500")).filter((item) => targets.includes(item.target));
    expect(unfiltered.map((item) => item.artifacts.length)).toEqual([2, 1, 2, 1, 2, 1, 2]);
  });

  it("keeps an artifact deleted from the collection as removed, and knows it when it is reported again", async () => {
    writeFiles(root, { "doomed/stamp/SKILL.md": skillFile({ title: "Stamp", description: "Soon gone" }) });
    const stamp = (await client.artifacts.add.mutate({ collection_id: deployed, source: join(root, "doomed") })).items[0] as Artifact;
    const target = newTarget();
    await report({ target, profile: "gemini", scope: "project", artifacts: [held(stamp, "current"), held(canvas, "current")] });
    await client.artifacts.remove.mutate({ collection_id: deployed, artifact_id: stamp.id });

    const [still] = (await list(`?artifact_id=${stamp.id}`)).filter((item) => item.target === target);
    expect(still?.artifacts).toEqual([
      { artifact_id: stamp.id, collection_id: deployed, type: null, name: null, content_hash: stamp.content_hash, current_content_hash: null, reported_status: "current", status: "removed", behind: false },
    ]);
    const summary = await client.deployments.summary.query({ collection_id: deployed });
    expect(summary.items.find((item) => item.artifact_id === stamp.id)?.statuses.removed).toBeGreaterThanOrEqual(1);

    // The command line's next status says removed; another target holding it (a teammate's clone) may report it too.
    const again = await report({ target, profile: "gemini", scope: "project", artifacts: [held(stamp, "removed"), held(canvas, "current")] });
    expect(again.artifacts.find((item) => item.artifact_id === stamp.id)).toMatchObject({ collection_id: deployed, reported_status: "removed", status: "removed" });
    const teammate = await report({ target: newTarget(), profile: "gemini", scope: "project", artifacts: [held(stamp, "removed")] });
    expect(teammate.artifacts).toMatchObject([{ artifact_id: stamp.id, collection_id: deployed, status: "removed" }]);

    // An id the workspace never had is refused, unless reported removed: then there is nothing to record about it.
    const stranger = randomUUID();
    const refused = await rest<ErrorBody>("POST", "/v1/deployments", {
      body: { target: newTarget(), profile: "gemini", scope: "project", artifacts: [held(canvas, "current"), { ...held(canvas, "current"), artifact_id: stranger }] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(stranger);
    expect(refused.body.fields).toEqual([{ path: "artifacts.1.artifact_id", message: "no artifact of this workspace has this id" }]);
    const dropped = await report({ target: newTarget(), profile: "gemini", scope: "project", artifacts: [held(canvas, "current"), { ...held(canvas, "removed"), artifact_id: stranger }] });
    expect(dropped.artifacts.map((item) => item.artifact_id)).toEqual([canvas.id]);
  });

  it("deletes a target's record when it reports nothing, and on DELETE", async () => {
    const target = newTarget();
    const recorded = await report({ target, profile: "claude_code", scope: "project", artifacts: [held(canvas, "current")] });
    const emptied = await rest<{ deployment: null }>("POST", "/v1/deployments", { body: { target, profile: "claude_code", scope: "project", artifacts: [] } });
    expect(emptied).toEqual({ status: 200, body: { deployment: null } });
    expect((await list("?limit=500")).some((item) => item.id === recorded.id)).toBe(false);
    // Nothing recorded and nothing reported: nothing to delete, and still no record.
    expect((await rest("POST", "/v1/deployments", { body: { target, profile: "claude_code", scope: "project", artifacts: [] } })).body).toEqual({ deployment: null });

    const forgotten = await report({ target, profile: "claude_code", scope: "project", artifacts: [held(canvas, "current")] });
    expect(forgotten.id).not.toBe(recorded.id);
    expect(await rest("DELETE", `/v1/deployments/${forgotten.id}`)).toEqual({ status: 200, body: { id: forgotten.id, deleted: true } });
    expect((await rest<ErrorBody>("DELETE", `/v1/deployments/${forgotten.id}`)).status).toBe(404);
    expect((await list("?limit=500")).some((item) => item.target === target)).toBe(false);
    await expect(client.deployments.delete.mutate({ id: forgotten.id })).rejects.toMatchObject({ data: { code: "NOT_FOUND" } });
  });

  it("needs write scope to report or delete and read scope to list", async () => {
    const body = { target: newTarget(), profile: "claude_code", scope: "project", artifacts: [held(canvas, "current")] };
    const asReader = await rest<ErrorBody>("POST", "/v1/deployments", { body, key: readKey });
    expect(asReader.status).toBe(403);
    expect(asReader.body.code).toBe("FORBIDDEN");
    const written = await report(body, writeKey);
    expect((await list(`?artifact_id=${canvas.id}&limit=500`, readKey)).some((item) => item.id === written.id)).toBe(true);
    expect((await rest<ErrorBody>("DELETE", `/v1/deployments/${written.id}`, { key: readKey })).status).toBe(403);
    expect((await rest("GET", `/v1/collections/${deployed}/deployment-summary`, { key: readKey })).status).toBe(200);
    expect((await rest("DELETE", `/v1/deployments/${written.id}`, { key: writeKey })).status).toBe(200);
    const noKey = await fetch(`${server.url}/api/v1/deployments`);
    expect(noKey.status).toBe(401);
  });

  it("keeps workspaces apart: another workspace's targets, collections and artifacts are not found", async () => {
    const ours = await report({ target: newTarget(), profile: "claude_code", scope: "project", artifacts: [held(canvas, "current")] });
    const created = await rest<{ admin_key: { key: string } }>("POST", "/v1/workspaces", { body: { name: `Elsewhere ${engine}` } });
    const theirs = created.body.admin_key.key;

    expect(await list("", theirs)).toEqual([]);
    expect((await rest<ErrorBody>("GET", `/v1/deployments?collection_id=${deployed}`, { key: theirs })).status).toBe(404);
    expect((await rest<ErrorBody>("GET", `/v1/deployments?artifact_id=${canvas.id}`, { key: theirs })).status).toBe(404);
    expect((await rest<ErrorBody>("GET", `/v1/collections/${deployed}/deployment-summary`, { key: theirs })).status).toBe(404);
    expect((await rest<ErrorBody>("DELETE", `/v1/deployments/${ours.id}`, { key: theirs })).status).toBe(404);

    // Reporting our artifact from there is refused like an id that never existed, and leaves our record alone.
    const borrowed = await rest<ErrorBody>("POST", "/v1/deployments", { body: { target: ours.target, profile: "claude_code", scope: "project", artifacts: [held(canvas, "current")] }, key: theirs });
    expect(borrowed.status).toBe(422);
    expect(borrowed.body.fields).toEqual([{ path: "artifacts.0.artifact_id", message: "no artifact of this workspace has this id" }]);
    // The same target hash in another workspace is another record: emptying it there deletes nothing here.
    expect((await rest("POST", "/v1/deployments", { body: { target: ours.target, profile: "claude_code", scope: "project", artifacts: [] }, key: theirs })).status).toBe(200);
    expect((await list(`?artifact_id=${canvas.id}&limit=500`)).some((item) => item.id === ours.id)).toBe(true);
  });

  it("refuses bad reports with 422 naming the field, over REST and tRPC, and records nothing", async () => {
    const target = newTarget();
    const valid = { target, profile: "claude_code", scope: "project", artifacts: [held(canvas, "current")] };
    const cases: [Json, string][] = [
      [{ ...valid, profile: "vscode" }, "profile"],
      [{ ...valid, scope: "global" }, "scope"],
      [{ ...valid, artifacts: [{ ...held(canvas, "current"), status: "stale" }] }, "artifacts.0.status"],
      [{ ...valid, artifacts: [{ ...held(canvas, "current"), content_hash: "not-a-hash" }] }, "artifacts.0.content_hash"],
      [{ ...valid, artifacts: [held(canvas, "current"), held(canvas, "behind")] }, "artifacts.1.artifact_id"],
      [{ ...valid, target: "short" }, "target"],
      [{ ...valid, target: "has spaces in it" }, "target"],
      [{ ...valid, artifacts: Array.from({ length: DEPLOYMENT_LIMITS.artifacts + 1 }, () => ({ ...held(canvas, "current"), artifact_id: randomUUID() })) }, "artifacts"],
      [{ target, profile: "claude_code", scope: "project" }, "artifacts"],
    ];
    for (const [body, field] of cases) {
      const answer = await rest<ErrorBody>("POST", "/v1/deployments", { body });
      expect(answer.status, field).toBe(422);
      expect(answer.body.code).toBe("UNPROCESSABLE_CONTENT");
      expect(answer.body.fields?.map((item) => item.path), field).toEqual([field]);
    }
    const overTrpc = await fetch(`${server.url}/trpc/deployments.report`, {
      method: "POST",
      headers: { "x-api-key": server.ownerKey, "content-type": "application/json" },
      body: JSON.stringify({ ...valid, profile: "vscode" }),
    });
    expect(overTrpc.status).toBe(422);
    const error = ((await overTrpc.json()) as { error: { message: string; fields: { path: string }[] } }).error;
    expect(error.message).toMatch(/profile: "vscode" is not valid: expected one of "claude_code", "codex", "cursor", "gemini"/);
    expect(error.fields.map((item) => item.path)).toEqual(["profile"]);
    expect((await list("?limit=500")).some((item) => item.target === target)).toBe(false);
    expect((await rest<ErrorBody>("GET", "/v1/deployments?artifact_id=no-such-artifact")).status).toBe(404);
  });
});
