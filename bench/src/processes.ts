import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const OWNER_KEY = "bench-owner-key-0123456789abcdef";

export interface Service {
  url: string;
  child: ChildProcess;
  /** JSON log lines seen so far whose `msg` is `message`. */
  logs(message: string): Record<string, unknown>[];
  /** Resident memory, in MiB (from /proc). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** Starts a process and waits for the line that says it is ready (by default `ready at <url>`, whose URL it keeps). */
export async function startService(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  keepLogs: readonly string[] = [],
  readyLine = /ready at (http:\/\/\S+)/,
): Promise<Service> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  const stdout = child.stdout;
  if (!stdout) throw new Error("no stdout pipe");
  let buffer = "";
  const kept: Record<string, unknown>[] = [];
  let resolveUrl: (url: string) => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve;
    timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start:\n${buffer}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  }).finally(() => clearTimeout(timer));
  // Read every line (request logs included) so the process never blocks on a full pipe.
  stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const ready = readyLine.exec(line);
      if (ready?.[1]) resolveUrl(ready[1]);
      if (keepLogs.length > 0 && line.startsWith("{")) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (keepLogs.includes(String(entry.msg))) kept.push(entry);
      }
    }
  });
  return {
    url: await url,
    child,
    logs: (message) => kept.filter((entry) => entry.msg === message),
    rssMiB: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, "utf8"));
      return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The Scriptorium server, API only, on a fresh data directory (or on PostgreSQL, with `env.DATABASE_URL`). */
export async function startScriptorium(keepLogs: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Service & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "scriptorium-bench-"));
  const service = await startService(
    process.execPath,
    [join(REPO_ROOT, "apps/server/dist/main.js")],
    {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      SCRIPTORIUM_DATA_DIR: dataDir,
      SCRIPTORIUM_BOOTSTRAP_KEY: OWNER_KEY,
      SCRIPTORIUM_DASHBOARD: "off",
      // The benchmarks measure throughput, not the per-key limit.
      SCRIPTORIUM_RATE_LIMIT: "0",
      ...env,
    },
    keepLogs,
  );
  return {
    ...service,
    dataDir,
    stop: async () => {
      await service.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Samples a process's RSS every 50 ms until stopped; returns the peak. */
export function sampleRss(service: Service): { stop(): number } {
  let peak = service.rssMiB();
  const timer = setInterval(() => {
    peak = Math.max(peak, service.rssMiB());
  }, 50);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, service.rssMiB());
    },
  };
}

/** A worker-only process on PostgreSQL, running `slots` jobs at once. */
export function startWorker(databaseUrl: string, slots: number): Promise<Service> {
  return startService(
    process.execPath,
    [join(REPO_ROOT, "apps/server/dist/worker.js")],
    { NODE_ENV: "production", DATABASE_URL: databaseUrl, SCRIPTORIUM_WORKERS: String(slots), LOG_LEVEL: "warn", SCRIPTORIUM_DATA_DIR: tmpdir() },
    [],
    /worker is (running)/,
  );
}
