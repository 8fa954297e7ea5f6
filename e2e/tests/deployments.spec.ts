import { rmSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { skillFile, tempDir, writeFiles } from "@scriptorium/domain/testing";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

const OWNER = { "X-API-Key": BOOTSTRAP_KEY };
const sourceRoot = tempDir("e2e-deployments");
test.afterAll(() => rmSync(sourceRoot, { recursive: true, force: true }));

interface Artifact {
  id: string;
  name: string;
  content_hash: string;
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

test("targets reported by the command line show on the artifact's page, behind as soon as the collection changes", async ({ page, request }, testInfo) => {
  // Four page loads of the dashboard: more than the default 30 s on a busy machine.
  test.setTimeout(120_000);
  writeFiles(join(sourceRoot, "skills"), {
    "release-notes/SKILL.md": skillFile({ title: "Release notes", description: "Writes release notes" }),
    "changelog/SKILL.md": skillFile({ title: "Changelog", description: "Keeps a changelog" }),
  });
  const created = await request.post("/api/v1/collections", { headers: OWNER, data: { name: "Deployed skills" } });
  const { id: collectionId } = (await created.json()) as { id: string };
  const added = await request.post(`/api/v1/collections/${collectionId}/artifacts`, { headers: OWNER, data: { source: join(sourceRoot, "skills") } });
  expect(added.status()).toBe(200);
  const { items } = (await added.json()) as { items: Artifact[] };
  const notes = items.find((artifact) => artifact.name === "release-notes") as Artifact;

  // Deployed nowhere yet: the page says how to deploy it.
  await page.goto(`/collections/artifact?collection=${collectionId}&id=${notes.id}`);
  await signIn(page);
  const deployments = page.getByRole("region", { name: "Deployments" });
  await expect(deployments).toContainText("Not deployed anywhere yet");
  await expect(deployments).toContainText("scriptorium deploy 'Deployed skills' release-notes --to DIR");

  // Two targets report, as `scriptorium deploy` and `scriptorium status` do.
  const report = async (data: object) => expect((await request.post("/api/v1/deployments", { headers: OWNER, data })).status()).toBe(200);
  await report({
    target: "e2e-laptop-target-hash",
    profile: "claude_code",
    scope: "project",
    host: "ada-laptop",
    path: "/home/ada/site",
    artifacts: [{ artifact_id: notes.id, content_hash: notes.content_hash, status: "current" }],
  });
  await report({
    target: "e2e-runner-target-hash",
    profile: "codex",
    scope: "user",
    host: "ci-runner",
    artifacts: [{ artifact_id: notes.id, content_hash: notes.content_hash, status: "modified" }],
  });
  await page.reload();
  const table = deployments.getByRole("table", { name: "Deployments" });
  const laptop = table.getByRole("row", { name: /ada-laptop/ });
  const runner = table.getByRole("row", { name: /ci-runner/ });
  await expect(laptop).toContainText("/home/ada/site");
  await expect(laptop).toContainText("Claude Code");
  await expect(laptop.getByText("current", { exact: true })).toBeVisible();
  await expect(runner).toContainText("path not reported");
  await expect(runner).toContainText("Codex");
  await expect(runner).toContainText("user");
  await expect(runner.getByText("modified", { exact: true })).toBeVisible();
  await expect(deployments).toContainText("2 targets · 1 modified");

  // An edit in the collection: without a new report, the laptop is behind and the runner diverged.
  const edited = await request.put(`/api/v1/collections/${collectionId}/artifacts/${notes.id}/files/SKILL.md`, {
    headers: { ...OWNER, "content-type": "text/markdown" },
    data: skillFile({ title: "Release notes", description: "Writes better release notes" }),
  });
  expect(edited.status()).toBe(200);
  await page.reload();
  await expect(laptop.getByText("behind", { exact: true })).toBeVisible();
  await expect(laptop).toContainText("reported current");
  await expect(runner.getByText("diverged", { exact: true })).toBeVisible();
  await expect(deployments).toContainText("2 targets · 1 diverged · 1 behind");
  await deployments.scrollIntoViewIfNeeded();
  await attachScreenshot(page, testInfo, "artifact-deployments");

  // The collection's list marks the artifact with the targets that want attention, and only that one.
  await page.getByRole("link", { name: "Deployed skills" }).click();
  const artifacts = page.getByRole("table", { name: "Artifacts" });
  const notesRow = artifacts.getByRole("row", { name: /release-notes/ });
  await expect(notesRow.getByText("1 diverged")).toBeVisible();
  await expect(notesRow.getByText("1 behind")).toBeVisible();
  await expect(artifacts.getByRole("row", { name: /changelog/ })).not.toContainText("target");
  await attachScreenshot(page, testInfo, "collection-deployments");
});
