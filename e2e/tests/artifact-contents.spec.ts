import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { GitRepoFixture, tempDir } from "@scriptorium/domain/testing";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

const OWNER = { "X-API-Key": BOOTSTRAP_KEY };
const upstreamRoot = tempDir("e2e-contents");
test.afterAll(() => rmSync(upstreamRoot, { recursive: true, force: true }));

/** SKILL.md with eight numbered steps, far enough apart that edits to step 2 and step 7 merge without conflict. */
function notesSkill(steps: Record<number, string> = {}): string {
  const lines = Array.from({ length: 8 }, (_, index) => steps[index + 1] ?? `Step ${index + 1}: as written upstream.`);
  return `---\ntitle: Release notes\ndescription: Writes release notes\n---\n\n# Release notes\n\n${lines.join("\n")}\n`;
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("an artifact from a git repository is read, edited, reviewed against an upstream change and merged", async ({ page, request }, testInfo) => {
  const repo = new GitRepoFixture(upstreamRoot, "skills");
  repo.write({ "skills/notes/SKILL.md": notesSkill(), "skills/notes/scripts/collect.sh": "#!/bin/sh\ngit log --oneline\n" }).commit("first");
  const created = await request.post("/api/v1/collections", { headers: OWNER, data: { name: "Merged edits" } });
  const { id: collectionId } = (await created.json()) as { id: string };

  await page.goto(`/collections/view?id=${collectionId}`);
  await signIn(page);

  // The repository, added through the dashboard like any git source.
  const addSource = page.getByRole("region", { name: "Add a source" });
  await addSource.getByText("Git URL").click();
  await addSource.getByLabel("Repository URL").fill(repo.url);
  await addSource.getByLabel("Path", { exact: true }).fill("skills");
  await addSource.getByRole("button", { name: "Add artifacts" }).click();
  await expect(page.getByText("Added 1 artifact")).toBeVisible();

  // The artifact's page: its files as a tree, the main file open.
  await page.getByRole("table", { name: "Artifacts" }).getByRole("link", { name: "notes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "notes" })).toBeVisible();
  const files = page.getByRole("navigation", { name: "Files" });
  await expect(files).toContainText("2 files");
  await expect(files.getByRole("button", { name: /^SKILL\.md, / })).toHaveAttribute("aria-current", "true");
  await expect(files.getByRole("button", { name: /^scripts\/collect\.sh, / })).toBeVisible();
  const viewer = page.getByRole("region", { name: "SKILL.md" });
  await expect(viewer.getByLabel("Contents of SKILL.md")).toContainText("Step 2: as written upstream.");
  await expect(page.getByText("locally modified")).toHaveCount(0);

  // Edit step 2 and save.
  await viewer.getByRole("button", { name: "Edit" }).click();
  const editor = viewer.getByRole("textbox", { name: "Contents of SKILL.md" });
  await editor.fill(notesSkill({ 2: "Step 2: edited in the dashboard." }));
  await viewer.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved SKILL.md")).toBeVisible();
  await expect(viewer.getByLabel("Contents of SKILL.md")).toContainText("Step 2: edited in the dashboard.");
  await expect(page.getByText("locally modified")).toBeVisible();
  await expect(files.getByRole("button", { name: /^SKILL\.md, .*edited here$/ })).toBeVisible();

  // Upstream changes step 7 of the same file.
  repo.write({ "skills/notes/SKILL.md": notesSkill({ 7: "Step 7: changed upstream." }) }).commit("step 7");

  // A check shows the update as a merge with the edit, and its diff.
  await page.getByRole("link", { name: "Merged edits" }).click();
  const refreshPanel = page.getByRole("region", { name: "Refresh from upstream" });
  await refreshPanel.getByRole("radio", { name: "Check for updates" }).check();
  await refreshPanel.getByRole("button", { name: "Refresh", exact: true }).click();
  const review = refreshPanel.getByRole("article", { name: "notes" });
  await expect(review).toContainText("merges with your edits");
  const diff = review.getByLabel("Diff of SKILL.md");
  await expect(diff).toContainText("-Step 7: as written upstream.");
  await expect(diff).toContainText("+Step 7: changed upstream.");
  await expect(diff).toContainText("@@");
  // The diff runs from the stored copy, so the edit made here is not a change of the update.
  await expect(diff).not.toContainText("-Step 2: edited in the dashboard.");
  await attachScreenshot(page, testInfo, "update-review");

  // The sync merges; conflicts (none here) would be skipped by default.
  await expect(refreshPanel.getByRole("radio", { name: "Skip conflicting artifacts" })).toBeChecked();
  await refreshPanel.getByRole("button", { name: "Sync 1 update" }).click();
  await expect(refreshPanel.getByRole("heading", { name: "Sync result" })).toBeVisible();
  await expect(refreshPanel.getByRole("table", { name: "Refresh results" }).getByRole("row", { name: /^notes/ })).toContainText("refreshed");

  // Both changes are in the stored copy, which stays locally modified against the new base.
  await refreshPanel.getByRole("article", { name: "notes" }).getByRole("link", { name: "notes" }).click();
  const merged = page.getByRole("region", { name: "SKILL.md" }).getByLabel("Contents of SKILL.md");
  await expect(merged).toContainText("Step 2: edited in the dashboard.");
  await expect(merged).toContainText("Step 7: changed upstream.");
  await expect(page.getByText("locally modified")).toBeVisible();
  await attachScreenshot(page, testInfo, "artifact-page");
});

test("a save over someone else's change is refused, keeps the text and offers the current version", async ({ page, request }) => {
  const folder = join(upstreamRoot, "local", "draft");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "SKILL.md"), notesSkill());
  const created = await request.post("/api/v1/collections", { headers: OWNER, data: { name: "Racing editors" } });
  const { id: collectionId } = (await created.json()) as { id: string };
  const added = await request.post(`/api/v1/collections/${collectionId}/artifacts`, { headers: OWNER, data: { source: folder } });
  const { items } = (await added.json()) as { items: { id: string }[] };
  const artifactId = items[0]?.id ?? "";

  await page.goto(`/collections/artifact?collection=${collectionId}&id=${artifactId}`);
  await signIn(page);
  const viewer = page.getByRole("region", { name: "SKILL.md" });
  await viewer.getByRole("button", { name: "Edit" }).click();
  const editor = viewer.getByRole("textbox", { name: "Contents of SKILL.md" });
  await editor.fill(notesSkill({ 3: "Step 3: mine." }));

  // Meanwhile someone else saves the file.
  const fileRoute = `/api/v1/collections/${collectionId}/artifacts/${artifactId}/files/SKILL.md`;
  expect((await request.put(fileRoute, { headers: OWNER, data: notesSkill({ 3: "Step 3: theirs." }) })).status()).toBe(200);

  await viewer.getByRole("button", { name: "Save" }).click();
  await expect(viewer.getByRole("alert")).toContainText("changed by someone else since you opened it");
  await expect(editor).toHaveValue(notesSkill({ 3: "Step 3: mine." }));
  await viewer.getByRole("button", { name: /Load the current version/ }).click();
  await expect(editor).toHaveValue(notesSkill({ 3: "Step 3: theirs." }));
  await expect(viewer.getByRole("alert")).toHaveCount(0);
});

test("a read key reads an artifact's files but sees no edit controls", async ({ page, request }) => {
  const folder = join(upstreamRoot, "local", "readonly");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "SKILL.md"), notesSkill());
  const created = await request.post("/api/v1/collections", { headers: OWNER, data: { name: "Read-only files" } });
  const { id: collectionId } = (await created.json()) as { id: string };
  const added = await request.post(`/api/v1/collections/${collectionId}/artifacts`, { headers: OWNER, data: { source: folder } });
  const { items } = (await added.json()) as { items: { id: string }[] };
  const readKey = await request.post("/api/v1/keys", { headers: OWNER, data: { name: "files reader", scope: "read" } });
  const { key } = (await readKey.json()) as { key: string };

  await page.goto(`/collections/artifact?collection=${collectionId}&id=${items[0]?.id ?? ""}`);
  await signIn(page, key);
  const viewer = page.getByRole("region", { name: "SKILL.md" });
  await expect(viewer.getByLabel("Contents of SKILL.md")).toContainText("Step 1: as written upstream.");
  await expect(viewer.getByRole("link", { name: "Download" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New file" })).toHaveCount(0);
});
