import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScriptoriumClient, type ScriptoriumClient } from "@scriptorium/client";
import { GitRepoFixture, skillFile, tempDir } from "@scriptorium/domain/testing";
import { startTestServer, type RunningTestServer } from "./testing/test-server";

type Json = Record<string, unknown>;

const sha256 = (content: Buffer | string) => createHash("sha256").update(content).digest("hex");

/** A main file whose body lines can be edited one by one. */
function lines(title: string, body: string[]): string {
  return `${skillFile({ title, description: `About ${title}` })}${body.join("\n")}\n`;
}
const BODY = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
const withLine = (index: number, text: string) => BODY.map((line, at) => (at === index ? text : line));

describe("artifact contents: read, edit, bundle, three-way sync", () => {
  let server: RunningTestServer;
  let client: ScriptoriumClient;
  let root: string;
  let repo: GitRepoFixture;
  let collectionId: string;

  async function call(method: string, path: string, options: { body?: unknown; raw?: Buffer | string; key?: string; headers?: Record<string, string> } = {}) {
    const json = options.body !== undefined;
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { "x-api-key": options.key ?? server.ownerKey, ...(json ? { "content-type": "application/json" } : {}), ...options.headers },
      body: json ? JSON.stringify(options.body) : options.raw,
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = response.headers.get("content-type")?.startsWith("application/json") ?? false;
    return { status: response.status, headers: response.headers, bytes, body: (isJson ? JSON.parse(bytes.toString("utf8")) : {}) as Json };
  }

  async function importGit(path: string, type?: string): Promise<string> {
    const added = await call("POST", `/v1/collections/${collectionId}/artifacts`, { body: { source: { kind: "git", url: repo.url, path, ref: "main" }, type } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    return ((added.body.items as Json[])[0] as Json).id as string;
  }

  const fileUrl = (artifactId: string, path: string) => `/v1/collections/${collectionId}/artifacts/${artifactId}/files/${path}`;
  const refresh = (body: Json) => call("POST", `/v1/collections/${collectionId}/refresh`, { body });
  const entryOf = (result: { body: Json }, artifactId: string) =>
    ((result.body.result as Json).entries as Json[]).find((entry) => entry.artifact_id === artifactId) as Json;
  const artifact = async (artifactId: string) => (await call("GET", `/v1/collections/${collectionId}/artifacts/${artifactId}`)).body;

  beforeAll(async () => {
    server = await startTestServer();
    client = createScriptoriumClient({ url: server.url, apiKey: server.ownerKey });
    root = tempDir("artifact-contents");
    repo = new GitRepoFixture(root, "remote");
    const skills: Record<string, string> = {};
    for (const name of ["bytes", "merge", "overlap", "keep", "take", "gone", "meta", "race", "hostile", "undo", "inline", "deploy"]) {
      skills[`skills/${name}/SKILL.md`] = lines(name, BODY);
      skills[`skills/${name}/notes.txt`] = `notes of ${name}\n`;
    }
    skills["hooks/guard/hooks.json"] = JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./guard.sh" }] }] } });
    skills["hooks/guard/guard.sh"] = "#!/bin/sh\nexit 0\n";
    skills["hooks/guard/HOOK.md"] = "# Guard\n\nChecks shell commands first.\n";
    skills["servers/docs/README.md"] = "# Docs\n\nSearches the docs.\n";
    skills["servers/docs/.mcp.json"] = JSON.stringify({ mcpServers: { docs: { command: "docs-server", args: ["--stdio"] } } });
    repo.write(skills).commit("skills");
    collectionId = (await client.collections.create.mutate({ name: "Contents" })).id;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("lays a bundle out for a deployment profile, with what a deploy would merge, and refuses a type the profile has no place for", async () => {
    const skill = await importGit("skills/deploy");
    const hook = await importGit("hooks/guard", "hook");
    const mcp = await importGit("servers/docs", "mcp");
    const extract = (name: string, bytes: Buffer) => {
      const out = join(root, `${name}-out`);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(root, `${name}.tar.gz`), bytes);
      const listing = execFileSync("tar", ["-tzf", join(root, `${name}.tar.gz`)], { encoding: "utf8" }).trim().split("\n");
      execFileSync("tar", ["-xzf", join(root, `${name}.tar.gz`), "-C", out]);
      return { listing, out, merge: JSON.parse(readFileSync(join(out, "scriptorium-merge.json"), "utf8")) as Json };
    };

    const skillBundle = await call("GET", `/v1/collections/${collectionId}/artifacts/${skill}/bundle?profile=claude_code`);
    expect(skillBundle.status).toBe(200);
    const laidOut = extract("skill-profile", skillBundle.bytes);
    expect(laidOut.listing).toEqual([".claude/skills/deploy/SKILL.md", ".claude/skills/deploy/notes.txt", "scriptorium-merge.json"]);
    expect(readFileSync(join(laidOut.out, ".claude/skills/deploy/SKILL.md"), "utf8")).toBe(lines("deploy", BODY));
    expect(laidOut.merge).toEqual({ format: "scriptorium-merge/1", profile: "claude_code", scope: "project", merges: [], skipped: [] });

    const hookBundle = extract("hook-profile", (await call("GET", `/v1/collections/${collectionId}/artifacts/${hook}/bundle?profile=claude_code`)).bytes);
    expect(hookBundle.listing).toEqual([".claude/hooks/guard/HOOK.md", ".claude/hooks/guard/guard.sh", "scriptorium-merge.json"]);
    expect(hookBundle.merge.merges).toEqual([
      {
        artifact_id: hook,
        file: ".claude/settings.json",
        format: "json",
        pointer: ["hooks", "PreToolUse"],
        mode: "append",
        value: { matcher: "Bash", hooks: [{ type: "command", command: '"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard/guard.sh' }] },
      },
    ]);
    const userHook = extract("hook-user", (await call("GET", `/v1/collections/${collectionId}/artifacts/${hook}/bundle?profile=claude_code&scope=user`)).bytes);
    expect(JSON.stringify(userHook.merge.merges)).toContain('\\"$HOME\\"/.claude/hooks/guard/guard.sh');

    const refused = await call("GET", `/v1/collections/${collectionId}/artifacts/${hook}/bundle?profile=cursor`);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe("hook 'guard': Cursor has no place for hook artifacts (profile cursor, project scope)");

    const whole = await call("GET", `/v1/collections/${collectionId}/bundle?profile=cursor`);
    const cursor = extract("collection-cursor", whole.bytes);
    expect(cursor.listing.at(0)).toBe("scriptorium-bundle.json");
    expect(cursor.listing.at(-1)).toBe("scriptorium-merge.json");
    expect(cursor.listing).toContain(".cursor/skills/deploy/notes.txt");
    expect(cursor.merge.merges).toEqual([{ artifact_id: mcp, file: ".cursor/mcp.json", format: "json", pointer: ["mcpServers", "docs"], mode: "set", value: { command: "docs-server", args: ["--stdio"] } }]);
    expect(cursor.merge.skipped).toEqual([{ artifact_id: hook, type: "hook", name: "guard", reason: "hook 'guard': Cursor has no place for hook artifacts (profile cursor, project scope)" }]);

    expect((await call("GET", `/v1/collections/${collectionId}/artifacts/${skill}/bundle?profile=vim`)).status).toBe(422);
    expect((await call("GET", `/v1/collections/${collectionId}/artifacts/${skill}/bundle?scope=user`)).status).toBe(422);
  });

  it("lists, serves and round-trips files byte for byte, by path, by hash and in bundles extracted with tar", async () => {
    const id = await importGit("skills/bytes");
    const binary = Buffer.concat([randomBytes(70_000), Buffer.from([0, 255, 0])]);
    const put = await call("PUT", fileUrl(id, "assets/blob.bin"), { raw: binary });
    expect(put.status).toBe(201);
    expect(put.headers.get("etag")).toBe(`"${sha256(binary)}"`);
    expect(put.body).toMatchObject({ created: true, file: { path: "assets/blob.bin", size: binary.length, sha256: sha256(binary) } });

    const list = await call("GET", `/v1/collections/${collectionId}/artifacts/${id}/files`);
    expect((list.body.items as Json[]).map((file) => file.path)).toEqual(["SKILL.md", "assets/blob.bin", "notes.txt"]);
    expect((list.body.items as Json[])[0]).toMatchObject({ media_type: "text/markdown; charset=utf-8", executable: false });

    const read = await call("GET", fileUrl(id, "assets/blob.bin"));
    expect(read.status).toBe(200);
    expect(read.bytes.equals(binary)).toBe(true);
    expect(read.headers.get("x-content-type-options")).toBe("nosniff");
    const cached = await call("GET", fileUrl(id, "assets/blob.bin"), { headers: { "if-none-match": `"${sha256(binary)}"` } });
    expect(cached.status).toBe(304);
    const blob = await call("GET", `/v1/collections/${collectionId}/blobs/${sha256(binary)}`);
    expect(blob.bytes.equals(binary)).toBe(true);

    const out = join(root, "extracted");
    mkdirSync(out, { recursive: true });
    const bundle = await call("GET", `/v1/collections/${collectionId}/artifacts/${id}/bundle`);
    expect(bundle.headers.get("content-type")).toBe("application/gzip");
    writeFileSync(join(root, "artifact.tar.gz"), bundle.bytes);
    execFileSync("tar", ["-xzf", join(root, "artifact.tar.gz"), "-C", out]);
    expect(readFileSync(join(out, "bytes/assets/blob.bin")).equals(binary)).toBe(true);
    expect(readFileSync(join(out, "bytes/SKILL.md"), "utf8")).toBe(lines("bytes", BODY));

    const whole = await call("GET", `/v1/collections/${collectionId}/bundle?name_pattern=byt*`);
    writeFileSync(join(root, "collection.tar.gz"), whole.bytes);
    const listing = execFileSync("tar", ["-tzf", join(root, "collection.tar.gz")], { encoding: "utf8" }).trim().split("\n");
    expect(listing[0]).toBe("scriptorium-bundle.json");
    expect(listing.slice(1).sort()).toEqual(["skills/bytes/SKILL.md", "skills/bytes/assets/blob.bin", "skills/bytes/notes.txt"]);
    execFileSync("tar", ["-xzf", join(root, "collection.tar.gz"), "-C", out]);
    const manifest = JSON.parse(readFileSync(join(out, "scriptorium-bundle.json"), "utf8")) as Json;
    const current = await artifact(id);
    expect(manifest).toMatchObject({
      collection: { id: collectionId, name: "Contents" },
      artifacts: [{ id, type: "skill", name: "bytes", resolved_version: current.resolved_version, content_hash: current.content_hash }],
    });
    expect(readFileSync(join(out, "skills/bytes/assets/blob.bin")).equals(binary)).toBe(true);
  });

  it("keeps the merge base: a local edit alone is no update; edits and upstream changes in different lines merge", async () => {
    const id = await importGit("skills/merge");
    const imported = await artifact(id);
    expect(imported).toMatchObject({ locally_modified: false, modified_files: [] });
    const edit = await call("PUT", fileUrl(id, "SKILL.md"), { raw: lines("merge", withLine(1, "two, edited here")), headers: { "if-match": `"${sha256(lines("merge", BODY))}"` } });
    expect(edit.status).toBe(200);
    expect(edit.body.artifact).toMatchObject({ locally_modified: true, modified_files: ["SKILL.md"], base_files: imported.base_files });
    expect((await refresh({ mode: "check" })).status).toBe(200);
    expect(entryOf(await refresh({ mode: "check" }), id)).toMatchObject({ status: "unchanged", update_available: false, reason_code: "unchanged_upstream" });

    repo.write({ "skills/merge/SKILL.md": lines("merge", withLine(8, "nine, changed upstream")), "skills/merge/extra.md": "new upstream file\n" }).commit("upstream edit");
    const check = entryOf(await refresh({ mode: "check", include_diff: true }), id);
    expect(check).toMatchObject({ update_available: true, merge: "clean" });
    const changes = check.files_changed as Json[];
    expect(changes).toEqual([
      { path: "SKILL.md", change: "modified", additions: 1, deletions: 1, patch: expect.stringContaining("-nine\n+nine, changed upstream\n") },
      { path: "extra.md", change: "added", additions: 1, deletions: 0, patch: expect.stringContaining("+new upstream file") },
    ]);
    // check changes nothing
    expect((await call("GET", fileUrl(id, "SKILL.md"))).bytes.toString()).toBe(lines("merge", withLine(1, "two, edited here")));

    const sync = entryOf(await refresh({ mode: "sync" }), id);
    expect(sync).toMatchObject({ status: "refreshed", merge: "clean" });
    const merged = (await call("GET", fileUrl(id, "SKILL.md"))).bytes.toString();
    expect(merged).toBe(lines("merge", BODY.map((line, at) => (at === 1 ? "two, edited here" : at === 8 ? "nine, changed upstream" : line))));
    const after = await artifact(id);
    expect(after).toMatchObject({ locally_modified: true, modified_files: ["SKILL.md"] });
    expect((after.base_files as Json[]).find((file) => file.path === "SKILL.md")?.sha256).toBe(sha256(lines("merge", withLine(8, "nine, changed upstream"))));
    // The base's bytes are readable by hash: it is a version this collection held.
    const base = await call("GET", `/v1/collections/${collectionId}/blobs/${sha256(lines("merge", withLine(8, "nine, changed upstream")))}`);
    expect(base.status).toBe(200);
  });

  it("reports overlapping edits as conflicts and leaves the artifact untouched, unless on_conflict decides", async () => {
    const ids = { overlap: await importGit("skills/overlap"), keep: await importGit("skills/keep"), take: await importGit("skills/take"), gone: await importGit("skills/gone") };
    for (const [name, id] of Object.entries(ids)) {
      expect((await call("PUT", fileUrl(id, "SKILL.md"), { raw: lines(name, withLine(4, "five, ours")) })).status).toBe(200);
      expect((await call("PUT", fileUrl(id, "notes.txt"), { raw: `notes of ${name}, ours\n` })).status).toBe(200);
    }
    const upstream: Record<string, string> = {};
    for (const name of Object.keys(ids)) {
      upstream[`skills/${name}/SKILL.md`] = lines(name, withLine(4, "five, theirs"));
      upstream[`skills/${name}/added.md`] = `added upstream to ${name}\n`;
    }
    repo.write(upstream).remove("skills/gone/notes.txt").commit("conflicting upstream edits");

    const check = await refresh({ mode: "check", artifact_filter: { name_pattern: "overlap" } });
    expect(entryOf(check, ids.overlap)).toMatchObject({ merge: "conflict", conflicts: [{ path: "SKILL.md", kind: "content" }] });

    const before = await artifact(ids.overlap);
    const skipped = entryOf(await refresh({ mode: "sync", artifact_filter: { name_pattern: "overlap" } }), ids.overlap);
    expect(skipped).toMatchObject({ status: "skipped", reason_code: "local_conflict", conflicts: [{ path: "SKILL.md", kind: "content", base_sha256: expect.any(String), ours_sha256: expect.any(String), theirs_sha256: expect.any(String) }] });
    expect(skipped.files_changed).toBeUndefined();
    const unchanged = await artifact(ids.overlap);
    expect(unchanged).toMatchObject({ content_hash: before.content_hash, resolved_version: before.resolved_version, base_files: before.base_files });
    expect((await call("GET", fileUrl(ids.overlap, "SKILL.md"))).bytes.toString()).toBe(lines("overlap", withLine(4, "five, ours")));

    entryOf(await refresh({ mode: "sync", on_conflict: "keep_local", artifact_filter: { name_pattern: "keep" } }), ids.keep);
    expect((await call("GET", fileUrl(ids.keep, "SKILL.md"))).bytes.toString()).toBe(lines("keep", withLine(4, "five, ours")));
    expect((await call("GET", fileUrl(ids.keep, "added.md"))).bytes.toString()).toBe("added upstream to keep\n");

    const take = entryOf(await refresh({ mode: "sync", on_conflict: "take_upstream", artifact_filter: { name_pattern: "take" } }), ids.take);
    expect(take).toMatchObject({ status: "refreshed", merge: "conflict", conflicts: [{ path: "SKILL.md", kind: "content" }] });
    expect((await call("GET", fileUrl(ids.take, "SKILL.md"))).bytes.toString()).toBe(lines("take", withLine(4, "five, theirs")));
    // A file changed only here keeps the local change.
    expect((await call("GET", fileUrl(ids.take, "notes.txt"))).bytes.toString()).toBe("notes of take, ours\n");

    const gone = entryOf(await refresh({ mode: "check", artifact_filter: { name_pattern: "gone" } }), ids.gone);
    expect(gone.conflicts).toEqual(expect.arrayContaining([expect.objectContaining({ path: "notes.txt", kind: "delete_modify", theirs_sha256: null })]));
  });

  it("takes metadata from an edited main file in metadata mode, and says so", async () => {
    const id = await importGit("skills/meta");
    await call("PUT", fileUrl(id, "SKILL.md"), { raw: `${skillFile({ title: "Meta, retitled here", description: "Local" })}` });
    const entry = entryOf(await refresh({ mode: "metadata", artifact_filter: { name_pattern: "meta" } }), id);
    expect(entry).toMatchObject({ reason_code: "locally_modified" });
    expect((await artifact(id)).metadata).toMatchObject({ title: "Meta, retitled here", description: "Local" });
  });

  it("lets one of two editors with the same If-Match win; the other gets 412 and changes nothing", async () => {
    const id = await importGit("skills/race");
    const etag = `"${sha256(lines("race", BODY))}"`;
    const answers = await Promise.all(
      ["first", "second"].map((who) => call("PUT", fileUrl(id, "SKILL.md"), { raw: lines("race", withLine(0, who)), headers: { "if-match": etag } })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
    const winner = answers.find((answer) => answer.status === 200) as { body: Json };
    const stored = (await call("GET", fileUrl(id, "SKILL.md"))).bytes;
    expect(`"${sha256(stored)}"`).toBe(`"${(winner.body.file as Json).sha256 as string}"`);
    expect((await call("DELETE", fileUrl(id, "notes.txt"), { headers: { "if-match": `"${"0".repeat(64)}"` } })).status).toBe(412);
    expect((await call("DELETE", fileUrl(id, "notes.txt"), { headers: { "if-match": "*" } })).status).toBe(200);
    expect((await call("GET", fileUrl(id, "notes.txt"))).status).toBe(404);
  });

  it("answers hostile paths with 422 and writes nothing; refuses files over the size limit with 413", async () => {
    const id = await importGit("skills/hostile");
    const before = await artifact(id);
    for (const path of ["..%2Fescape.md", "a%2F..%2F..%2Fescape.md", "%2Fetc%2Fpasswd", ".git%2Fconfig", "sub%2F.GIT%2Fhooks%2Fpre-commit", "nul%00.md", "x".repeat(1_100)]) {
      const answer = await call("PUT", fileUrl(id, path), { raw: "pwned" });
      expect(answer.status, path).toBe(422);
      expect(answer.body).toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    }
    const large = await call("PUT", fileUrl(id, "large.bin"), { raw: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(large.status).toBe(413);
    expect(await artifact(id)).toMatchObject({ content_hash: before.content_hash, files: before.files });
  });

  it("undoes an edit by rolling back to the snapshot it took", async () => {
    const id = await importGit("skills/undo");
    const edit = await call("PUT", fileUrl(id, "SKILL.md"), { raw: "replaced\n" });
    expect((await artifact(id)).locally_modified).toBe(true);
    const rollback = await call("POST", `/v1/collections/${collectionId}/rollback`, { body: { snapshot_id: edit.body.snapshot_id } });
    expect(rollback.status).toBe(200);
    expect((await call("GET", fileUrl(id, "SKILL.md"))).bytes.toString()).toBe(lines("undo", BODY));
    expect(await artifact(id)).toMatchObject({ locally_modified: false, modified_files: [] });
  });

  it("reads and writes small files inline over tRPC, and sends large ones to the REST route", async () => {
    const id = await importGit("skills/inline");
    const read = await client.artifacts.readFile.query({ collection_id: collectionId, artifact_id: id, path: "notes.txt" });
    expect(Buffer.from(read.content_base64, "base64").toString()).toBe("notes of inline\n");
    const written = await client.artifacts.writeFile.mutate({
      collection_id: collectionId,
      artifact_id: id,
      path: "notes.txt",
      content_base64: Buffer.from("inline edit\n").toString("base64"),
      if_match: read.sha256,
    });
    expect(written.artifact.modified_files).toEqual(["notes.txt"]);
    await expect(
      client.artifacts.writeFile.mutate({ collection_id: collectionId, artifact_id: id, path: "notes.txt", content_base64: Buffer.from("late").toString("base64"), if_match: read.sha256 }),
    ).rejects.toMatchObject({ data: { httpStatus: 412 } });
    await call("PUT", fileUrl(id, "big.bin"), { raw: Buffer.alloc(1024 * 1024 + 1, 7) });
    await expect(client.artifacts.readFile.query({ collection_id: collectionId, artifact_id: id, path: "big.bin" })).rejects.toMatchObject({
      data: { httpStatus: 413 },
      message: expect.stringContaining("/files/{path}"),
    });
    const deleted = await client.artifacts.deleteFile.mutate({ collection_id: collectionId, artifact_id: id, path: "big.bin" });
    expect(deleted.file).toBeNull();
  });

  it("never serves another workspace's or another collection's content", async () => {
    const [first] = (await call("GET", `/v1/collections/${collectionId}/artifacts?name_pattern=bytes`)).body.items as Json[];
    const artifactId = (first as Json).id as string;
    const notes = sha256("notes of bytes\n");
    const stranger = (await call("POST", "/v1/workspaces", { body: { name: "Stranger" } })).body as { admin_key: { key: string } };
    const key = stranger.admin_key.key;
    expect((await call("GET", fileUrl(artifactId, "notes.txt"), { key })).status).toBe(404);
    expect((await call("GET", `/v1/collections/${collectionId}/artifacts/${artifactId}/files`, { key })).status).toBe(404);
    expect((await call("GET", `/v1/collections/${collectionId}/blobs/${notes}`, { key })).status).toBe(404);
    expect((await call("GET", `/v1/collections/${collectionId}/bundle`, { key })).status).toBe(404);
    expect((await call("PUT", fileUrl(artifactId, "notes.txt"), { key, raw: "x" })).status).toBe(404);
    // Another collection of the same workspace never held this hash.
    const other = await client.collections.create.mutate({ name: "Other" });
    expect((await call("GET", `/v1/collections/${other.id}/blobs/${notes}`)).status).toBe(404);
    expect((await call("GET", `/v1/collections/${collectionId}/blobs/${notes}`)).status).toBe(200);
  });
});
