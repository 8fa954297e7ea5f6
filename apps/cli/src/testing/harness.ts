import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The command as people get it, for the test files: the tarball packed
 * once (global-setup.ts), installed with `npm install -g --prefix` from a
 * folder outside the repository, and run against a real server started
 * from the server's build on a data directory of its own.
 */
export const CLI_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");
const REPO_ROOT = join(CLI_DIR, "../..");
const SERVER_MAIN = join(REPO_ROOT, "apps/server/dist/main.js");
export const OWNER_KEY = "cli-test-owner-key-0123456789abcdef";

/** npm's own variables of the `npm test` around us (workspace, prefix…) must not steer the npm we run. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^npm_/i.test(key) || key.startsWith("SCRIPTORIUM_") || key === "NO_COLOR" || key === "FORCE_COLOR") continue;
    env[key] = value;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

export function sh(command: string, args: string[], cwd: string, env = cleanEnv()): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

export class CliHarness {
  /** A temporary folder for everything the suite makes. */
  readonly work = mkdtempSync(join(tmpdir(), "scriptorium-cli-test-"));
  /** The home directory the command runs with. */
  readonly home = join(this.work, "home");
  readonly prefix = join(this.work, "prefix");
  readonly bin = join(this.prefix, "bin", "scriptorium");
  url = "";
  private server: ChildProcess | undefined;

  /** Installs the tarball and starts a server; `env` is added to every run of the command. */
  constructor(private readonly env: Record<string, string> = {}) {
    mkdirSync(this.home);
  }

  async setUp(tarball: string): Promise<void> {
    // Installed from a folder outside the repository: only the tarball and the registry (or npm's cache) can supply it.
    // A global install under another prefix would read that prefix's npmrc instead of this machine's (its registry, proxy and CA settings).
    const globalConfig = sh("npm", ["config", "get", "globalconfig"], this.work).trim();
    sh("npm", ["install", "-g", "--prefix", this.prefix, "--globalconfig", globalConfig, tarball, "--no-audit", "--no-fund", "--prefer-offline"], this.work);
    mkdirSync(join(this.work, "data"));
    this.url = await this.startServer(join(this.work, "data"));
  }

  async tearDown(): Promise<void> {
    const server = this.server;
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    rmSync(this.work, { recursive: true, force: true });
  }

  private async startServer(dataDir: string): Promise<string> {
    if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build the server first (npx turbo run build --filter=@scriptorium/server).`);
    const logFile = join(this.work, "server.log");
    const output = openSync(logFile, "w");
    const server = spawn(process.execPath, [SERVER_MAIN], {
      env: cleanEnv({
        NODE_ENV: "production",
        PORT: "0",
        HOST: "127.0.0.1",
        SCRIPTORIUM_DATA_DIR: dataDir,
        SCRIPTORIUM_BOOTSTRAP_KEY: OWNER_KEY,
        SCRIPTORIUM_DASHBOARD: "off",
        SCRIPTORIUM_RATE_LIMIT: "0",
        LOG_LEVEL: "warn",
      }),
      stdio: ["ignore", output, output],
    });
    this.server = server;
    closeSync(output);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = /ready at (http:\/\/\S+)/.exec(readFileSync(logFile, "utf8"))?.[1];
      if (found) return found;
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${readFileSync(logFile, "utf8")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The environment of a run: its own home and config folder, the suite's additions, then the call's. */
  runEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
    return cleanEnv({ HOME: this.home, XDG_CONFIG_HOME: join(this.home, ".config"), ...this.env, ...env });
  }

  /** Runs the installed `scriptorium`; stdout is a pipe, so not a terminal. */
  cli(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.bin, args, { env: this.runEnv(env), cwd, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => {
        const bytes = Buffer.concat(out);
        resolve({ code, bytes, stdout: bytes.toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
      });
    });
  }

  /** Runs with `--json`, expecting exit 0 (or `code`), and parses the answer. */
  async json<T = Record<string, unknown>>(args: string[], env: Record<string, string> = {}, code = 0): Promise<T> {
    const run = await this.cli([...args, "--json"], env);
    if (run.code !== code) throw new Error(`scriptorium ${args.join(" ")} exited ${run.code}, not ${code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  }

  async rest(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, { ...init, headers: { ...init.headers, "x-api-key": OWNER_KEY } });
  }
}

/** How a proxy treats one request: passed on, dropped (the connection cut), cut halfway through its answer, or answered by the test. */
export type ProxyRule = "pass" | "drop" | "cut" | ((req: IncomingMessage, res: ServerResponse, body: Buffer) => void);

/**
 * A proxy in front of the server, to make it go away in the middle of a
 * command: each request is passed on, dropped, cut halfway through its
 * answer, or answered by the test, as `rule` says.
 */
export async function startProxy(upstream: string, rule: (req: IncomingMessage) => ProxyRule): Promise<{ url: string; close(): Promise<void> }> {
  const proxy = createHttpServer((req, res) => {
    const decided = rule(req);
    if (decided === "drop") {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (typeof decided === "function") {
        decided(req, res, body);
        return;
      }
      const forwarded = httpRequest(`${upstream}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (decided === "pass") {
          answer.pipe(res);
          return;
        }
        const half = Math.floor(Number(answer.headers["content-length"]) / 2);
        let sent = 0;
        answer.on("data", (chunk: Buffer) => {
          if (sent + chunk.length < half) {
            sent += chunk.length;
            res.write(chunk);
            return;
          }
          res.write(chunk.subarray(0, half - sent), () => res.socket?.destroy());
          answer.destroy();
        });
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => proxy.close(() => resolve())),
  };
}
