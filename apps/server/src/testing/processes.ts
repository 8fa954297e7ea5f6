import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** These tests run the built server (`npm run build`) as users do. */
const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
const WORKER = fileURLToPath(new URL("../../dist/worker.js", import.meta.url));
const COPY_TO_POSTGRES = fileURLToPath(new URL("../../dist/copy-to-postgres.js", import.meta.url));

export interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export function run(env: Record<string, string>, entry = MAIN): { child: ChildProcess; output: () => string; errors: () => string; exited: Promise<number | null> } {
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    SCRIPTORIUM_DASHBOARD: "off",
    // Tests poll as fast as they can; the per-key limit has a test of its own.
    SCRIPTORIUM_RATE_LIMIT: "0",
    ...env,
  };
  const child = spawn(process.execPath, [entry], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, errors: () => err, exited };
}

export async function start(env: Record<string, string>): Promise<Started> {
  return started(run(env), /ready at (http:\/\/\S+)/);
}

/** A worker-only process (`dist/worker.js`), once it has started claiming jobs. */
export async function startWorker(env: Record<string, string>): Promise<Omit<Started, "url">> {
  const { url: _ready, ...worker } = await started(run(env, WORKER), /worker is (running)/);
  return worker;
}

/** A worker-only process, without waiting for it to be ready (it may be waiting for its database). */
export function runWorker(env: Record<string, string>): ReturnType<typeof run> {
  return run(env, WORKER);
}

/** The command that moves an embedded installation's data to PostgreSQL. */
export function runCopyToPostgres(env: Record<string, string>): ReturnType<typeof run> {
  return run(env, COPY_TO_POSTGRES);
}

async function started(running: ReturnType<typeof run>, readyLine: RegExp): Promise<Started> {
  // Generous: a busy machine, or crash recovery of the embedded database, can slow a start.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const match = readyLine.exec(running.output());
    if (match?.[1]) return { ...running, url: match[1] };
    if (running.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  running.child.kill("SIGKILL");
  throw new Error(`server did not start:\n${running.output()}\n${running.errors()}`);
}

export async function stop(server: Omit<Started, "url">): Promise<number | null> {
  server.child.kill("SIGTERM");
  return server.exited;
}
