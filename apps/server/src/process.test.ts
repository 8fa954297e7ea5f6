import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** These tests run the built server (`npm run build`) as users do. */
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; errors: () => string; exited: Promise<number | null> } {
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    SCRIPTORIUM_DASHBOARD: "off",
    ...env,
  };
  const child = spawn(process.execPath, [MAIN], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, errors: () => err, exited };
}

async function start(env: Record<string, string>): Promise<Started> {
  const running = run(env);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /ready at (http:\/\/\S+)/.exec(running.output());
    if (match?.[1]) return { ...running, url: match[1] };
    if (running.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  running.child.kill("SIGKILL");
  throw new Error(`server did not start:\n${running.output()}\n${running.errors()}`);
}

async function stop(server: Started): Promise<number | null> {
  server.child.kill("SIGTERM");
  return server.exited;
}

describe("the server process", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "scriptorium-process-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("generates an owner key once, prints it, and stores it with mode 0600", async () => {
    const first = await start({ SCRIPTORIUM_DATA_DIR: dataDir });
    try {
      const keyFile = join(dataDir, "owner.key");
      const key = readFileSync(keyFile, "utf8").trim();
      expect(key).toMatch(/^scr_[\w-]{43}$/);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(first.output().split(key).length - 1).toBe(1);

      const me = await fetch(`${first.url}/api/v1/whoami`, { headers: { "x-api-key": key } });
      expect(me.status).toBe(200);
      // The key reached the server in a header; the logs must not repeat it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const logLines = first.output().split("\n").filter((line) => line.startsWith("{"));
      expect(logLines.some((line) => line.includes('"path":"/api/v1/whoami"'))).toBe(true);
      expect(logLines.join("\n")).not.toContain(key);
      for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      expect(await stop(first)).toBe(0);
    }
    expect(existsSync(join(dataDir, "scriptorium.lock"))).toBe(false);

    const second = await start({ SCRIPTORIUM_DATA_DIR: dataDir });
    try {
      expect(second.output()).not.toContain("owner key (shown once");
    } finally {
      await stop(second);
    }
  });

  it("refuses to open a data directory another live process holds", async () => {
    const holder = await start({ SCRIPTORIUM_DATA_DIR: dataDir });
    try {
      const intruder = run({ SCRIPTORIUM_DATA_DIR: dataDir });
      expect(await intruder.exited).toBe(1);
      expect(intruder.errors()).toContain(`is in use by another Scriptorium process (PID ${holder.child.pid})`);
      const still = await fetch(`${holder.url}/readyz`);
      expect(still.status).toBe(200);
    } finally {
      await stop(holder);
    }
  });

  it("reclaims the lock of a process that was killed", async () => {
    const victim = await start({ SCRIPTORIUM_DATA_DIR: dataDir });
    victim.child.kill("SIGKILL");
    await victim.exited;
    expect(existsSync(join(dataDir, "scriptorium.lock"))).toBe(true);
    const next = await start({ SCRIPTORIUM_DATA_DIR: dataDir });
    try {
      expect((await fetch(`${next.url}/readyz`)).status).toBe(200);
    } finally {
      await stop(next);
    }
  });

  it("stops with a clear message on bad configuration", async () => {
    const bad = run({ SCRIPTORIUM_DATA_DIR: dataDir, PORT: "eighty", SCRIPTORIUM_BOOTSTRAP_KEY: "short" });
    expect(await bad.exited).toBe(1);
    expect(bad.errors()).toContain("Invalid configuration: PORT");
    expect(bad.errors()).toContain("SCRIPTORIUM_BOOTSTRAP_KEY must be at least 16 characters long");
  });
});
