import { rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { api } from "./collections";
import { startScriptorium, type Service } from "./processes";
import type { BenchResult } from "./report";

const ARTIFACTS = 10_000;
const CHANGED = 1_000;

const name = (index: number) => `skill-${String(index).padStart(5, "0")}`;
const script = (index: number, version: string) =>
  `#!/usr/bin/env bash\nset -euo pipefail\n# ${version}\nnpm ci --silent\nnpx eslint . --fix\ngit diff --stat\npython3 scripts/report.py --skill ${index}\n`;

interface Timing {
  importMs: number;
  checkMs: number;
}

/** Imports the folder into a new collection; its id and how long the import took. */
async function importInto(server: Service, root: string): Promise<{ id: string; ms: number }> {
  const { id } = await api<{ id: string }>(server, "POST", "/v1/collections", { name: "Reviewed" });
  const started = performance.now();
  await api(server, "POST", `/v1/collections/${id}/artifacts`, { source: root });
  return { id, ms: performance.now() - started };
}

/**
 * What the security review costs (contents.md §8.5): importing 10 000
 * artifacts and then checking them after a tenth changed upstream, on a
 * server with the review and one without it (SCRIPTORIUM_SECURITY_REVIEW=off),
 * interleaved in the same run.
 */
export async function benchReview(): Promise<BenchResult[]> {
  const root = tempDir("bench-review");
  const reviewed = await startScriptorium();
  const unreviewed = await startScriptorium({ SCRIPTORIUM_SECURITY_REVIEW: "off" });
  try {
    const files: Record<string, string> = {};
    for (let index = 0; index < ARTIFACTS; index += 1) {
      files[`skills/${name(index)}/SKILL.md`] = skillFile(
        { title: `Skill ${index}`, description: `Tidies project ${index}` },
        "Run `scripts/tidy.sh` from the project root.\n\n```bash\nnpm test\ngit status --short\n```\n",
      );
      files[`skills/${name(index)}/scripts/tidy.sh`] = script(index, "first");
    }
    writeFiles(root, files);
    const servers = { reviewed, unreviewed };
    const ids: Record<string, string> = {};
    const timings: Record<string, Timing> = {};
    // Import on each, one after the other, then change a tenth upstream and check on each.
    for (const [label, server] of Object.entries(servers)) {
      const imported = await importInto(server, root);
      ids[label] = imported.id;
      timings[label] = { importMs: imported.ms, checkMs: 0 };
    }
    for (let index = 0; index < CHANGED; index += 1) await writeFile(join(root, `skills/${name(index * 10)}/scripts/tidy.sh`), script(index * 10, "second"));
    for (const order of [["reviewed", "unreviewed"], ["unreviewed", "reviewed"]] as const) {
      for (const label of order) {
        const started = performance.now();
        const answer = await api<{ result: { update_available_count: number } }>(servers[label], "POST", `/v1/collections/${ids[label]}/refresh`, { mode: "check", entries: "none" });
        if (answer.result.update_available_count !== CHANGED) throw new Error(`review bench: ${label} check found ${answer.result.update_available_count} updates, not ${CHANGED}`);
        (timings[label] as Timing).checkMs += (performance.now() - started) / 2;
      }
    }
    const total = (label: string) => (timings[label]?.importMs ?? 0) + (timings[label]?.checkMs ?? 0);
    const ratio = total("reviewed") / total("unreviewed");
    const describe = (label: string) => `import ${Math.round(timings[label]?.importMs ?? 0)} ms + check ${Math.round(timings[label]?.checkMs ?? 0)} ms`;
    return [
      {
        name: `import then check of ${ARTIFACTS} artifacts (${CHANGED} changed) with the security review`,
        value: `${describe("reviewed")} = ${Math.round(total("reviewed"))} ms`,
        comparison: `without the review: ${describe("unreviewed")} = ${Math.round(total("unreviewed"))} ms; ${ratio.toFixed(2)}×`,
        target: "≤ 1.5× the same work without the review",
        pass: ratio <= 1.5,
      },
    ];
  } finally {
    await reviewed.stop();
    await unreviewed.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
