import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError } from "./lock";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "scriptorium-lock-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** A PID that certainly belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.exit(0)"]);
  return child.pid;
}

describe("data directory lock", () => {
  it("writes the owner's PID and removes the file on release", () => {
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lock.path, "utf8").trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it("refuses a second owner while the first is alive, naming its PID", () => {
    const lock = acquireDataDirLock(dataDir);
    try {
      expect(() => acquireDataDirLock(dataDir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dataDir)).toThrow(`(PID ${process.pid})`);
    } finally {
      lock.release();
    }
  });

  it("refuses when another live process holds the lock", async () => {
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      writeFileSync(join(dataDir, "scriptorium.lock"), `${holder.pid}\n`);
      expect(() => acquireDataDirLock(dataDir)).toThrow(`in use by another Scriptorium process (PID ${holder.pid})`);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  it("reclaims a stale lock whose owner is dead", () => {
    writeFileSync(join(dataDir, "scriptorium.lock"), `${deadPid()}\n`);
    const lock = acquireDataDirLock(dataDir);
    expect(readFileSync(lock.path, "utf8").trim()).toBe(String(process.pid));
    lock.release();
  });

  it("reclaims a lock file with garbage in it", () => {
    writeFileSync(join(dataDir, "scriptorium.lock"), "not a pid");
    const lock = acquireDataDirLock(dataDir);
    lock.release();
  });

  it("does not delete a lock that another process has taken since", () => {
    const lock = acquireDataDirLock(dataDir);
    writeFileSync(lock.path, "1\n");
    lock.release();
    expect(readFileSync(lock.path, "utf8").trim()).toBe("1");
  });
});
