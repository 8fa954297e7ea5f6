import { expect, test } from "@playwright/test";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

test("an owner signs in, creates a key, sees its secret once, revokes it and signs out", async ({ page, context }, testInfo) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/keys");

  // A wrong key is refused with a message a person understands.
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("API key").fill("not-a-key-of-this-installation");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("API key")).toHaveAccessibleDescription("This API key is unknown or has been revoked.");
  const signInScreenshot = testInfo.outputPath("sign-in-page.png");
  await page.screenshot({ path: signInScreenshot, fullPage: true });
  await testInfo.attach("sign-in-page", { path: signInScreenshot, contentType: "image/png" });

  await signIn(page, BOOTSTRAP_KEY);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  const keysTable = page.getByRole("table", { name: "API keys" });
  await expect(keysTable.getByRole("row", { name: /Owner/ })).toContainText("this session");

  // Create a read key: the secret is shown once, with a way to copy it.
  await page.getByRole("button", { name: "Create key" }).click();
  const createDialog = page.getByRole("dialog", { name: "Create an API key" });
  await createDialog.getByLabel("Name").fill("e2e reader");
  await createDialog.getByRole("combobox", { name: "Scope" }).click();
  await page.getByRole("option", { name: /^Read/ }).click();
  await createDialog.getByRole("button", { name: "Create key" }).click();

  const issuedDialog = page.getByRole("dialog", { name: "Copy your new key" });
  await expect(issuedDialog).toContainText("only time the key is shown");
  const secretField = issuedDialog.getByLabel("Secret key");
  await expect(secretField).toHaveValue(/^scr_/);
  const secret = await secretField.inputValue();
  await issuedDialog.getByRole("button", { name: "Copy key" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await issuedDialog.getByRole("button", { name: "Done" }).click();
  await expect(issuedDialog).toBeHidden();

  // The list shows the new key by its prefix, never its secret.
  const readerRow = keysTable.getByRole("row", { name: /e2e reader/ });
  await expect(readerRow).toBeVisible();
  await expect(readerRow).toContainText("read");
  await expect(readerRow).toContainText(`${secret.slice(0, 12)}…`);
  expect(await page.content()).not.toContain(secret);

  const screenshotPath = testInfo.outputPath("keys-page.png");
  await page.screenshot({ path: screenshotPath, fullPage: true });
  await testInfo.attach("keys-page", { path: screenshotPath, contentType: "image/png" });

  // The new key works against the REST API until it is revoked.
  const whoami = await page.request.get("/api/v1/whoami", { headers: { "X-API-Key": secret } });
  expect(whoami.status()).toBe(200);

  await readerRow.getByRole("button", { name: "Revoke e2e reader" }).click();
  const revokeDialog = page.getByRole("dialog", { name: "Revoke “e2e reader”?" });
  await revokeDialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(revokeDialog).toBeHidden();
  await expect(readerRow).toHaveCount(0);
  expect((await page.request.get("/api/v1/whoami", { headers: { "X-API-Key": secret } })).status()).toBe(401);

  // Signing out ends the session for good: a reload stays signed out.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test("the key list follows changes made elsewhere, live", async ({ page, request }) => {
  await page.goto("/keys");
  await signIn(page);
  const keysTable = page.getByRole("table", { name: "API keys" });
  await expect(keysTable.getByRole("row", { name: /Owner/ })).toBeVisible();

  // Another program creates and revokes a key through the REST API; the open page follows without a reload.
  const headers = { "X-API-Key": BOOTSTRAP_KEY };
  const created = await request.post("/api/v1/keys", { headers, data: { name: "deploy bot", scope: "write" } });
  expect(created.status()).toBe(200);
  const { id } = (await created.json()) as { id: string };
  const botRow = keysTable.getByRole("row", { name: /deploy bot/ });
  await expect(botRow).toContainText("write");

  expect((await request.delete(`/api/v1/keys/${id}`, { headers })).status()).toBe(200);
  await expect(botRow).toHaveCount(0);
});

test("a key without admin scope is told why it cannot manage keys", async ({ page, request }) => {
  const created = await request.post("/api/v1/keys", {
    headers: { "X-API-Key": BOOTSTRAP_KEY },
    data: { name: "read-only viewer", scope: "read" },
  });
  const { key } = (await created.json()) as { key: string };

  await page.goto("/keys");
  await signIn(page, key);
  await expect(page.getByRole("heading", { name: "Managing keys needs an admin key" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
});
