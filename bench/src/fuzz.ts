import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "./processes";
import type { BenchResult } from "./report";

/** Generated cases per property here; `npm test` runs the same suites with their small default. */
const FUZZ_RUNS = 200;

/** The property-based suites, run with many more generated cases than in `npm test`. */
const SUITES = [
  { name: "hostile input over every REST operation and tRPC procedure", workspace: "apps/server", files: ["src/hostile-input.test.ts"] },
  { name: "symlinks and FIFOs in local sources and git repositories", workspace: "packages/domain", files: ["src/collections/symlinks.test.ts"] },
  { name: "symlinks in local sources, over HTTP", workspace: "apps/server", files: ["src/symlink-sources.test.ts"] },
];

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[];
}

export function benchFuzz(): BenchResult[] {
  return SUITES.map((suite) => {
    const dir = mkdtempSync(join(tmpdir(), "scriptorium-fuzz-"));
    const outputFile = join(dir, "report.json");
    try {
      const started = performance.now();
      const run = spawnSync(join(REPO_ROOT, "node_modules/.bin/vitest"), ["run", ...suite.files, "--reporter=json", `--outputFile=${outputFile}`, "--testTimeout=900000"], {
        cwd: join(REPO_ROOT, suite.workspace),
        env: { ...process.env, SCRIPTORIUM_FUZZ_RUNS: String(FUZZ_RUNS) },
        // The suites' own stderr (git's complaints about the links they plant) is kept for a failure's explanation only.
        stdio: ["ignore", "ignore", "pipe"],
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        timeout: 30 * 60_000,
      });
      const seconds = (performance.now() - started) / 1000;
      if (!existsSync(outputFile)) {
        const said = run.stderr.trim().split("\n").slice(-3).join(" / ").slice(0, 300);
        return { name: suite.name, value: `vitest ended (${run.status ?? run.signal}) without a report`, comparison: said, target: "every property holds", pass: false };
      }
      const report = JSON.parse(readFileSync(outputFile, "utf8")) as VitestReport;
      const failed = report.testResults.flatMap((file) => file.assertionResults.filter((test) => test.status === "failed"));
      return {
        name: `${suite.name}, ${FUZZ_RUNS} generated cases per property`,
        value: `${report.numPassedTests} properties held, ${report.numFailedTests} failed`,
        comparison: failed.length > 0 ? `first failure: ${failed[0]?.fullName}: ${failed[0]?.failureMessages[0]?.split("\n")[0]?.slice(0, 200)}` : `${seconds.toFixed(0)} s`,
        target: "every property holds",
        pass: report.numFailedTests === 0 && report.numPassedTests > 0,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
