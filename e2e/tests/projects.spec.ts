import { statSync } from "node:fs";
import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

const OWNER = { "X-API-Key": BOOTSTRAP_KEY };

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // From the top, so the sticky header and sidebar sit where they belong in the full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** What is on screen now, where it is scrolled to (a dialog, or the part of the page being watched). */
async function attachViewportScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** A progress bar's value, 0 to 100, as assistive technology reads it. */
async function percentOf(bar: Locator): Promise<number> {
  return Number(await bar.getAttribute("aria-valuenow"));
}

/** What the page rendered while a job ran, recorded in the page itself. */
interface ProgressSeen {
  overall: number[];
  partialStage: boolean;
}

async function stagePercents(page: Page): Promise<number[]> {
  const bars = page.getByRole("list", { name: "Stages" }).getByRole("progressbar");
  return Promise.all((await bars.all()).map(percentOf));
}

test("a project is created, written live, paused, resumed and read", async ({ page, request }, testInfo) => {
  // Generous: the whole book is written during the test, on whatever machine runs it.
  test.setTimeout(240_000);

  await page.goto("/projects");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Projects" })).toBeVisible();

  // The form checks what it can before a round trip; creating opens the project's page.
  await page.getByRole("button", { name: "New project" }).first().click();
  const createDialog = page.getByRole("dialog", { name: "New project" });
  await createDialog.getByRole("button", { name: "Create project" }).click();
  await expect(createDialog.getByLabel("Title")).toHaveAccessibleDescription("Give the project a title.");
  await createDialog.getByLabel("Title").fill("The Salt Road");
  await createDialog.getByLabel("Genre").fill("fantasy");
  // Long enough that the run lasts a few seconds, so its progress can be watched and paused.
  await createDialog.getByLabel("Length in words").fill("100,000");
  await createDialog.getByLabel("Seed").fill("7");
  await expect(createDialog.getByLabel("Model")).toHaveCount(0);
  await createDialog.getByRole("button", { name: "More options" }).click();
  await createDialog.getByLabel("Author").fill("E. T. Tester");
  await createDialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/view\?id=/);
  await expect(page.getByRole("heading", { level: 1, name: "The Salt Road" })).toBeVisible();
  const projectId = new URL(page.url()).searchParams.get("id") ?? "";
  const project = (await (await request.get(`/api/v2/projects/${projectId}`, { headers: OWNER })).json()) as { chapters: number; seed: number };
  expect(project.seed).toBe(7);

  await expect(page.getByText("No job yet")).toBeVisible();
  await expect(page.getByRole("list", { name: "Stages" }).getByRole("listitem")).toHaveCount(12);
  await expect(page.getByRole("button", { name: "Pause" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Resume" })).toBeDisabled();
  await expect(page.getByText("No manuscript yet")).toBeVisible();

  // Started, then paused at once: the offline writer finishes a book in seconds, so
  // pausing first is what makes the pause observable on any machine.
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.getByRole("dialog", { name: "Start writing?" }).getByRole("button", { name: "Start", exact: true }).click();
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByText("Paused at a checkpoint")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Resume" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Pause" })).toBeDisabled();
  await expect(page.getByRole("log", { name: "Live log" })).toContainText("Job paused.");
  await attachViewportScreenshot(page, testInfo, "project-page-paused");
  const overall = page.getByRole("progressbar", { name: "Overall progress" });
  const overallPaused = await percentOf(overall);
  const stagesPaused = await stagePercents(page);
  expect(overallPaused).toBeLessThan(100);
  await page.waitForTimeout(1_500);
  expect(await percentOf(overall)).toBe(overallPaused);
  expect(await stagePercents(page)).toEqual(stagesPaused);

  // Resumed: it runs on from the checkpoint to the end, and the bars move without a reload.
  // Every value the page renders is recorded, since the offline writer is quicker than any polling.
  await page.evaluate(() => {
    const seen: ProgressSeen = { overall: [], partialStage: false };
    (window as unknown as { progressSeen: ProgressSeen }).progressSeen = seen;
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const bar = mutation.target as Element;
        const value = Number(bar.getAttribute("aria-valuenow"));
        if (bar.getAttribute("aria-label") === "Overall progress") seen.overall.push(value);
        else if (bar.closest('[aria-label="Stages"]') && value > 0 && value < 100) seen.partialStage = true;
      }
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("dialog", { name: "Resume the job?" }).getByRole("button", { name: "Resume", exact: true }).click();
  await expect(page.getByRole("log", { name: "Live log" })).toContainText("Job completed.", { timeout: 180_000 });
  await expect.poll(() => percentOf(overall)).toBe(100);
  expect(await stagePercents(page)).toEqual(Array.from({ length: 12 }, () => 100));
  await expect(page.getByRole("button", { name: "Start", exact: true })).toBeEnabled();
  // The same page, still there, saw the run move: many distinct overall values, and a scene
  // stage part-way through (scene stages report scene by scene).
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: ProgressSeen }).progressSeen);
  expect(new Set(seen.overall.filter((value) => value > overallPaused && value < 100)).size).toBeGreaterThan(5);
  expect(seen.partialStage).toBe(true);

  // The reader shows chapter 1 with its scene breaks, and the chart one bar per chapter.
  const manuscript = page.getByRole("region", { name: "Manuscript" });
  await expect(manuscript.getByRole("heading", { name: /^Chapter 1: / })).toBeVisible();
  await expect(manuscript.getByRole("separator", { name: "Scene break" }).first()).toBeVisible();
  expect((await manuscript.locator("article p").first().innerText()).length).toBeGreaterThan(40);
  await expect(page.getByRole("list", { name: "Words per chapter" }).getByRole("listitem")).toHaveCount(project.chapters);

  await manuscript.getByRole("navigation", { name: "Chapters", exact: true }).getByRole("button", { name: "Next chapter" }).click();
  await expect(manuscript.getByRole("heading", { name: /^Chapter 2: / })).toBeVisible();

  await attachScreenshot(page, testInfo, "project-page");

  // Each stage's output is readable: the quality report of stage 12, the cast of stage 4.
  await page.getByRole("button", { name: "View the output of stage 12, Output validation" }).click();
  const reportDialog = page.getByRole("dialog", { name: "Stage 12 · Output validation" });
  await expect(reportDialog.getByText("Reading ease")).toBeVisible();
  await expect(reportDialog.getByRole("list", { name: "Words per chapter" }).getByRole("listitem")).toHaveCount(project.chapters);
  // Repetition by sentence: the share used once, and the most repeated ones with their counts (or word that none repeats).
  await expect(reportDialog.getByText("Sentences used once")).toBeVisible();
  await expect(reportDialog.getByRole("heading", { name: "Most repeated sentences" })).toBeVisible();
  await attachViewportScreenshot(page, testInfo, "stage-12-output");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "View the output of stage 4, Characters" }).click();
  await expect(page.getByRole("dialog", { name: "Stage 4 · Characters" }).getByRole("list", { name: "Cast" }).getByRole("listitem").first()).toBeVisible();
  await page.keyboard.press("Escape");

  // Exports: nothing built yet; building all makes every row ready, and each downloads under the title's slug.
  const exportFiles = page.getByRole("table", { name: "Export files" });
  await expect(exportFiles.getByRole("row", { name: "EPUB e-book" })).toContainText("Not built");
  await page.getByRole("button", { name: "Build all formats" }).click();
  for (const format of ["Word document", "EPUB e-book", "PDF", "Markdown", "Plain text"]) {
    await expect(exportFiles.getByRole("row", { name: format, exact: true })).toContainText("Ready", { timeout: 60_000 });
  }
  await exportFiles.getByRole("row", { name: "EPUB e-book" }).scrollIntoViewIfNeeded();
  await attachViewportScreenshot(page, testInfo, "exports");
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the-salt-road.epub" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("the-salt-road.epub");
  const saved = testInfo.outputPath("the-salt-road.epub");
  await download.saveAs(saved);
  const listed = (await (await request.get(`/api/v2/projects/${projectId}/export/epub/status`, { headers: OWNER })).json()) as { size_bytes: number };
  expect(statSync(saved).size).toBe(listed.size_bytes);

  await page.setViewportSize({ width: 375, height: 740 });
  await attachScreenshot(page, testInfo, "project-page-375px");
  await page.setViewportSize({ width: 1280, height: 720 });

  // The list shows the finished project and opens it again.
  await page.getByRole("link", { name: "Projects" }).first().click();
  const card = page.getByRole("list", { name: "Projects" }).getByRole("listitem").filter({ hasText: "The Salt Road" });
  await expect(card).toContainText("Completed");
  await expect(card).toContainText("100,000 words");
  await attachScreenshot(page, testInfo, "projects-list");
  await card.getByRole("link", { name: "The Salt Road" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The Salt Road" })).toBeVisible();
});

test("the server's reasons for refusing a project appear next to the fields they are about", async ({ page }) => {
  await page.goto("/projects");
  await signIn(page);
  await page.getByRole("button", { name: "New project" }).first().click();
  const createDialog = page.getByRole("dialog", { name: "New project" });
  await createDialog.getByLabel("Title").fill("Too many chapters");
  await createDialog.getByLabel("Length in words").fill("1000");
  await createDialog.getByRole("button", { name: "More options" }).click();
  await createDialog.getByLabel("Chapters").fill("50");
  await createDialog.getByRole("button", { name: "Create project" }).click();
  await expect(createDialog.getByLabel("Chapters")).toHaveAccessibleDescription(/a scene needs at least 100/);
  await expect(createDialog.getByLabel("Length in words")).toHaveAccessibleDescription(/a scene needs at least 100/);
});

test("a read key sees projects but cannot start, steer or run anything", async ({ page, request }) => {
  const created = await request.post("/api/v2/projects", { headers: OWNER, data: { title: "Read-only novel", target_words: 5000 } });
  expect(created.status()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  const readKey = await request.post("/api/v1/keys", { headers: OWNER, data: { name: "projects reader", scope: "read" } });
  const { key } = (await readKey.json()) as { key: string };

  await page.goto(`/projects/view?id=${id}`);
  await signIn(page, key);
  await expect(page.getByRole("heading", { level: 1, name: "Read-only novel" })).toBeVisible();
  for (const name of ["Start", "Pause", "Resume", "Cancel", "Start over", "Delete"]) {
    await expect(page.getByRole("button", { name, exact: true })).toBeDisabled();
  }
  await expect(page.getByRole("button", { name: "Run stage 1, High concept, alone" })).toBeDisabled();

  await page.getByRole("link", { name: "Projects" }).first().click();
  await expect(page.getByRole("button", { name: "New project" })).toBeDisabled();
});
