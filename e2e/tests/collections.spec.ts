import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

// Upstream folders the server reads as local sources: it runs on this machine, so a temp dir is enough.
const upstreamRoot = mkdtempSync(join(tmpdir(), "scriptorium-e2e-upstream-"));
test.afterAll(() => rmSync(upstreamRoot, { recursive: true, force: true }));

function skillMarkdown(title: string, description: string, version: string): string {
  return `---\ntitle: ${title}\ndescription: ${description}\nversion: ${version}\n---\n\n# ${title}\n\n${description} for the e2e tests.\n`;
}

/** skills/canvas (SKILL.md with front matter, run.sh) and skills/pdf (SKILL.md): two artifacts in one folder. */
function createSkillsFolder(): string {
  const skillsDir = join(upstreamRoot, "skills");
  mkdirSync(join(skillsDir, "canvas"), { recursive: true });
  mkdirSync(join(skillsDir, "pdf"), { recursive: true });
  writeFileSync(join(skillsDir, "canvas", "SKILL.md"), skillMarkdown("Canvas", "Draws", "1.0.0"));
  writeFileSync(join(skillsDir, "canvas", "run.sh"), "#!/bin/sh\necho canvas v1\n", { mode: 0o755 });
  writeFileSync(join(skillsDir, "pdf", "SKILL.md"), skillMarkdown("PDF", "Reads PDF files", "0.3.0"));
  return skillsDir;
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // From the top, so the sticky header and sidebar sit where they belong in the full-page image.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("a collection is filled from a local folder, checked, synced and rolled back", async ({ page }, testInfo) => {
  const skillsDir = createSkillsFolder();

  await page.goto("/collections");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Collections" })).toBeVisible();

  // Creating a collection opens its page.
  await page.getByRole("button", { name: "New collection" }).first().click();
  const createDialog = page.getByRole("dialog", { name: "New collection" });
  await createDialog.getByRole("button", { name: "Create collection" }).click();
  await expect(createDialog.getByLabel("Name")).toHaveAccessibleDescription("Give the collection a name.");
  await createDialog.getByLabel("Name").fill("E2E skills");
  await createDialog.getByLabel("Description").fill("Skills kept in step with a folder on the server");
  await createDialog.getByRole("button", { name: "Create collection" }).click();
  await expect(page).toHaveURL(/\/collections\/view\?id=/);
  await expect(page.getByRole("heading", { level: 1, name: "E2E skills" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Artifacts" })).toContainText("No artifacts yet");
  await expect(page.getByRole("region", { name: "Snapshots" })).toContainText("No snapshots yet");

  // One folder holding two skills adds both.
  const addSource = page.getByRole("region", { name: "Add a source" });
  await addSource.getByLabel("Source", { exact: true }).fill(skillsDir);
  await addSource.getByRole("button", { name: "Add artifacts" }).click();
  await expect(page.getByText("Added 2 artifacts")).toBeVisible();
  await expect(addSource.getByLabel("Source", { exact: true })).toHaveValue("");

  const artifactsTable = page.getByRole("table", { name: "Artifacts" });
  const canvasRow = artifactsTable.getByRole("row", { name: /^skill canvas/ });
  const pdfRow = artifactsTable.getByRole("row", { name: /^skill pdf/ });
  const canvasVersion = canvasRow.getByTitle(/^Copied from /);
  await expect(canvasRow).toContainText("Draws");
  await expect(canvasRow).toContainText(join(skillsDir, "canvas"));
  await expect(canvasVersion).toHaveText("1.0.0");
  await expect(pdfRow.getByTitle(/^Copied from /)).toHaveText("0.3.0");

  // The name filter is a glob, applied by the server.
  const nameFilter = page.getByLabel("Filter by name");
  await nameFilter.fill("canv*");
  await expect(pdfRow).toHaveCount(0);
  await expect(canvasRow).toBeVisible();
  await nameFilter.fill("");
  await expect(pdfRow).toBeVisible();

  // Upstream moves: canvas gets a new script and version; pdf stays as it was.
  writeFileSync(join(skillsDir, "canvas", "SKILL.md"), skillMarkdown("Canvas", "Draws", "2.0.0"));
  writeFileSync(join(skillsDir, "canvas", "run.sh"), "#!/bin/sh\necho canvas v2\n", { mode: 0o755 });

  const refreshPanel = page.getByRole("region", { name: "Refresh from upstream" });
  const refreshButton = refreshPanel.getByRole("button", { name: "Refresh", exact: true });
  const results = refreshPanel.getByRole("table", { name: "Refresh results" });

  // A check reports the update and changes nothing.
  await refreshPanel.getByRole("radio", { name: "Check" }).check();
  await refreshButton.click();
  await expect(results.getByRole("row", { name: /^canvas/ })).toContainText("update available");
  await expect(results.getByRole("row", { name: /^pdf/ })).toHaveCount(0);
  await refreshPanel.getByLabel(/Show unchanged/).check();
  await expect(results.getByRole("row", { name: /^pdf/ })).toContainText("unchanged");
  await expect(canvasVersion).toHaveText("1.0.0");

  // A sync applies it, after a snapshot.
  await refreshPanel.getByRole("radio", { name: "Sync" }).check();
  await refreshButton.click();
  await expect(results.getByRole("row", { name: /^canvas/ })).toContainText("version: 1.0.0 → 2.0.0");
  await expect(refreshPanel).toContainText("Snapshot taken before applying");
  await expect(canvasVersion).toHaveText("2.0.0");
  await expect(pdfRow.getByTitle(/^Copied from /)).toHaveText("0.3.0");
  const snapshotsTable = page.getByRole("table", { name: "Snapshots" });
  const syncSnapshot = snapshotsTable.getByRole("row", { name: /sync/ });
  await expect(syncSnapshot).toContainText("1 artifact: skill/canvas");

  await attachScreenshot(page, testInfo, "collection-page");
  await page.setViewportSize({ width: 375, height: 740 });
  await attachScreenshot(page, testInfo, "collection-page-375px");
  await page.setViewportSize({ width: 1280, height: 720 });

  // Rolling back restores the synced artifact, and keeps what it replaced as a snapshot of its own.
  await syncSnapshot.getByRole("button", { name: /^Roll back/ }).click();
  const rollbackDialog = page.getByRole("dialog", { name: "Roll back to this snapshot?" });
  await expect(rollbackDialog).toContainText("canvas");
  await rollbackDialog.getByRole("button", { name: "Roll back" }).click();
  await expect(rollbackDialog).toBeHidden();
  await expect(page.getByText("Rolled back 1 artifact")).toBeVisible();
  await expect(canvasVersion).toHaveText("1.0.0");
  await expect(snapshotsTable.getByRole("row", { name: /rollback/ })).toContainText("1 artifact: skill/canvas");

  // The list shows the collection with its artifacts, and opens it again.
  await page.getByRole("link", { name: "Collections" }).first().click();
  // Within the list: a toast about the new collection may still be showing, and it is a list item too.
  const card = page.getByRole("list", { name: "Collections" }).getByRole("listitem").filter({ hasText: "E2E skills" });
  await expect(card).toContainText("2 artifacts");
  await attachScreenshot(page, testInfo, "collections-list");
  await card.getByRole("link", { name: "E2E skills" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "E2E skills" })).toBeVisible();
});

test("a taken name and a source that does not exist are refused with the server's reasons", async ({ page, request }) => {
  const created = await request.post("/api/v1/collections", { headers: { "X-API-Key": BOOTSTRAP_KEY }, data: { name: "Taken name" } });
  expect(created.status()).toBe(200);

  await page.goto("/collections");
  await signIn(page);
  await page.getByRole("button", { name: "New collection" }).click();
  const createDialog = page.getByRole("dialog", { name: "New collection" });
  await createDialog.getByLabel("Name").fill("Taken name");
  await createDialog.getByRole("button", { name: "Create collection" }).click();
  await expect(createDialog.getByLabel("Name")).toHaveAccessibleDescription('A collection named "Taken name" already exists in this workspace.');
  await page.keyboard.press("Escape");
  await expect(createDialog).toBeHidden();

  await page.getByRole("link", { name: "Taken name" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Taken name" })).toBeVisible();
  const missingFolder = join(upstreamRoot, "no-such-folder");
  const addSource = page.getByRole("region", { name: "Add a source" });
  await addSource.getByLabel("Source", { exact: true }).fill(missingFolder);
  await addSource.getByRole("button", { name: "Add artifacts" }).click();
  await expect(addSource.getByRole("alert")).toHaveText(`Nothing found at ${missingFolder}.`);
});

test("a read key sees collections but every change is disabled", async ({ page, request }) => {
  const headers = { "X-API-Key": BOOTSTRAP_KEY };
  const collection = await request.post("/api/v1/collections", { headers, data: { name: "Read-only view" } });
  const { id } = (await collection.json()) as { id: string };
  const readKey = await request.post("/api/v1/keys", { headers, data: { name: "collections reader", scope: "read" } });
  const { key } = (await readKey.json()) as { key: string };

  await page.goto(`/collections/view?id=${id}`);
  await signIn(page, key);
  await expect(page.getByRole("heading", { level: 1, name: "Read-only view" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Delete" })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Add a source" }).getByLabel("Source", { exact: true })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Refresh from upstream" }).getByRole("button", { name: "Refresh", exact: true })).toBeDisabled();

  await page.getByRole("link", { name: "Collections" }).first().click();
  await expect(page.getByRole("button", { name: "New collection" })).toBeDisabled();
});

test("a large collection shows its first page at once, loads more on request and searches on the server", async ({ page, request }) => {
  const headers = { "X-API-Key": BOOTSTRAP_KEY };
  const folder = join(upstreamRoot, "large");
  for (let index = 0; index < 1_200; index += 1) {
    const name = `plant-${String(index).padStart(4, "0")}`;
    mkdirSync(join(folder, name), { recursive: true });
    writeFileSync(join(folder, name, "SKILL.md"), skillMarkdown(`Plant ${index}`, index % 100 === 7 ? "A rare orchid" : "A common fern", "1.0.0"));
  }
  const created = await request.post("/api/v1/collections", { headers, data: { name: "Large garden" } });
  const { id } = (await created.json()) as { id: string };
  expect((await request.post(`/api/v1/collections/${id}/artifacts`, { headers, data: { source: folder } })).ok()).toBe(true);

  await page.goto(`/collections/view?id=${id}`);
  await signIn(page);
  const artifacts = page.getByRole("region", { name: "Artifacts" });
  const rows = artifacts.getByRole("table", { name: "Artifacts" }).getByRole("row");
  // The first page (50 rows and the header), and the whole count from the server.
  await expect(rows).toHaveCount(51);
  await expect(artifacts).toContainText("1200 artifacts");
  await expect(artifacts).toContainText("Showing 50 of 1200 artifacts");
  await artifacts.getByRole("button", { name: "Load more" }).click();
  await expect(rows).toHaveCount(101);
  await expect(artifacts).toContainText("Showing 100 of 1200 artifacts");

  // Words are searched on the server, across every page.
  await artifacts.getByLabel("Search").fill("rare orchid");
  await expect(rows).toHaveCount(13);
  await expect(artifacts).toContainText("12 matching the filters");
  await expect(artifacts.getByRole("button", { name: "Load more" })).toBeHidden();
  await expect(artifacts.getByText("plant-1107", { exact: true })).toBeVisible();
});
