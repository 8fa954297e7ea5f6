#!/usr/bin/env node
// The coverage gate behind `npm test`. Every package's `vitest run --coverage`
// writes the V8 line counts it saw for packages/api/src and
// packages/domain/src to coverage/<package folder>/coverage-final.json
// (configured in vitest.shared.ts). The same source file is exercised by
// several packages' suites (the server's integration suites reach most of the
// API), so the reports are merged before anything is judged: a line counts as
// covered when any suite ran it. Plain JavaScript so it runs without a build.
//
//   node scripts/coverage.mjs [--threshold=85]
//
// Prints lines % per measured package and its files with the most uncovered
// lines, writes coverage/summary.json and the merged coverage/merged.json, and
// exits 1 when a measured package is below the threshold or was not measured.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import libCoverage from "istanbul-lib-coverage";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const coverageDir = join(root, "coverage");
/** Each package's sources are held to the threshold separately: one well-tested package must not hide the other. */
const MEASURED = ["packages/api/src", "packages/domain/src"];
const DEFAULT_THRESHOLD = 85;
/** How many of each package's files to list, by uncovered lines: where tests would gain most. */
const WORST_FILES = 6;

function parseThreshold(argv) {
  const flag = argv.find((arg) => arg.startsWith("--threshold="));
  if (!flag) return DEFAULT_THRESHOLD;
  const value = Number(flag.slice("--threshold=".length));
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    console.error(`✖ --threshold must be a percentage, not ${flag}`);
    process.exit(2);
  }
  return value;
}

/** Every package run's report: coverage/<package folder>/coverage-final.json, at any depth. */
function findReports(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findReports(path);
    return entry.name === "coverage-final.json" ? [path] : [];
  });
}

function percent(covered, total) {
  return total === 0 ? 100 : (covered / total) * 100;
}

function formatPercent(value) {
  return `${value.toFixed(2).padStart(6)} %`;
}

const threshold = parseThreshold(process.argv.slice(2));
const reports = findReports(coverageDir);
if (reports.length === 0) {
  console.error("✖ No coverage reports under coverage/: run the tests with --coverage first (npm test does).");
  process.exit(1);
}

const merged = libCoverage.createCoverageMap({});
for (const report of reports) merged.merge(JSON.parse(readFileSync(report, "utf8")));

const packages = MEASURED.map((folder) => {
  const prefix = join(root, folder) + sep;
  const files = merged
    .files()
    .filter((file) => file.startsWith(prefix))
    .map((file) => {
      const lines = merged.fileCoverageFor(file).toSummary().lines;
      return { file: relative(root, file), covered: lines.covered, total: lines.total, pct: percent(lines.covered, lines.total) };
    })
    .sort((a, b) => b.total - b.covered - (a.total - a.covered) || a.file.localeCompare(b.file));
  const covered = files.reduce((sum, file) => sum + file.covered, 0);
  const total = files.reduce((sum, file) => sum + file.total, 0);
  return { folder, covered, total, pct: percent(covered, total), files };
});

console.log(`Line coverage, merged from ${reports.length} test run${reports.length === 1 ? "" : "s"} (${reports.map((report) => relative(coverageDir, dirname(report))).join(", ")}):\n`);
for (const pkg of packages) {
  const verdict = pkg.total === 0 ? "✖ not measured" : pkg.pct < threshold ? `✖ below ${threshold} %` : "✔";
  console.log(`  ${pkg.folder.padEnd(22)} ${formatPercent(pkg.pct)}  ${String(pkg.covered).padStart(6)} / ${String(pkg.total).padEnd(6)} ${verdict}`);
  for (const file of pkg.files.slice(0, WORST_FILES).filter((entry) => entry.covered < entry.total)) {
    console.log(`      ${formatPercent(file.pct)}  ${String(file.total - file.covered).padStart(4)} uncovered  ${file.file}`);
  }
}

writeFileSync(join(coverageDir, "merged.json"), JSON.stringify(merged.toJSON()));
writeFileSync(
  join(coverageDir, "summary.json"),
  JSON.stringify({ threshold, reports: reports.map((report) => relative(root, report)), packages }, null, 2) + "\n",
);

const failing = packages.filter((pkg) => pkg.total === 0 || pkg.pct < threshold);
if (failing.length > 0) {
  console.error(`\n✖ Coverage gate: ${failing.map((pkg) => pkg.folder).join(" and ")} below ${threshold} % of lines (details in coverage/summary.json).`);
  process.exit(1);
}
console.log(`\n✔ Coverage gate: every measured package covers at least ${threshold} % of its lines.`);
