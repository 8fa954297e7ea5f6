import { readFile, writeFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pLimit from "p-limit";
import { load } from "js-yaml";
import { GitRepoFixture, skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { percentile, probe } from "./probe";
import { OWNER_KEY, sampleRss, startScriptorium, type Service } from "./processes";
import type { BenchResult } from "./report";

const LOCAL_ARTIFACTS = 10_000;
const LOCAL_CHANGED = 1_000;
const GIT_REPOSITORIES = 20;
const ARTIFACTS_PER_REPOSITORY = 50;
/** The small query's pause between two requests while the refresh runs. */
const PROBE_GAP_MS = 10;
/** How long the small query is timed on the idle server first, for comparison. */
const IDLE_PROBE_MS = 2_000;

export async function api<T>(server: Service, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { "x-api-key": OWNER_KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

interface RefreshAnswer {
  status: string;
  result: { refreshed_count: number; unchanged_count: number; error_count: number; update_available_count: number; duration_ms: number };
}

interface ArtifactPage {
  items: { name: string }[];
  next_cursor: string | null;
  total?: number;
}

/** Median time and size of a GET, over five calls after one warm-up. */
async function timedGet(server: Service, path: string): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 6; round += 1) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api${path}`, { headers: { "x-api-key": OWNER_KEY } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 300)}`);
    if (round > 0) times.push(performance.now() - started);
    bytes = Buffer.byteLength(text);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)] ?? 0, bytes };
}

/** Lists a collection's artifacts: its first page, a search, and every page in turn. */
async function benchArtifactList(server: Service, id: string): Promise<BenchResult[]> {
  const first = await timedGet(server, `/v1/collections/${id}/artifacts`);
  const search = await timedGet(server, `/v1/collections/${id}/artifacts?q=group-3%20bench`);
  const walkStarted = performance.now();
  let cursor: string | null = null;
  let seen = 0;
  let pages = 0;
  do {
    const page: ArtifactPage = await api<ArtifactPage>(server, "GET", `/v1/collections/${id}/artifacts?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    seen += page.items.length;
    pages += 1;
    cursor = page.next_cursor;
  } while (cursor);
  const walkMs = performance.now() - walkStarted;
  if (seen !== LOCAL_ARTIFACTS) throw new Error(`artifact list: paging saw ${seen} of ${LOCAL_ARTIFACTS}`);
  return [
    {
      name: `artifact list of a ${LOCAL_ARTIFACTS}-artifact collection, first page (50)`,
      value: `${first.ms.toFixed(1)} ms, ${(first.bytes / 1024).toFixed(0)} KiB; search "group-3 bench" ${search.ms.toFixed(1)} ms`,
      comparison: `every page at 500 per page: ${pages} pages, ${Math.round(walkMs)} ms for all ${seen}`,
      target: "a page, not the whole list (was 7.4 MB, 0.56 s)",
      pass: first.bytes < 100 * 1024,
    },
  ];
}

function skillName(index: number): string {
  return `skill-${String(index).padStart(5, "0")}`;
}

/**
 * The baseline: read the same files and parse their front matter with the
 * same YAML parser, with the same concurrency, and nothing else.
 */
async function bareReadAndParse(paths: string[]): Promise<number> {
  const limit = pLimit(32);
  const started = performance.now();
  await Promise.all(
    paths.map((path) =>
      limit(async () => {
        const text = await readFile(path, "utf8");
        const end = text.indexOf("\n---", 4);
        load(text.slice(4, end), { json: true });
      }),
    ),
  );
  return performance.now() - started;
}

async function benchLocalMetadata(): Promise<BenchResult[]> {
  const root = tempDir("bench-local");
  const server = await startScriptorium();
  try {
    const files: Record<string, string> = {};
    for (let index = 0; index < LOCAL_ARTIFACTS; index += 1) {
      files[`skills/${skillName(index)}/SKILL.md`] = skillFile(
        { title: `Skill ${index}`, description: `Does thing number ${index}`, author: "Bench", version: "1.0.0", tags: ["bench", `group-${index % 10}`] },
        "Body of the skill.",
      );
    }
    writeFiles(root, files);
    const { id } = await api<{ id: string }>(server, "POST", "/v1/collections", { name: "Ten thousand" });
    const importStarted = performance.now();
    await api(server, "POST", `/v1/collections/${id}/artifacts`, { source: root });
    const importMs = performance.now() - importStarted;

    // A tenth of them changed upstream since.
    for (let index = 0; index < LOCAL_CHANGED; index += 1) {
      const path = join(root, `skills/${skillName(index * 10)}/SKILL.md`);
      await writeFile(path, skillFile({ title: `Skill ${index * 10}`, description: `Does thing number ${index * 10}, better` }, "Body of the skill."));
    }

    const paths = Object.keys(files).map((path) => join(root, path));
    // One warm-up pass each (page cache, JIT), as for the throughput runs; a dry run changes nothing.
    await bareReadAndParse(paths);
    await api(server, "POST", `/v1/collections/${id}/refresh`, { mode: "metadata", dry_run: true });
    const bareMs = await bareReadAndParse(paths);
    const idle = await probe(server, new Promise((resolve) => setTimeout(resolve, IDLE_PROBE_MS)), PROBE_GAP_MS);
    const startRss = server.rssMiB();
    const rss = sampleRss(server);
    const started = performance.now();
    const refresh = api<RefreshAnswer>(server, "POST", `/v1/collections/${id}/refresh`, { mode: "metadata" });
    // The small query runs beside the refresh, as another client's would: the reason refresh parsing may leave the event loop.
    const [answer, busy] = await Promise.all([refresh.then((result) => ({ result, ms: performance.now() - started })), probe(server, refresh, PROBE_GAP_MS)]);
    const refreshMs = answer.ms;
    const peakRss = rss.stop();
    if (answer.result.status !== "success" || answer.result.result.refreshed_count !== LOCAL_CHANGED) {
      throw new Error(`metadata refresh: expected ${LOCAL_CHANGED} refreshed, got ${JSON.stringify(answer.result.result).slice(0, 300)}`);
    }
    const ratio = refreshMs / bareMs;
    const listing = await benchArtifactList(server, id);
    return [
      ...listing,
      {
        name: `metadata refresh, ${LOCAL_ARTIFACTS} local artifacts (${LOCAL_CHANGED} changed)`,
        value: `${Math.round(refreshMs)} ms (server ${Math.round(answer.result.result.duration_ms)} ms)`,
        comparison: `${ratio.toFixed(2)}× bare read+parse (${Math.round(bareMs)} ms); import took ${Math.round(importMs)} ms`,
        target: "≤ 2000 ms and ≤ 2× bare",
        pass: refreshMs <= 2000 && ratio <= 2,
      },
      {
        name: "API server peak RSS during that refresh",
        value: `${Math.round(peakRss)} MiB`,
        comparison: `${Math.round(startRss)} MiB as it started; API only, embedded database`,
        target: "≤ 400 MB (381 MiB)",
        pass: peakRss <= 400 / 1.048_576,
      },
      {
        name: "small query during that refresh",
        value: `p99 ${percentile(busy, 0.99).toFixed(1)} ms, p50 ${percentile(busy, 0.5).toFixed(1)} ms, max ${(busy.at(-1) ?? 0).toFixed(0)} ms (${busy.length} requests)`,
        comparison: `idle, same run: p99 ${percentile(idle, 0.99).toFixed(1)} ms, p50 ${percentile(idle, 0.5).toFixed(1)} ms (${idle.length} requests); one client, ${PROBE_GAP_MS} ms between requests`,
        target: "p99 ≤ 50 ms, as under heavy work (scale.md)",
        pass: percentile(busy, 0.99) <= 50,
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchGitCheck(): Promise<BenchResult[]> {
  const root = tempDir("bench-git");
  const server = await startScriptorium();
  try {
    const repos: GitRepoFixture[] = [];
    for (let r = 0; r < GIT_REPOSITORIES; r += 1) {
      const repo = new GitRepoFixture(root, `repo-${r}`);
      const files: Record<string, string> = { "README.md": `# Repository ${r}\n` };
      for (let a = 0; a < ARTIFACTS_PER_REPOSITORY; a += 1) {
        files[`skills/r${r}-a${a}/SKILL.md`] = skillFile({ title: `Artifact ${a} of ${r}`, description: "A git skill" });
        files[`skills/r${r}-a${a}/run.sh`] = `echo ${r}-${a}\n`;
      }
      repo.write(files).commit("initial");
      repos.push(repo);
    }
    const { id } = await api<{ id: string }>(server, "POST", "/v1/collections", { name: "Git thousand" });
    for (const repo of repos) {
      await api(server, "POST", `/v1/collections/${id}/artifacts`, { source: { kind: "git", url: repo.url, path: "skills", ref: "main" } });
    }
    // Five repositories change one artifact each; five more get commits elsewhere.
    for (let r = 0; r < 10; r += 1) {
      const repo = repos[r];
      if (!repo) continue;
      if (r < 5) repo.write({ [`skills/r${r}-a0/run.sh`]: `echo changed ${r}\n` });
      else repo.write({ "README.md": `# Repository ${r}, edited\n` });
      repo.commit("upstream moves");
    }

    const started = performance.now();
    const answer = await api<RefreshAnswer>(server, "POST", `/v1/collections/${id}/refresh?mode=check`);
    const checkMs = performance.now() - started;
    const log = server.logs("collection refreshed").at(-1) ?? {};
    const lookups = Number(log.ref_lookups);
    const artifacts = GIT_REPOSITORIES * ARTIFACTS_PER_REPOSITORY;
    if (answer.result.update_available_count !== 5 || answer.result.error_count !== 0) {
      throw new Error(`git check: expected 5 updates and no errors, got ${JSON.stringify(answer.result).slice(0, 300)}`);
    }
    return [
      {
        name: `check refresh, ${artifacts} git artifacts in ${GIT_REPOSITORIES} repositories`,
        value: `${Math.round(checkMs)} ms; ${lookups} ref look-ups, ${String(log.fetches)} fetches`,
        comparison: `${GIT_REPOSITORIES} distinct repository+ref pairs; 10 refs moved; 5 real updates found`,
        target: "≤ 3000 ms; look-ups = pairs",
        pass: checkMs <= 3000 && lookups === GIT_REPOSITORIES,
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchCollections(): Promise<BenchResult[]> {
  return [...(await benchLocalMetadata()), ...(await benchGitCheck())];
}
