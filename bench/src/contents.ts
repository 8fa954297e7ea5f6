import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { api } from "./collections";
import { OWNER_KEY, sampleRss, startScriptorium, type Service } from "./processes";
import type { BenchResult } from "./report";

const BUNDLED_ARTIFACTS = 10_000;
/** Each bundled artifact carries this much incompressible data besides its main file, so the bundle is large. */
const PAYLOAD_BYTES = 16 * 1024;
const CHECKED_ARTIFACTS = 1_000;
const CHECK_ROUNDS = 3;

const name = (index: number) => `skill-${String(index).padStart(5, "0")}`;

/** Streams a GET to nowhere, counting bytes; the server's peak RSS meanwhile. */
async function download(server: Service, path: string): Promise<{ bytes: number; ms: number; peakRss: number }> {
  const rss = sampleRss(server);
  const started = performance.now();
  const response = await fetch(`${server.url}/api${path}`, { headers: { "x-api-key": OWNER_KEY } });
  if (!response.ok || !response.body) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
  return { bytes, ms: performance.now() - started, peakRss: rss.stop() };
}

/** A collection bundle of 10 000 artifacts, streamed: the server's memory must not grow with the bundle. */
async function benchBundle(): Promise<BenchResult[]> {
  const root = tempDir("bench-bundle");
  const server = await startScriptorium();
  try {
    const files: Record<string, string> = {};
    for (let index = 0; index < BUNDLED_ARTIFACTS; index += 1) {
      files[`skills/${name(index)}/SKILL.md`] = skillFile({ title: `Skill ${index}`, description: `Bundled skill ${index}` });
    }
    writeFiles(root, files);
    for (let index = 0; index < BUNDLED_ARTIFACTS; index += 1) await writeFile(join(root, `skills/${name(index)}/payload.bin`), randomBytes(PAYLOAD_BYTES));
    const { id } = await api<{ id: string }>(server, "POST", "/v1/collections", { name: "Bundled" });
    await api(server, "POST", `/v1/collections/${id}/artifacts`, { source: root });

    // The same route over a tenth of the collection first: memory that grows with the bundle shows as a gap between the two.
    const small = await download(server, `/v1/collections/${id}/bundle?name_pattern=skill-00*`);
    const before = server.rssMiB();
    const whole = await download(server, `/v1/collections/${id}/bundle`);
    const growth = whole.peakRss - before;
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    return [
      {
        name: `collection bundle of ${BUNDLED_ARTIFACTS} artifacts (${mib(whole.bytes)} tar.gz), streamed`,
        value: `${Math.round(whole.ms)} ms; server peak RSS ${Math.round(whole.peakRss)} MiB (+${Math.round(growth)} MiB over ${Math.round(before)} MiB before)`,
        comparison: `a 1 000-artifact bundle (${mib(small.bytes)}) peaked at ${Math.round(small.peakRss)} MiB`,
        target: "flat: the server grows by < 64 MiB while sending a bundle 10× larger",
        pass: growth < 64 && whole.peakRss - small.peakRss < 64,
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

interface CheckAnswer {
  result: { update_available_count: number; entries: { files_changed?: { patch?: string }[] }[] };
}

/** A check of 1 000 changed artifacts with unified diffs, against the same check without them, interleaved. */
async function benchCheckWithDiffs(): Promise<BenchResult[]> {
  const root = tempDir("bench-diffs");
  const server = await startScriptorium();
  const body = (version: string) => Array.from({ length: 60 }, (_, line) => `Line ${line} of the skill${line % 20 === 7 ? `, ${version}` : ""}.`).join("\n");
  try {
    const files: Record<string, string> = {};
    for (let index = 0; index < CHECKED_ARTIFACTS; index += 1) {
      files[`skills/${name(index)}/SKILL.md`] = skillFile({ title: `Skill ${index}`, description: "Checked" }, body("first"));
      files[`skills/${name(index)}/notes.md`] = `Notes of ${index}\n`;
    }
    writeFiles(root, files);
    const { id } = await api<{ id: string }>(server, "POST", "/v1/collections", { name: "Diffed" });
    await api(server, "POST", `/v1/collections/${id}/artifacts`, { source: root });
    for (let index = 0; index < CHECKED_ARTIFACTS; index += 1) {
      await writeFile(join(root, `skills/${name(index)}/SKILL.md`), skillFile({ title: `Skill ${index}`, description: "Checked" }, body("second")));
    }
    const check = async (includeDiff: boolean) => {
      const started = performance.now();
      const answer = await api<CheckAnswer>(server, "POST", `/v1/collections/${id}/refresh`, { mode: "check", include_diff: includeDiff });
      const ms = performance.now() - started;
      const patches = answer.result.entries.filter((entry) => entry.files_changed?.some((file) => file.patch)).length;
      if (answer.result.update_available_count !== CHECKED_ARTIFACTS || patches !== (includeDiff ? CHECKED_ARTIFACTS : 0)) {
        throw new Error(`check: expected ${CHECKED_ARTIFACTS} updates (patches: ${includeDiff}), got ${answer.result.update_available_count} and ${patches} patches`);
      }
      return ms;
    };
    await check(false);
    await check(true);
    const plain: number[] = [];
    const diffed: number[] = [];
    for (let round = 0; round < CHECK_ROUNDS; round += 1) {
      plain.push(await check(false));
      diffed.push(await check(true));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const ratio = median(diffed) / median(plain);
    const list = (values: number[]) => values.map((ms) => Math.round(ms)).join(" / ");
    return [
      {
        name: `check of ${CHECKED_ARTIFACTS} changed artifacts with include_diff`,
        value: `${list(diffed)} ms (median ${Math.round(median(diffed))})`,
        comparison: `without diffs ${list(plain)} ms (median ${Math.round(median(plain))}): ${ratio.toFixed(2)}×`,
        target: "≤ 2× the same check without diffs",
        pass: ratio <= 2,
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Artifact contents (contents.md §8.1, §8.4): streamed bundles and the cost of diffs. */
export async function benchContents(): Promise<BenchResult[]> {
  return [...(await benchBundle()), ...(await benchCheckWithDiffs())];
}
