import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

const OWNER = { "X-API-Key": BOOTSTRAP_KEY };

/** What is on screen now, where it is scrolled to. */
async function attachViewportScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("a start shows its plan first, the runs view shows the job's timeline, and an edit says what becomes stale", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto("/projects");
  await signIn(page);
  await page.getByRole("button", { name: "New project" }).first().click();
  const createDialog = page.getByRole("dialog", { name: "New project" });
  await createDialog.getByLabel("Title").fill("The Small Harbour");
  await createDialog.getByLabel("Genre").fill("mystery");
  await createDialog.getByLabel("Length in words").fill("3,000");
  await createDialog.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The Small Harbour" })).toBeVisible();
  const projectId = new URL(page.url()).searchParams.get("id") ?? "";
  const project = (await (await request.get(`/api/v2/projects/${projectId}`, { headers: OWNER })).json()) as { chapters: number; scenes_per_chapter: number };
  const scenes = project.chapters * project.scenes_per_chapter;

  // Start asks first, with what it would write, why, and what it costs: the offline writer is free.
  await page.getByRole("button", { name: "Start", exact: true }).click();
  const planDialog = page.getByRole("dialog", { name: "Start writing?" });
  const planned = planDialog.getByRole("table", { name: "Planned stages" });
  await expect(planned.getByRole("row", { name: /^Stage \d+: / })).toHaveCount(12);
  await expect(planned.getByRole("row", { name: "Stage 1: High concept" })).toContainText("Pending");
  await expect(planned.getByRole("row", { name: "Stage 6: Scene drafting" })).toContainText(`${scenes} scenes`);
  await expect(planned.getByRole("row", { name: "Stage 6: Scene drafting" })).toContainText("Free");
  await expect(planned.getByRole("row", { name: "Total" })).toContainText("Free");
  await attachViewportScreenshot(page, testInfo, "plan-before-start");
  await planDialog.getByRole("button", { name: "Start", exact: true }).click();
  await expect(planDialog).toBeHidden();
  await expect(page.getByRole("log", { name: "Live log" })).toContainText("Job completed.", { timeout: 60_000 });

  // The runs view lists the job, live, and opens it to its timeline and log.
  const runs = page.getByRole("table", { name: "Runs" });
  const run = runs.getByRole("row", { name: /^Full run, / });
  await expect(run).toHaveCount(1);
  await expect(run).toContainText("Completed");
  await run.getByRole("button", { name: /^Details of the Full run/ }).click();
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline.getByRole("listitem", { name: /^Workers: 1 attempt$/ })).toBeVisible();
  await expect(timeline.getByRole("listitem", { name: /^\d+\. .+: .+ to .+, completed$/ })).toHaveCount(12);
  await expect(timeline.getByRole("listitem", { name: /^6\. Scene drafting: / })).toBeVisible();
  await expect(page.getByRole("list", { name: "Attempts" }).getByRole("listitem")).toContainText("completed");
  await expect(page.getByRole("log", { name: "Run log" })).toContainText("Job completed.");
  await timeline.scrollIntoViewIfNeeded();
  await attachViewportScreenshot(page, testInfo, "runs-view");

  // Editing the genre says first that every stage becomes stale; saved, the stages show it.
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit project" });
  await expect(editDialog.getByText("Nothing written becomes stale.")).toBeVisible();
  await editDialog.getByLabel("Genre").fill("horror");
  await expect(editDialog.getByRole("heading", { name: "Saving makes stages 1–12 stale" })).toBeVisible();
  const madeStale = editDialog.getByRole("list", { name: "Stages made stale" });
  await expect(madeStale.getByRole("listitem")).toHaveCount(12);
  await expect(madeStale).toContainText("1 · High concept");
  await madeStale.scrollIntoViewIfNeeded();
  await attachViewportScreenshot(page, testInfo, "edit-effects");
  await editDialog.getByRole("button", { name: "Save changes" }).click();
  await expect(editDialog).toBeHidden();
  const stages = page.getByRole("list", { name: "Stages" });
  for (const name of ["Stage 1: High concept", "Stage 6: Scene drafting", "Stage 12: Output validation"]) {
    await expect(stages.getByRole("listitem", { name })).toContainText("Stale");
  }
  await expect(page.getByRole("log", { name: "Live log" })).toContainText("Changed genre: stages 1–12 are stale");
  expect(((await (await request.get(`/api/v2/projects/${projectId}`, { headers: OWNER })).json()) as { genre: string }).genre).toBe("horror");

  // The next start plans exactly the stale stages.
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await expect(planned.getByRole("row", { name: /^Stage \d+: / }).filter({ hasText: "Stale" })).toHaveCount(12);
  await page.keyboard.press("Escape");
});

test("a job paused by its budget offers to raise it, shows the plan with the new budget, and resumes", async ({ page, request }, testInfo) => {
  // A model priced by the project, with a budget too small for its first request: the job pauses before any request is made.
  const created = await request.post("/api/v2/projects", {
    headers: OWNER,
    data: {
      title: "The Priced Harbour",
      target_words: 3_000,
      writer: { provider: "openai-compatible", model: "house-model", base_url: "http://127.0.0.1:9/v1", price: { input_per_mtok: 1, output_per_mtok: 1 } },
      budget_usd: 0.0001,
    },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/projects/view?id=${id}`);
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "The Priced Harbour" })).toBeVisible();

  await page.getByRole("button", { name: "Start", exact: true }).click();
  const planDialog = page.getByRole("dialog", { name: "Start writing?" });
  await expect(planDialog.getByRole("list", { name: "Warnings" })).toContainText(/budget/i);
  await expect(planDialog).toContainText("Budget: $0.0001");
  await planDialog.getByRole("button", { name: "Start", exact: true }).click();
  const liveLog = page.getByRole("log", { name: "Live log" });
  await expect(liveLog).toContainText("Job paused: the budget is spent.", { timeout: 30_000 });

  await page.getByRole("button", { name: "Raise budget and resume" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit project" });
  const budget = editDialog.getByLabel("Budget in USD");
  await expect(budget).toBeFocused();
  await budget.fill("0.0002");
  await expect(editDialog.getByText("Nothing written becomes stale.")).toBeVisible();
  await editDialog.getByRole("button", { name: "Save changes" }).click();

  // Saved, the plan of the resume shows the new budget before the job goes on.
  const resumeDialog = page.getByRole("dialog", { name: "Resume the job?" });
  await expect(resumeDialog).toContainText("Budget: $0.0002");
  await attachViewportScreenshot(page, testInfo, "resume-plan");
  await resumeDialog.getByRole("button", { name: "Resume", exact: true }).click();
  // Still too little for the first request: it pauses again, on a second claim.
  await expect(liveLog.getByText("Job paused: the budget is spent.")).toHaveCount(2, { timeout: 30_000 });
  expect(((await (await request.get(`/api/v2/projects/${id}`, { headers: OWNER })).json()) as { budget_usd: number }).budget_usd).toBe(0.0002);
  const run = page.getByRole("table", { name: "Runs" }).getByRole("row", { name: /^Full run, / });
  await expect(run).toContainText("Paused");
  // Two attempts, each ended by the budget.
  await expect(run.getByTitle("1: paused: budget spent · 2: paused: budget spent")).toHaveText("2");
});
