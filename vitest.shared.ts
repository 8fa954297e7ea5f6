import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const repoRoot = dirname(fileURLToPath(import.meta.url));
/** The package whose tests are running: turbo and npm run `vitest` from the package's own folder. */
const packageDir = relative(repoRoot, process.cwd()) || ".";

/**
 * The code the coverage gate measures. Every package's run (the server's
 * integration suites above all) exercises packages/api and packages/domain
 * through their sources, so each run reports on both; scripts/coverage.mjs
 * merges the runs and holds each package to the threshold.
 */
const MEASURED = ["packages/api/src", "packages/domain/src"];

/**
 * coverage.include serves two purposes in vitest: it picks, among the files a
 * run loaded, those to report (matched anywhere in the absolute path), and it
 * is globbed from the package's root to add the files no test loaded, at
 * zero. Vitest can transform such never-loaded files only inside the running
 * package's root: elsewhere it would read the raw TypeScript, fail to parse it
 * and log the failure, or, where the TypeScript happens to parse as
 * JavaScript, report wrong statements. So the package's own measured folder is
 * given as an absolute glob (loaded or not, every file is reported), and the
 * other measured folders as a `**` pattern that matches the files the run
 * loaded but finds nothing below the package's root. The zero entries for
 * api's and domain's unloaded files come from those packages' own runs.
 */
function coverageInclude(folder: string): string {
  const absolute = join(repoRoot, folder);
  const ownFolder = packageDir === "." || absolute.startsWith(process.cwd() + sep);
  return ownFolder ? join(absolute, "**/*.ts") : `**/${folder}/**/*.ts`;
}

/** Defaults every package's tests share. */
export default defineConfig({
  test: {
    // Real databases, servers and child processes: allow them time to start.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ["src/**/*.test.ts"],
    coverage: {
      // Off unless asked for: collecting and converting it adds time to every
      // run, and a single package's figures mean little before they are
      // merged with the other packages'. `npm test` sets SCRIPTORIUM_COVERAGE=1 for every package's
      // run (an environment variable, since arguments after `turbo run test --`
      // would reach the build tasks too and change their cache keys);
      // `vitest run --coverage` asks for it by hand.
      enabled: process.env.SCRIPTORIUM_COVERAGE === "1",
      provider: "v8",
      // The measured sources live outside most packages' roots.
      allowExternal: true,
      include: MEASURED.map(coverageInclude),
      exclude: [
        "**/*.test.ts",
        "**/*.d.ts",
        // Helpers only tests import (fixtures, a fake LLM provider, sample books, git repositories made on disk) live in src/testing/.
        "**/src/testing/**",
      ],
      // Raw per-file counts only; the merged table comes from scripts/coverage.mjs.
      reporter: ["json"],
      reportsDirectory: join(repoRoot, "coverage", packageDir),
    },
  },
});
