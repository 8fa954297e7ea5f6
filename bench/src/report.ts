import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./processes";

export interface BenchResult {
  name: string;
  value: string;
  /** The baseline measured in the same run, side by side. */
  comparison: string;
  target: string;
  pass: boolean;
}

export function printReport(results: BenchResult[]): void {
  const header = ["benchmark", "result", "same-run comparison", "target", ""];
  const rows = results.map((result) => [result.name, result.value, result.comparison, result.target, result.pass ? "PASS" : "FAIL"]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  process.stdout.write(`\n${line(header)}\n${line(widths.map((width) => "-".repeat(width)))}\n${rows.map(line).join("\n")}\n\n`);

  const dir = join(REPO_ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`);
}
