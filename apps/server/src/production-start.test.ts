import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchPostgres } from "@scriptorium/db/testing";

const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));
const KEY = "production-start-owner-key-0123456789";
/** A fresh clone installs and builds everything: minutes on a busy two-core machine. */
const START_TIMEOUT_MS = 12 * 60_000;

interface Running {
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

/**
 * `npm run <script>` in the clone, as an operator types it, with
 * NODE_ENV=production and nothing else set up. Stopping signals its whole
 * process group, as Ctrl-C in a terminal or a service manager does.
 */
function npm(clone: string, script: string, env: Record<string, string>): Running {
  const child = spawn("npm", ["run", "--silent", script], {
    cwd: clone,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? clone, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    output: () => output,
    exited,
    stop: async () => {
      const group = child.pid;
      if (group === undefined) return exited;
      try {
        process.kill(-group, "SIGTERM");
      } catch {
        return exited;
      }
      // npm itself ends at once; wait for the whole group (the server closing its database) to be gone.
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        try {
          process.kill(-group, 0);
        } catch {
          break;
        }
      }
      return exited;
    },
  };
}

async function waitFor(running: Running, line: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const match = line.exec(running.output());
    if (match) return match;
    const exitCode = await Promise.race([running.exited, new Promise((resolve) => setTimeout(() => resolve("running"), 250))]);
    if (exitCode !== "running" || Date.now() > deadline) throw new Error(`no ${line} (${exitCode}):\n${running.output().slice(-4_000)}`);
  }
}

/**
 * A fresh clone deployed the way servers are: NODE_ENV=production for
 * `npm start`, `npm run worker` and `npm run copy-to-postgres`, which must
 * install what the build needs and then serve in production mode.
 */
describe("a fresh clone with NODE_ENV=production", { timeout: START_TIMEOUT_MS + 120_000 }, () => {
  let clone: string;
  let dataDir: string;

  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), "scriptorium-clone-"));
    dataDir = mkdtempSync(join(tmpdir(), "scriptorium-production-data-"));
    const cloned = spawnSync("git", ["clone", "--quiet", REPOSITORY, clone], { encoding: "utf8" });
    expect(cloned.status, cloned.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(clone, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("installs, builds and serves with npm start: the API, the dashboard, readiness", async () => {
    const server = npm(clone, "start", { PORT: "0", SCRIPTORIUM_DATA_DIR: dataDir, SCRIPTORIUM_BOOTSTRAP_KEY: KEY });
    try {
      const [, url] = await waitFor(server, /ready at (http:\/\/\S+)/);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const whoami = await fetch(`${url}/api/v1/whoami`, { headers: { "x-api-key": KEY } });
      expect(whoami.status).toBe(200);
      expect(((await whoami.json()) as { key: { scope: string } }).key.scope).toBe("owner");
      const dashboard = await fetch(`${url}/`);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain("Scriptorium");
      expect((await fetch(`${url}/api/v1/collections`, { headers: { "x-api-key": KEY }, method: "POST", body: JSON.stringify({ name: "Kept" }) })).status).toBe(415);
      expect(
        (await fetch(`${url}/api/v1/collections`, { headers: { "x-api-key": KEY, "content-type": "application/json" }, method: "POST", body: JSON.stringify({ name: "Kept" }) }))
          .status,
      ).toBe(200);
    } finally {
      await server.stop();
    }
    // Stopped gracefully: it said so, and let go of its data directory (the copy below opens it).
    expect(server.output()).toContain('"msg":"shutting down"');
  });

  it("moves the data with npm run copy-to-postgres, then runs a worker on it with npm run worker", async () => {
    const postgres = await createScratchPostgres();
    try {
      const copy = npm(clone, "copy-to-postgres", { SCRIPTORIUM_DATA_DIR: dataDir, DATABASE_URL: postgres.url });
      expect(await copy.exited, copy.output()).toBe(0);
      expect(copy.output()).toMatch(/collections: 1 rows/);
      const worker = npm(clone, "worker", { SCRIPTORIUM_DATA_DIR: dataDir, DATABASE_URL: postgres.url });
      await waitFor(worker, /worker is running/);
      await worker.stop();
      expect(worker.output()).toContain('"msg":"shutting down"');
    } finally {
      await postgres.drop();
    }
  });
});
