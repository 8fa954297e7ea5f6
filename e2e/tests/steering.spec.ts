import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

const OWNER = { "X-API-Key": BOOTSTRAP_KEY };

interface Cast {
  cast: { name: string; relationships: { with: string; kind: string }[] }[];
}

/** What is on screen now, where it is scrolled to. */
async function attachViewportScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

/** A short book written through all twelve stages by the offline writer, through the REST API. */
async function writtenBook(request: APIRequestContext, title: string): Promise<string> {
  const created = await request.post("/api/v2/projects", { headers: OWNER, data: { title, genre: "mystery", target_words: 3_000, seed: 11 } });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  const started = await request.post(`/api/v2/projects/${id}/generate`, { headers: OWNER, data: {} });
  expect(started.status(), await started.text()).toBe(200);
  await expect
    .poll(async () => ((await (await request.get(`/api/v2/projects/${id}/generate/status`, { headers: OWNER })).json()) as { status: string }).status, { timeout: 60_000 })
    .toBe("completed");
  return id;
}

test("the cast is edited in the dashboard: the stale stages show, the versions view compares the two, a restore undoes it, and a bad document is refused", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const id = await writtenBook(request, "The Renamed Witness");
  const castBefore = ((await (await request.get(`/api/v2/projects/${id}/generate/stages/4`, { headers: OWNER })).json()) as { output: Cast }).output;
  const [first, second] = castBefore.cast;
  if (!first || !second) throw new Error("the offline cast has at least two characters");

  await page.goto(`/projects/view?id=${id}`);
  await signIn(page);
  const stages = page.getByRole("list", { name: "Stages" });
  await expect(stages.getByRole("listitem", { name: "Stage 12: Output validation" })).toContainText("Done");

  // The cast's form: renaming the first character says first what becomes stale.
  await stages.getByRole("button", { name: "View the output of stage 4, Characters" }).click();
  const dialog = page.getByRole("dialog", { name: "Stage 4 · Characters" });
  await dialog.getByRole("tab", { name: "Edit" }).click();
  const firstCharacter = dialog.getByRole("list", { name: "Characters" }).getByRole("listitem").first();
  await expect(firstCharacter.getByLabel("Name")).toHaveValue(first.name);
  await expect(dialog.getByText("Nothing written becomes stale")).toHaveCount(0);
  await firstCharacter.getByLabel("Name").fill("Odile Marchetti");
  await expect(firstCharacter.getByLabel("Name")).toHaveAccessibleDescription(`Was ${first.name}; renamed everywhere in the cast`);
  await expect(dialog.getByRole("heading", { name: "Saving makes stages 5–12 stale" })).toBeVisible();
  await expect(dialog.getByRole("list", { name: "Stages made stale" }).getByRole("listitem")).toHaveCount(8);
  await attachViewportScreenshot(page, testInfo, "cast-edit-effects");
  await dialog.getByRole("button", { name: "Save as new version" }).click();

  // Saved: the versions view opens on the change, old name struck out and new name added.
  await expect(dialog.getByRole("tab", { name: "Versions (2)" })).toHaveAttribute("aria-selected", "true");
  const versions = dialog.getByRole("table", { name: "Versions" });
  await expect(versions.getByRole("row", { name: "Version 2" })).toContainText("Edited by hand");
  await expect(versions.getByRole("row", { name: "Version 2" })).toContainText("Current");
  await expect(versions.getByRole("row", { name: "Version 1" })).toContainText("Written by the writer");
  const diff = dialog.getByRole("list", { name: "Changes from version 1 to version 2" });
  await expect(diff.getByRole("listitem", { name: `Removed: - Name: ${first.name}` })).toBeVisible();
  await expect(diff.getByRole("listitem", { name: "Added: - Name: Odile Marchetti" })).toBeVisible();
  await attachViewportScreenshot(page, testInfo, "cast-versions-diff");
  await page.keyboard.press("Escape");

  // The timeline shows what the edit made stale; the stages before it keep their state.
  for (const name of ["Stage 5: Scene outline", "Stage 6: Scene drafting", "Stage 12: Output validation"]) {
    await expect(stages.getByRole("listitem", { name })).toContainText("Stale");
  }
  for (const name of ["Stage 3: Beat sheet", "Stage 4: Characters"]) {
    await expect(stages.getByRole("listitem", { name })).toContainText("Done");
  }
  await expect(page.getByRole("log", { name: "Live log" })).toContainText("Stage 4 (characters) was edited by hand (version 2); stages 5–12 are stale");
  const castAfter = ((await (await request.get(`/api/v2/projects/${id}/generate/stages/4`, { headers: OWNER })).json()) as { output: Cast }).output;
  expect(castAfter.cast[0]?.name).toBe("Odile Marchetti");
  expect(castAfter.cast.slice(1)).toEqual(
    castBefore.cast.slice(1).map((character) => ({
      ...character,
      relationships: character.relationships.map((relationship) => ({ ...relationship, with: relationship.with === first.name ? "Odile Marchetti" : relationship.with })),
    })),
  );

  // The next start plans exactly the stale work.
  await page.getByRole("button", { name: "Start", exact: true }).click();
  const planned = page.getByRole("dialog", { name: "Start writing?" }).getByRole("table", { name: "Planned stages" });
  await expect(planned.getByRole("row", { name: /^Stage \d+: / }).filter({ hasText: "Stale" })).toHaveCount(8);
  await expect(planned.getByRole("row", { name: "Stage 4: Characters" })).toHaveCount(0);
  await page.keyboard.press("Escape");

  // Restoring the writer's version stores it as version 3, a copy of version 1.
  await stages.getByRole("button", { name: "View the output of stage 4, Characters" }).click();
  await dialog.getByRole("tab", { name: "Versions (2)" }).click();
  await versions.getByRole("button", { name: "Restore version 1" }).click();
  await expect(versions.getByRole("row", { name: "Version 3" })).toContainText("Restored from version 1");
  await expect(dialog.getByRole("list", { name: "Changes from version 2 to version 3" }).getByRole("listitem", { name: `Added: - Name: ${first.name}` })).toBeVisible();
  const restored = ((await (await request.get(`/api/v2/projects/${id}/generate/stages/4`, { headers: OWNER })).json()) as { output: Cast; version: number }).output;
  expect(restored).toEqual(castBefore);
  await page.keyboard.press("Escape");

  // The other planning documents are edited as the API takes them; what the server refuses is named, and nothing is stored.
  await stages.getByRole("button", { name: "View the output of stage 1, High concept" }).click();
  const concept = page.getByRole("dialog", { name: "Stage 1 · High concept" });
  await concept.getByRole("tab", { name: "Edit" }).click();
  const json = concept.getByRole("textbox", { name: "Document" });
  const document = JSON.parse(await json.inputValue()) as Record<string, unknown>;
  await json.fill("{ not json");
  await expect(json).toHaveAccessibleDescription(/^Not valid JSON/);
  await expect(concept.getByRole("button", { name: "Save as new version" })).toBeDisabled();
  await json.fill(JSON.stringify({ ...document, themes: "not a list" }, null, 2));
  await concept.getByRole("button", { name: "Save as new version" }).click();
  await expect(concept.getByRole("list", { name: "Problems" })).toContainText("themes");
  expect(((await (await request.get(`/api/v2/projects/${id}/generate/stages/1`, { headers: OWNER })).json()) as { version: number }).version).toBe(1);
});

test("a scene is edited and pinned in the reader, its versions compare word by word, and a read key only reads them", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const id = await writtenBook(request, "The Pinned Letter");
  await page.goto(`/projects/view?id=${id}`);
  await signIn(page);

  const reader = page.getByRole("region", { name: "Manuscript" });
  await reader.getByRole("button", { name: "Edit chapter 1, scene 1" }).click();
  const dialog = page.getByRole("dialog", { name: "Chapter 1, scene 1" });
  const text = dialog.getByLabel("Text");
  const original = await text.inputValue();
  await text.fill(`The letter had been waiting under the door since dawn.\n\n${original}`);
  await expect(dialog).toContainText("Saving pins the scene");
  await dialog.getByRole("button", { name: "Save and pin" }).click();

  // The versions view opens on the edit: the new sentence added, the rest unchanged.
  const versions = dialog.getByRole("table", { name: "Versions" });
  await expect(versions.getByRole("row").filter({ hasText: "Edited by hand" })).toHaveCount(1);
  const diff = dialog.getByRole("region", { name: /^Changes from version \d+ to version \d+$/ });
  await expect(diff.getByLabel("Added: The letter had been waiting under the door since dawn.")).toBeVisible();
  await expect(diff.locator("del")).toHaveCount(0);
  await attachViewportScreenshot(page, testInfo, "scene-versions-diff");
  await page.keyboard.press("Escape");

  // The reader shows the new text, pinned; the server has it too, and output validation is stale.
  await expect(reader.getByRole("group", { name: "Scene 1" }).first()).toContainText("Pinned");
  await expect(reader).toContainText("The letter had been waiting under the door since dawn.");
  const manuscript = (await (await request.get(`/api/v2/projects/${id}/manuscript`, { headers: OWNER })).json()) as { chapters: { scenes: { text: string; pinned: boolean }[] }[] };
  expect(manuscript.chapters[0]?.scenes[0]).toMatchObject({ pinned: true, text: `The letter had been waiting under the door since dawn.\n\n${original}` });
  await expect(page.getByRole("list", { name: "Stages" }).getByRole("listitem", { name: "Stage 12: Output validation" })).toContainText("Stale");

  // Unpinned from the dialog, the scene may be written again by the next run.
  await reader.getByRole("button", { name: "Edit chapter 1, scene 1" }).click();
  await dialog.getByRole("button", { name: "Unpin" }).click();
  await expect(page.getByText("unpinned: the next run may write it again")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(reader.getByRole("group", { name: "Scene 1" }).first()).not.toContainText("Pinned");

  // A read key reads the versions but edits nothing.
  const readKey = await request.post("/api/v1/keys", { headers: OWNER, data: { name: "steering reader", scope: "read" } });
  const { key } = (await readKey.json()) as { key: string };
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, key);
  await expect(reader.getByRole("button", { name: "Versions of chapter 1, scene 1" })).toBeVisible();
  await expect(reader.getByRole("button", { name: "Edit chapter 1, scene 1" })).toHaveCount(0);
  await page.getByRole("list", { name: "Stages" }).getByRole("button", { name: "View the output of stage 4, Characters" }).click();
  const cast = page.getByRole("dialog", { name: "Stage 4 · Characters" });
  await expect(cast.getByRole("tab", { name: /^Versions/ })).toBeVisible();
  await expect(cast.getByRole("tab", { name: "Edit" })).toHaveCount(0);
});

test("a scene is rewritten from the reader: the instruction, the plan, the job, and the runs view naming it", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const id = await writtenBook(request, "The Foggy Harbour");
  type Chapters = { chapters: { number: number; scenes: { text: string }[] }[] };
  const before = (await (await request.get(`/api/v2/projects/${id}/manuscript`, { headers: OWNER })).json()) as Chapters;
  await page.goto(`/projects/view?id=${id}`);
  await signIn(page);

  const reader = page.getByRole("region", { name: "Manuscript" });
  await reader.getByRole("button", { name: "Rewrite chapter 1, scene 2" }).click();
  const form = page.getByRole("dialog", { name: "Rewrite part of chapter 1" });
  await expect(form.getByLabel("Part")).toHaveText("Scene 2");
  const instruction = form.getByLabel("Instruction");
  await instruction.fill("x".repeat(4_001));
  await expect(instruction).toHaveAccessibleDescription("Keep the instruction to 4,000 characters or fewer.");
  await expect(form.getByRole("button", { name: "Review the plan" })).toBeDisabled();
  await instruction.fill("Let the fog lift over the harbour.");
  await form.getByRole("button", { name: "Review the plan" }).click();

  // The plan first: scene drafting of that one scene, the revision passes over it, and the book checked again.
  const plan = page.getByRole("dialog", { name: "Rewrite chapter 1, scene 2?" });
  await expect(plan).toContainText("Let the fog lift over the harbour.");
  const planned = plan.getByRole("table", { name: "Planned stages" });
  await expect(planned.getByRole("row", { name: "Stage 6: Scene drafting" })).toContainText("1 scene");
  await expect(planned.getByRole("row", { name: "Stage 12: Output validation" })).toBeVisible();
  await attachViewportScreenshot(page, testInfo, "rewrite-plan");
  await plan.getByRole("button", { name: "Rewrite", exact: true }).click();
  await expect(plan).toBeHidden();
  await expect(page.getByRole("log", { name: "Live log" }).getByText("Job completed.")).toHaveCount(2, { timeout: 60_000 });

  // The runs view names the part and the instruction; the scene's versions show the rewrite.
  const run = page.getByRole("table", { name: "Runs" }).getByRole("row", { name: /^Rewrite of chapter 1, scene 2 run, / });
  await expect(run).toContainText("Completed");
  await expect(run).toContainText("“Let the fog lift over the harbour.”");
  await reader.getByRole("button", { name: "Versions of chapter 1, scene 2" }).click();
  const versions = page.getByRole("dialog", { name: "Chapter 1, scene 2" }).getByRole("table", { name: "Versions" });
  await expect(versions.getByRole("row").filter({ hasText: "Rewritten by instruction" }).first()).toBeVisible();
  await page.keyboard.press("Escape");

  // Only that scene changed.
  const after = (await (await request.get(`/api/v2/projects/${id}/manuscript`, { headers: OWNER })).json()) as Chapters;
  expect(after.chapters.slice(1)).toEqual(before.chapters.slice(1));
  expect(after.chapters[0]?.scenes[0]).toEqual(before.chapters[0]?.scenes[0]);
  expect(after.chapters[0]?.scenes[1]?.text).not.toBe(before.chapters[0]?.scenes[1]?.text);
});

test("a writer writes the cast before the first start, and the book is written with it", async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const created = await request.post("/api/v2/projects", { headers: OWNER, data: { title: "The Own Cast", genre: "mystery", target_words: 3_000 } });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  await page.goto(`/projects/view?id=${id}`);
  await signIn(page);

  const stages = page.getByRole("list", { name: "Stages" });
  await stages.getByRole("button", { name: "Write stage 4, Characters, yourself" }).click();
  const dialog = page.getByRole("dialog", { name: "Stage 4 · Characters" });
  await expect(dialog.getByRole("tab", { name: "Write it yourself" })).toHaveAttribute("aria-selected", "true");
  const characters = dialog.getByRole("list", { name: "Characters" }).getByRole("listitem");
  await expect(characters).toHaveCount(2);
  await expect(dialog.getByRole("button", { name: "Save as new version" })).toBeDisabled();
  await characters.nth(0).getByLabel("Name").fill("Ada Quill");
  await characters.nth(0).getByLabel("Goal").fill("To find who sank the ferry.");
  await characters.nth(1).getByLabel("Name").fill("Bram Holloway");
  await characters.nth(1).getByLabel("Relationships").fill("rival of Ada Quill");
  await expect(dialog.getByText("Nothing written becomes stale: no later stage has run yet.")).toBeVisible();
  await attachViewportScreenshot(page, testInfo, "cast-written-by-hand");
  await dialog.getByRole("button", { name: "Save as new version" }).click();
  await expect(dialog.getByRole("table", { name: "Versions" }).getByRole("row", { name: "Version 1" })).toContainText("Edited by hand");
  await page.keyboard.press("Escape");
  await expect(stages.getByRole("listitem", { name: "Stage 4: Characters" })).toContainText("Done");

  // The start plans every stage but the cast, and the book is written with the writer's characters.
  await page.getByRole("button", { name: "Start", exact: true }).click();
  const planDialog = page.getByRole("dialog", { name: "Start writing?" });
  const planned = planDialog.getByRole("table", { name: "Planned stages" });
  await expect(planned.getByRole("row", { name: /^Stage \d+: / })).toHaveCount(11);
  await expect(planned.getByRole("row", { name: "Stage 4: Characters" })).toHaveCount(0);
  await planDialog.getByRole("button", { name: "Start", exact: true }).click();
  await expect(page.getByRole("log", { name: "Live log" })).toContainText("Job completed.", { timeout: 60_000 });
  const cast = (await (await request.get(`/api/v2/projects/${id}/generate/stages/4`, { headers: OWNER })).json()) as { output: Cast; edited: boolean; status: string };
  expect(cast).toMatchObject({ edited: true, status: "completed" });
  expect(cast.output.cast.map((character) => character.name)).toEqual(["Ada Quill", "Bram Holloway"]);
  const manuscript = JSON.stringify(await (await request.get(`/api/v2/projects/${id}/manuscript`, { headers: OWNER })).json());
  expect(manuscript).toContain("Ada");
  expect(manuscript).toContain("Bram");
});
