import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const OWNER_KEY = "bench-owner-key-0123456789abcdef";
/** USER_HZ, which Linux fixes at 100 for /proc. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface Service {
  url: string;
  child: ChildProcess;
  /** JSON log lines written so far whose `msg` is `message`. */
  logs(message: string): Record<string, unknown>[];
  /** Resident memory, in MiB (from /proc). */
  rssMiB(): number;
  /** CPU time the process has used so far (user and system), in seconds (from /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/**
 * Starts a process and waits for the line that says it is ready (by default
 * `ready at <url>`, whose URL it keeps). Its standard output goes to a file,
 * as a deployment's would: the benchmark process, which also runs the load
 * generator, never spends time reading log lines while it measures.
 */
export async function startService(command: string, args: string[], env: Record<string, string>, readyLine = /ready at (http:\/\/\S+)/): Promise<Service> {
  const logDir = mkdtempSync(join(tmpdir(), "scriptorium-bench-log-"));
  const logFile = join(logDir, "stdout.log");
  const output = openSync(logFile, "w");
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", output, "inherit"] });
  closeSync(output);
  const removeLog = () => rmSync(logDir, { recursive: true, force: true });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    url = readyLine.exec(readFileSync(logFile, "utf8"))?.[1];
    if (url) break;
    const exitCode = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 25))]);
    if (exitCode !== undefined || Date.now() > deadline) {
      const log = readFileSync(logFile, "utf8");
      child.kill("SIGKILL");
      removeLog();
      throw new Error(`${args.join(" ")} ${exitCode === undefined ? "did not start" : `exited with ${exitCode}`}:\n${log}`);
    }
  }
  return {
    url,
    child,
    logs: (message) =>
      readFileSync(logFile, "utf8")
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.msg === message),
    rssMiB: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, "utf8"));
      return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
    },
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks of 1/100 s; the name before them may hold spaces.
      const stat = readFileSync(`/proc/${child.pid ?? 0}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      removeLog();
    },
  };
}

/** The V8 flags and environment `npm start` and `npm run worker` run the server with. */
const SERVER_RUNTIME = JSON.parse(readFileSync(join(REPO_ROOT, "apps/server/runtime.json"), "utf8")) as { nodeFlags: string[]; env: Record<string, string> };

/** The Scriptorium server as `npm start` runs it, API only, on a fresh data directory (or on PostgreSQL, with `env.DATABASE_URL`). */
export function startScriptorium(env: Record<string, string> = {}): Promise<Service & { dataDir: string }> {
  return startServer([join(REPO_ROOT, "apps/server/dist/main.js")], env);
}

/**
 * The same server run from source: the same edge, but @trpc/server as
 * published, without the bundle's two changes to it (a faster object-spread
 * helper, synchronous validation: apps/server/src/http/fast/trpc-bundle.ts).
 */
export function startScriptoriumFromSource(env: Record<string, string> = {}): Promise<Service & { dataDir: string }> {
  return startServer(["--import", "tsx", join(REPO_ROOT, "apps/server/src/main.ts")], env);
}

/**
 * The same services behind the stock adapters alone (`stock-server.ts`),
 * run from source so that @trpc/server is the published package.
 */
export function startStockAdapters(env: Record<string, string> = {}): Promise<Service & { dataDir: string }> {
  return startServer(["--import", "tsx", join(REPO_ROOT, "bench/src/stock-server.ts")], env);
}

async function startServer(args: string[], env: Record<string, string>): Promise<Service & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "scriptorium-bench-"));
  // Each with the V8 flags and environment `npm start` uses, so that the comparisons differ only in their code.
  const service = await startService(process.execPath, [...SERVER_RUNTIME.nodeFlags, ...args], {
    ...SERVER_RUNTIME.env,
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    SCRIPTORIUM_DATA_DIR: dataDir,
    SCRIPTORIUM_BOOTSTRAP_KEY: OWNER_KEY,
    SCRIPTORIUM_DASHBOARD: "off",
    // The benchmarks measure throughput, not the per-key limit.
    SCRIPTORIUM_RATE_LIMIT: "0",
    ...env,
  });
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
    [...SERVER_RUNTIME.nodeFlags, join(REPO_ROOT, "apps/server/dist/worker.js")],
    { ...SERVER_RUNTIME.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, SCRIPTORIUM_WORKERS: String(slots), LOG_LEVEL: "warn", SCRIPTORIUM_DATA_DIR: tmpdir() },
    /worker is (running)/,
  );
}
