import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { chromium, type BrowserContext } from "playwright-core";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { OWNER_KEY, REPO_ROOT, sampleRss, startScriptorium } from "./processes";
import type { BenchResult } from "./report";

const ARTIFACTS = 10_000;
/** Every tenth artifact changes upstream before the refresh measured with the dashboard in the process. */
const CHANGED_EVERY = 10;
const ROUNDS = 3;
/** Rounds before those measured: Chromium keeps a script's compiled code from its second visit on. */
const WARM_UP_ROUNDS = 2;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Opens the collection's page in a fresh tab of a signed-in browser, ROUNDS
 * times after WARM_UP_ROUNDS that warm its caches and the server's: from navigation
 * until the first page of rows is on screen and "Load more" can be clicked,
 * then one more page. Closes the browser context.
 */
async function measurePageLoads(context: BrowserContext, url: string, collectionId: string): Promise<{ firstPage: number[]; nextPage: number[] }> {
  const session = await context.request.post(`${url}/auth/session`, { data: { api_key: OWNER_KEY }, headers: { origin: url } });
  if (!session.ok()) {
    await context.close();
    throw new Error(`sign-in: ${session.status()}`);
  }
  const firstPage: number[] = [];
  const nextPage: number[] = [];
  try {
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round += 1) {
      const page = await context.newPage();
      const rows = page.getByRole("table", { name: "Artifacts" }).getByRole("row");
      const started = performance.now();
      await page.goto(`${url}/collections/view?id=${collectionId}`);
      await rows.nth(50).waitFor();
      const loadMore = page.getByRole("button", { name: "Load more" });
      await loadMore.waitFor();
      const shown = performance.now() - started;
      const clicked = performance.now();
      await loadMore.click();
      await rows.nth(100).waitFor();
      const more = performance.now() - clicked;
      if (round >= WARM_UP_ROUNDS) {
        firstPage.push(shown);
        nextPage.push(more);
      }
      await page.close();
    }
    return { firstPage, nextPage };
  } finally {
    await context.close();
  }
}

/**
 * The dashboard's page of a 10 000-artifact collection in Debian's
 * Chromium, on the built server. Measured in a browser with a profile of its
 * own, as a user's is: it keeps the code it compiled for the dashboard's
 * scripts (V8's code cache) between visits. A private window keeps none and
 * compiles every script on every visit; it is reported beside.
 */
export async function benchDashboard(): Promise<BenchResult[]> {
  if (!existsSync(join(REPO_ROOT, "apps/web/out/index.html"))) throw new Error("the dashboard is not built (apps/web/out)");
  const root = tempDir("bench-dashboard");
  const profileDir = tempDir("bench-dashboard-profile");
  const server = await startScriptorium({ SCRIPTORIUM_DASHBOARD: "" });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const skillPath = (index: number) => `skill-${String(index).padStart(5, "0")}/SKILL.md`;
  try {
    // The server idle, its dashboard loaded, before any work: what the refresh's growth is measured from.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idleRss = server.rssMiB();
    writeFiles(root, Object.fromEntries(Array.from({ length: ARTIFACTS }, (_, index) => [skillPath(index), skillFile({ title: `Skill ${index}`, description: `Does thing ${index}` })])));
    const headers = { "x-api-key": OWNER_KEY, "content-type": "application/json" };
    const collection = (await (await fetch(`${server.url}/api/v1/collections`, { method: "POST", headers, body: JSON.stringify({ name: "Ten thousand" }) })).json()) as { id: string };
    const added = await fetch(`${server.url}/api/v1/collections/${collection.id}/artifacts`, { method: "POST", headers, body: JSON.stringify({ source: root }) });
    if (!added.ok) throw new Error(`import: ${added.status}`);

    const returning = await measurePageLoads(await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS }), server.url, collection.id);
    const privateWindow = await measurePageLoads(await browser.newContext(), server.url, collection.id);
    const apiStarted = performance.now();
    await (await fetch(`${server.url}/api/v1/collections/${collection.id}/artifacts`, { headers })).arrayBuffer();
    const apiMs = performance.now() - apiStarted;
    const shownMs = median(returning.firstPage);

    for (let index = 0; index < ARTIFACTS; index += CHANGED_EVERY) {
      writeFileSync(join(root, skillPath(index)), skillFile({ title: `Skill ${index}`, description: `Does thing ${index}, better` }));
    }
    const rss = sampleRss(server);
    const refreshed = await fetch(`${server.url}/api/v1/collections/${collection.id}/refresh`, { method: "POST", headers, body: JSON.stringify({ mode: "metadata" }) });
    const refreshPeakRss = rss.stop();
    const refresh = (await refreshed.json()) as { result?: { refreshed_count?: number } };
    if (!refreshed.ok || refresh.result?.refreshed_count !== ARTIFACTS / CHANGED_EVERY) throw new Error(`refresh: ${refreshed.status} ${JSON.stringify(refresh).slice(0, 300)}`);
    const growth = refreshPeakRss - idleRss;
    return [
      {
        name: `dashboard: a ${ARTIFACTS}-artifact collection's page in Chromium with a profile of its own, until its first 50 rows and "Load more" are on screen`,
        value: `${Math.round(shownMs)} ms (rounds ${returning.firstPage.map((ms) => Math.round(ms)).join(" / ")}); the next 50 rows ${Math.round(median(returning.nextPage))} ms`,
        comparison: `in a private window, which keeps no compiled code: ${Math.round(median(privateWindow.firstPage))} ms (rounds ${privateWindow.firstPage.map((ms) => Math.round(ms)).join(" / ")}); the same first page from the API alone: ${apiMs.toFixed(1)} ms`,
        target: "interactive within 1 s",
        pass: shownMs <= 1_000,
      },
      {
        name: `server memory with the dashboard in the process: a metadata refresh of the same ${ARTIFACTS} artifacts (${ARTIFACTS / CHANGED_EVERY} changed) after those page loads`,
        value: `peak RSS ${Math.round(refreshPeakRss)} MiB, +${Math.round(growth)} MiB over idle`,
        comparison: `${Math.round(idleRss)} MiB idle, the dashboard loaded, before the import`,
        target: "growth over idle ≤ 150 MB (143 MiB)",
        pass: growth <= 150 / 1.048_576,
      },
    ];
  } finally {
    await browser.close();
    rmSync(profileDir, { recursive: true, force: true });
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
