import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run, start, stop } from "./testing/processes";

// Each test starts and stops real server processes, each start with its own initdb on a busy machine.
describe("the server process", { timeout: 120_000 }, () => {
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
