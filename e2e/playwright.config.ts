import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { BOOTSTRAP_KEY } from "./fixtures";

const PORT = 3917;
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Every run starts from an empty installation. Worker processes load this
// file again and inherit the variable, so only the runner creates a directory;
// it removes it on exit, after the server has been stopped.
if (!process.env.SCRIPTORIUM_E2E_DATA_DIR) {
  const created = mkdtempSync(join(tmpdir(), "scriptorium-e2e-"));
  process.env.SCRIPTORIUM_E2E_DATA_DIR = created;
  process.on("exit", () => rmSync(created, { recursive: true, force: true }));
}
const dataDir = process.env.SCRIPTORIUM_E2E_DATA_DIR;

export default defineConfig({
  testDir: "tests",
  outputDir: "test-results",
  fullyParallel: false,
  // One server and one database for all tests: run them one after another.
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Playwright cannot download its own browser here; Debian's Chromium drives the tests.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  // The real server, serving the real dashboard build (the root `npm test` builds both first).
  webServer: {
    command: "node ../apps/server/dist/main.js",
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    // SIGTERM lets the server close its embedded database cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(PORT),
      HOST: "127.0.0.1",
      SCRIPTORIUM_DATA_DIR: dataDir,
      SCRIPTORIUM_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
      LOG_LEVEL: "warn",
    },
  },
});
