import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { chromium } from "playwright-core";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { OWNER_KEY, REPO_ROOT, startScriptorium } from "./processes";
import type { BenchResult } from "./report";

const ARTIFACTS = 10_000;
const ROUNDS = 3;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * The dashboard's page of a 10 000-artifact collection in Debian's
 * Chromium, on the built server: from navigation until the first page of
 * rows is on screen and "Load more" can be clicked, then one more page.
 * Three rounds, each a fresh page of a signed-in browser.
 */
export async function benchDashboard(): Promise<BenchResult[]> {
  if (!existsSync(join(REPO_ROOT, "apps/web/out/index.html"))) throw new Error("the dashboard is not built (apps/web/out)");
  const root = tempDir("bench-dashboard");
  const server = await startScriptorium({ SCRIPTORIUM_DASHBOARD: "" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    writeFiles(root, Object.fromEntries(Array.from({ length: ARTIFACTS }, (_, index) => [`skill-${String(index).padStart(5, "0")}/SKILL.md`, skillFile({ title: `Skill ${index}`, description: `Does thing ${index}` })])));
    const headers = { "x-api-key": OWNER_KEY, "content-type": "application/json" };
    const collection = (await (await fetch(`${server.url}/api/v1/collections`, { method: "POST", headers, body: JSON.stringify({ name: "Ten thousand" }) })).json()) as { id: string };
    const added = await fetch(`${server.url}/api/v1/collections/${collection.id}/artifacts`, { method: "POST", headers, body: JSON.stringify({ source: root }) });
    if (!added.ok) throw new Error(`import: ${added.status}`);

    const context = await browser.newContext();
    const session = await context.request.post(`${server.url}/auth/session`, { data: { api_key: OWNER_KEY }, headers: { origin: server.url } });
    if (!session.ok()) throw new Error(`sign-in: ${session.status()}`);
    const firstPage: number[] = [];
    const nextPage: number[] = [];
    for (let round = 0; round <= ROUNDS; round += 1) {
      const page = await context.newPage();
      const rows = page.getByRole("table", { name: "Artifacts" }).getByRole("row");
      const started = performance.now();
      await page.goto(`${server.url}/collections/view?id=${collection.id}`);
      await rows.nth(50).waitFor();
      const loadMore = page.getByRole("button", { name: "Load more" });
      await loadMore.waitFor();
      const shown = performance.now() - started;
      const clicked = performance.now();
      await loadMore.click();
      await rows.nth(100).waitFor();
      const more = performance.now() - clicked;
      // The first round warms the browser's and the server's caches.
      if (round > 0) {
        firstPage.push(shown);
        nextPage.push(more);
      }
      await page.close();
    }
    const apiStarted = performance.now();
    await (await fetch(`${server.url}/api/v1/collections/${collection.id}/artifacts`, { headers })).arrayBuffer();
    const apiMs = performance.now() - apiStarted;
    const shownMs = median(firstPage);
    return [
      {
        name: `dashboard: a ${ARTIFACTS}-artifact collection's page in Chromium, until its first 50 rows and "Load more" are on screen`,
        value: `${Math.round(shownMs)} ms (rounds ${firstPage.map((ms) => Math.round(ms)).join(" / ")}); the next 50 rows ${Math.round(median(nextPage))} ms`,
        comparison: `the same first page from the API alone: ${apiMs.toFixed(1)} ms`,
        target: "interactive within 1 s",
        pass: shownMs <= 1_000,
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
