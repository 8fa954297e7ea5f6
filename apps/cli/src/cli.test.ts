import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CliHarness, cleanEnv, OWNER_KEY, startProxy, type Run } from "./testing/harness";

/**
 * The command as people get it: built, packed, installed from the tarball
 * into a prefix of its own (no repository on its path), and run against a
 * real server started from the server's build (src/testing/harness.ts).
 */
const harness = new CliHarness();
const { work, bin, home } = harness;
let url: string;
const cli = (args: string[], env: Record<string, string> = {}) => harness.cli(args, env);
const json = <T = Record<string, unknown>>(args: string[], env: Record<string, string> = {}) => harness.json<T>(args, env);
const rest = (path: string) => harness.rest(path);

/** Runs the installed `scriptorium` on a pseudo-terminal (util-linux `script`), or null where there is none. */
function onTerminal(args: string[]): Run | null {
  if (!existsSync("/usr/bin/script")) return null;
  const command = [bin, ...args].map((arg) => `'${arg.replaceAll("'", `'"'"'`)}'`).join(" ");
  const run = spawnSync("script", ["-qfec", command, "/dev/null"], { env: harness.runEnv({ TERM: "xterm" }), timeout: 120_000 });
  return { code: run.status, bytes: run.stdout, stdout: run.stdout.toString("utf8"), stderr: run.stderr.toString("utf8") };
}

const NO_TERMINAL = "`script` (util-linux) is not installed: no pseudo-terminal to run the command in";

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const SKILL_ALPHA = "---\nname: alpha\ndescription: The first skill.\n---\n\n# Alpha\n\nSays hello.\n";
const BINARY = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256));

beforeAll(async () => {
  await harness.setUp(inject("cliTarball"));
  url = harness.url;
}, 180_000);

afterAll(() => harness.tearDown());

describe("the installed scriptorium command", () => {
  it("installs with its dependencies alone and prints help", async () => {
    const installed = readdirSync(join(work, "prefix/lib/node_modules/@scriptorium/cli/node_modules")).sort();
    expect(installed).not.toContain("@scriptorium");
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: scriptorium");
    for (const command of ["login", "whoami", "keys", "collections", "refresh", "projects", "generate", "follow", "export"]) expect(run.stdout).toContain(command);
  });

  it("refuses usage errors with exit 2 and usage on stderr", async () => {
    for (const args of [["bogus"], ["collections", "list", "--nope"], ["refresh", "lib", "--mode", "bogus"], ["projects", "create"], ["projects", "create", "--title", "x", "--words", "ten"], []]) {
      const run = await cli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(/usage|error/i);
      expect(run.stdout).toBe("");
    }
  });

  it("asks for a login first", async () => {
    const run = await cli(["whoami"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("scriptorium login");
  });

  it("refuses a wrong key with the server's message and saves nothing", async () => {
    const run = await cli(["login", "--url", url, "--key", "not-a-key"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("This API key is unknown or has been revoked.");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(home, ".config/scriptorium/config.json"))).toBe(false);
  });

  it("logs in, saving the key readable by its owner alone", async () => {
    const run = await cli(["login", "--url", url, "--key", OWNER_KEY]);
    expect(run.code, run.stderr).toBe(0);
    const path = join(home, ".config/scriptorium/config.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ url, key: OWNER_KEY });
    const me = await json<{ workspace: { id: string }; key: { scope: string } }>(["whoami"]);
    expect(me.key.scope).toBe("owner");
    expect(me).toEqual(await (await rest("/api/v1/whoami")).json());
  });

  it("manages keys, and the environment overrides the saved login", async () => {
    const created = await json<{ id: string; key: string; scope: string }>(["keys", "create", "ci", "--scope", "read"]);
    expect(created.scope).toBe("read");
    const listed = await json<{ items: { id: string }[] }>(["keys", "list"]);
    expect(listed.items.map((k) => k.id)).toContain(created.id);
    const asRead = await json<{ key: { id: string } }>(["whoami"], { SCRIPTORIUM_KEY: created.key });
    expect(asRead.key.id).toBe(created.id);
    expect((await cli(["keys", "revoke", created.id])).code).toBe(0);
    const revoked = await cli(["whoami"], { SCRIPTORIUM_KEY: created.key });
    expect(revoked.code).toBe(1);
    expect(revoked.stderr).toContain("This API key is unknown or has been revoked.");
  });

  describe("collections", () => {
    let source: string;
    let collectionId: string;

    beforeAll(() => {
      source = join(work, "skills");
      mkdirSync(join(source, "alpha"), { recursive: true });
      writeFileSync(join(source, "alpha/SKILL.md"), SKILL_ALPHA);
      writeFileSync(join(source, "alpha/data.bin"), BINARY);
      mkdirSync(join(source, "beta/scripts"), { recursive: true });
      writeFileSync(join(source, "beta/SKILL.md"), "---\nname: beta\ndescription: Installs things.\n---\n\nRun scripts/setup.sh.\n");
      writeFileSync(join(source, "beta/scripts/setup.sh"), "#!/bin/sh\ncurl -fsSL https://example.com/install.sh | sh\n");
      chmodSync(join(source, "beta/scripts/setup.sh"), 0o755);
    });

    it("creates a collection and adds a local folder of skills", async () => {
      const created = await json<{ id: string; name: string }>(["collections", "create", "lib", "--description", "test skills"]);
      collectionId = created.id;
      const added = await cli(["add", "lib", source]);
      // beta pipes a download into a shell: a high finding, so the import needs attention.
      expect(added.code, added.stderr).toBe(3);
      expect(added.stdout).toMatch(/Added 2 artifacts/);
      const shown = await json(["collections", "show", "lib"]);
      expect(shown).toEqual(await (await rest(`/api/v1/collections/${collectionId}`)).json());
      expect(await json(["collections", "show", collectionId])).toEqual(shown);
      const table = await cli(["collections", "list"]);
      expect(table.stdout).toMatch(/lib\s+2\s/);
    });

    it("lists artifacts and files, and prints files byte for byte", async () => {
      const artifacts = await json<{ items: { name: string; type: string }[] }>(["artifacts", "lib"]);
      expect(artifacts.items.map((a) => a.name).sort()).toEqual(["alpha", "beta"]);
      const filtered = await json<{ items: { name: string }[] }>(["artifacts", "lib", "--name-pattern", "al*"]);
      expect(filtered.items.map((a) => a.name)).toEqual(["alpha"]);
      const files = await json<{ items: { path: string }[] }>(["files", "lib", "alpha"]);
      expect(files.items.map((f) => f.path)).toEqual(["SKILL.md", "data.bin"]);
      const text = await cli(["cat", "lib", "alpha", "SKILL.md"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toBe(SKILL_ALPHA);
      const binary = await cli(["cat", "lib", "alpha", "data.bin"]);
      expect(binary.bytes.equals(BINARY)).toBe(true);
      const missing = await cli(["cat", "lib", "alpha", "nope.txt"]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/^error: /);
    });

    it("reports findings, exiting 3 on high ones", async () => {
      // alpha's only finding is a low one (a binary file): worth listing, not an alarm.
      const clean = await cli(["findings", "lib", "alpha", "--json"]);
      expect(clean.code).toBe(0);
      expect((JSON.parse(clean.stdout) as { items: { rule_id: string }[] }).items.map((f) => f.rule_id)).toEqual(["file.binary"]);
      const risky = await cli(["findings", "lib", "beta"]);
      expect(risky.code).toBe(3);
      expect(risky.stdout).toContain("shell.remote-code");
      const all = await cli(["findings", "lib", "--json"]);
      expect(all.code).toBe(3);
      expect((JSON.parse(all.stdout) as { items: { name: string }[] }).items.map((a) => a.name).sort()).toEqual(["alpha", "beta"]);
    });

    it("tells artifacts that share a name apart by type", async () => {
      const command = join(work, "alpha.md");
      writeFileSync(command, "---\ndescription: A command called alpha.\n---\n\nDo the alpha thing.\n");
      expect((await cli(["add", "lib", command, "--type", "command", "--name", "alpha"])).code).toBe(0);
      const ambiguous = await cli(["files", "lib", "alpha"]);
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain("command/alpha");
      expect(ambiguous.stderr).toContain("skill/alpha");
      const files = await json<{ items: { path: string }[] }>(["files", "lib", "skill/alpha"]);
      expect(files.items.map((f) => f.path)).toContain("data.bin");
    });

    it("refreshes with coloured diffs, syncs, and rolls back", async () => {
      writeFileSync(join(source, "alpha/SKILL.md"), SKILL_ALPHA.replace("Says hello.", "Says hello, then goodbye."));
      const check = await cli(["refresh", "lib", "--mode", "check", "--diff", "--type", "skill"]);
      expect(check.code, check.stderr).toBe(0);
      expect(check.stdout).toMatch(/check: .*1 with updates available/);
      expect(check.stdout).toContain("-Says hello.");
      expect(check.stdout).toContain("+Says hello, then goodbye.");
      expect(check.stdout).toContain("@@");
      expect(check.stdout).not.toContain("\u001b[");
      // On a terminal the same patch is coloured.
      const coloured = await cli(["refresh", "lib", "--mode", "check", "--diff", "--name-pattern", "alpha"], { FORCE_COLOR: "1" });
      expect(coloured.stdout).toContain("\u001b[32m+Says hello, then goodbye.");
      expect(coloured.stdout).toContain("\u001b[31m-Says hello.");
      expect(coloured.stdout).toContain("\u001b[36m@@");

      const sync = await json<{ snapshot_id: string; result: { refreshed_count: number } }>(["refresh", "lib", "--mode", "sync", "--on-conflict", "merge", "--type", "skill"]);
      expect(sync.result.refreshed_count).toBe(1);
      expect(sync.snapshot_id).toBeTruthy();
      expect((await cli(["cat", "lib", "skill/alpha", "SKILL.md"])).stdout).toContain("then goodbye");

      const snapshots = await json<{ items: { id: string }[] }>(["snapshots", "lib"]);
      expect(snapshots.items.map((s) => s.id)).toContain(sync.snapshot_id);
      const rollback = await json<{ snapshot_id: string; undo_snapshot_id: string }>(["rollback", "lib", "--snapshot", sync.snapshot_id]);
      expect(rollback.snapshot_id).toBe(sync.snapshot_id);
      expect((await cli(["cat", "lib", "skill/alpha", "SKILL.md"])).stdout).toBe(SKILL_ALPHA);
    });

    it("shows a refresh's progress as a bar on a terminal, fed live by the server", async (context) => {
      const run = onTerminal(["refresh", "lib", "--mode", "check"]);
      if (!run) return context.skip(NO_TERMINAL);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("Refreshing lib |");
      // The final frame shows every artifact of the collection compared, as the server reported it.
      expect(run.stdout).toMatch(/([1-9]\d*)\/\1 artifacts {2}done/);
      // The mode may be set in bold: an escape sequence is what the terminal gets.
      // eslint-disable-next-line no-control-regex
      expect(run.stdout).toMatch(/check(\u001b\[\d+m)?: \d+ refreshed/);
    }, 120_000);
  });

  describe("projects", () => {
    let projectId: string;

    it("creates a project and follows its generation in plain lines", async () => {
      const project = await json<{ id: string; target_words: number }>(["projects", "create", "--title", "Short Book", "--words", "1000", "--chapters", "2", "--seed", "7"]);
      projectId = project.id;
      expect(project.target_words).toBe(1000);
      const run = await cli(["generate", "Short Book", "--follow"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("stage 1 High concept started");
      expect(run.stdout).toContain("stage 12 Output validation completed");
      expect(run.stdout).toMatch(/words written: \d+/);
      expect(run.stdout).toMatch(/Short Book: job completed, [\d,]+ words/);
      expect(run.stdout).not.toContain("\u001b[");
      const shown = await json<{ status: string }>(["projects", "show", projectId]);
      expect(shown.status).toBe("completed");
    }, 120_000);

    it("streams one JSON object per line with --json", async () => {
      const run = await cli(["generate", projectId, "--force", "--follow", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const events = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; data: { status?: string } });
      expect(events.some((e) => e.type === "stage_completed")).toBe(true);
      expect(events.at(-1)).toMatchObject({ type: "status_update", data: { status: "completed" } });
    }, 120_000);

    it("plans before spending, rewrites one scene with an instruction, and lists the runs", async () => {
      type Chapters = { chapters: { scenes: { text: string }[] }[] };
      const nothing = await cli(["plan", projectId]);
      expect(nothing.code, nothing.stderr).toBe(0);
      expect(nothing.stdout).toContain("nothing to run");
      const plan = await json<{ kind: string; stages: { number: number; reason: string; scene_count: number }[] }>(["plan", projectId, "--rewrite-chapter", "2", "--rewrite-scene", "1"]);
      expect(plan.kind).toBe("rewrite");
      expect(plan.stages.map((stage) => stage.number)).toEqual([6, 7, 8, 9, 10, 11, 12]);
      expect(plan.stages.every((stage) => stage.reason === "forced")).toBe(true);
      expect(plan.stages[0]?.scene_count).toBe(1);
      const table = await cli(["plan", projectId, "--force"]);
      expect(table.stdout).toMatch(/1\s+High concept\s+forced/);
      expect(table.stdout).toMatch(/total\s+free/);
      expect((await cli(["plan", projectId, "--revise"])).code).toBe(2);

      const before = (await (await rest(`/api/v2/projects/${projectId}/manuscript`)).json()) as Chapters;
      const tooLong = await cli(["rewrite", projectId, "--chapter", "2", "--instruction", "x".repeat(4_001)]);
      expect(tooLong.code).toBe(1);
      expect(tooLong.stderr).toContain("4,000 characters");
      const rewrite = await cli(["rewrite", "Short Book", "--chapter", "2", "--scene", "1", "--instruction", "Let the fog lift.", "--follow"]);
      expect(rewrite.code, rewrite.stderr).toBe(0);
      expect(rewrite.stdout).toMatch(/job completed/);
      const after = (await (await rest(`/api/v2/projects/${projectId}/manuscript`)).json()) as Chapters;
      expect(after.chapters[0]).toEqual(before.chapters[0]);
      expect(after.chapters[1]?.scenes[0]?.text).not.toBe(before.chapters[1]?.scenes[0]?.text);

      const runs = await cli(["runs", projectId]);
      expect(runs.code, runs.stderr).toBe(0);
      expect(runs.stdout.split("\n")[1]).toMatch(/rewrite ch\. 2 sc\. 1\s+completed/);
      const listed = await json<{ items: { kind: string; rewrite: { instruction: string } | null }[] }>(["runs", projectId]);
      expect(listed.items[0]).toMatchObject({ kind: "rewrite", rewrite: { instruction: "Let the fog lift." } });
      expect(listed.items.slice(1).every((job) => job.kind === "full")).toBe(true);
    }, 120_000);

    it("draws progress bars on a terminal", async (context) => {
      const run = onTerminal(["generate", projectId, "--force", "--follow"]);
      if (!run) return context.skip(NO_TERMINAL);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain("█");
      expect(run.stdout).toContain("High concept");
      expect(run.stdout).toContain("words written:");
      expect(run.stdout).toMatch(/job completed/);
    }, 120_000);

    it("exports files identical to the download routes, never leaving partial files", async () => {
      const out = join(work, "exports");
      const summary = await json<{ files: { format: string; path: string; sha256: string }[] }>(["export", "Short Book", "--format", "md,txt,epub", "-o", out]);
      expect(summary.files.map((f) => f.format)).toEqual(["epub", "md", "txt"]);
      for (const file of summary.files) {
        const served = Buffer.from(await (await rest(`/api/v2/projects/${projectId}/export/${file.format}`)).arrayBuffer());
        expect(readFileSync(file.path).equals(served), file.format).toBe(true);
      }
      expect(readdirSync(out).sort()).toEqual(summary.files.map((f) => f.path.slice(out.length + 1)).sort());
    }, 120_000);

    it("leaves no partial file and says so plainly when the server goes away in the middle of a download or a call", async () => {
      // A proxy in front of the server that cuts export downloads halfway, and drops every call to one procedure.
      const proxy = await startProxy(url, (req) => {
        if (req.url?.startsWith("/trpc/projects.get")) return "drop";
        return /^\/api\/v2\/projects\/[^/]+\/export\/[^/]+$/.test(req.url ?? "") ? "cut" : "pass";
      });
      const proxyUrl = proxy.url;
      const proxied = { SCRIPTORIUM_URL: proxyUrl, SCRIPTORIUM_KEY: OWNER_KEY };
      const goneAway = `error: Cannot reach the Scriptorium server at ${proxyUrl}: the server closed the connection.`;
      try {
        const out = join(work, "cut-exports");
        const cut = await cli(["export", projectId, "--format", "epub", "-o", out], proxied);
        expect(cut.code).toBe(1);
        expect(cut.stderr.trim()).toBe(goneAway);
        expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
        const dropped = await cli(["projects", "show", projectId], proxied);
        expect(dropped.code).toBe(1);
        expect(dropped.stderr.trim()).toBe(goneAway);
      } finally {
        await proxy.close();
      }
    }, 120_000);

    it("asks for the id when two projects share a title", async () => {
      await json(["projects", "create", "--title", "Short Book", "--words", "1000"]);
      const run = await cli(["projects", "show", "Short Book"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(projectId);
      expect((await cli(["projects", "show", projectId])).code).toBe(0);
    });
  });

  it("stops following on Ctrl-C without stopping the job; pause, resume and cancel control it", async () => {
    const project = await json<{ id: string }>(["projects", "create", "--title", "Long Book", "--words", "150000", "--seed", "3"]);
    const child = spawn(bin, ["generate", project.id, "--follow"], { env: cleanEnv({ HOME: home, XDG_CONFIG_HOME: join(home, ".config") }), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    while (!stdout.includes("started")) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain("the job goes on");
    const job = (await (await rest(`/api/v2/projects/${project.id}/generate/status`)).json()) as { status: string };
    expect(["queued", "running", "completed"]).toContain(job.status);

    expect((await json<{ pause_requested: boolean; status: string }>(["pause", "Long Book"])).status).toMatch(/running|paused/);
    let paused = "";
    for (let i = 0; i < 100 && paused !== "paused"; i++) {
      paused = ((await (await rest(`/api/v2/projects/${project.id}/generate/status`)).json()) as { status: string }).status;
      if (paused !== "paused") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(paused).toBe("paused");
    expect((await json<{ status: string }>(["resume", "Long Book"])).status).toMatch(/queued|running/);
    expect((await cli(["cancel", "Long Book"])).code).toBe(0);
    const followed = await cli(["follow", "Long Book"]);
    expect(followed.code).toBe(1);
    expect(followed.stdout).toMatch(/cancelled/);
  }, 120_000);

  it("lists and deletes collections and projects, reruns one stage, and logs out", async () => {
    const collection = await json<{ id: string }>(["collections", "create", "Short-lived"]);
    const collections = await json<{ items: { id: string }[] }>(["collections", "list"]);
    expect(collections.items.map((item) => item.id)).toContain(collection.id);
    expect(await json(["collections", "delete", "Short-lived"])).toEqual({ id: collection.id, deleted: true });
    expect((await cli(["collections", "show", collection.id])).code).toBe(1);

    const project = await json<{ id: string }>(["projects", "create", "--title", "Staged Book", "--words", "1000", "--seed", "3"]);
    const projects = await json<{ items: { id: string; title: string }[] }>(["projects", "list"]);
    expect(projects.items.find((item) => item.id === project.id)?.title).toBe("Staged Book");
    expect((await cli(["generate", "Staged Book", "--follow"])).code).toBe(0);
    const rerun = await cli(["stage", "Staged Book", "12", "--follow"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/job completed/);
    expect((await cli(["stage", "Staged Book", "13"])).code).toBe(2);
    expect(await json(["projects", "delete", "Staged Book"])).toMatchObject({ id: project.id, deleted: true });

    const out = await cli(["logout"]);
    expect(out.code).toBe(0);
    expect(existsSync(join(home, ".config/scriptorium/config.json"))).toBe(false);
    expect((await cli(["whoami"])).code).toBe(1);
    // Log in again for what follows.
    expect((await cli(["login", "--url", url, "--key", OWNER_KEY])).code).toBe(0);
  }, 180_000);

  it("says plainly when the server cannot be reached", async () => {
    const port = await freePort();
    const run = await cli(["collections", "list"], { SCRIPTORIUM_URL: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`error: Cannot reach the Scriptorium server at http://127.0.0.1:${port}: connection refused; is the server running?`);
  });
});
