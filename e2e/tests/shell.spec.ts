import { expect, test } from "@playwright/test";
import { BOOTSTRAP_KEY, signIn } from "../fixtures";

test("the overview links to every part of the dashboard", async ({ page }) => {
  await page.goto("/");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Scriptorium" })).toBeVisible();
  await expect(page.getByText(`curl -H "X-API-Key: $SCRIPTORIUM_KEY" http://127.0.0.1:3917/api/v1/whoami`)).toBeVisible();

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Collections" }).click();
  await expect(page).toHaveURL(/\/collections$/);
  await expect(page.getByRole("heading", { level: 1, name: "Collections" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Collections" })).toHaveAttribute("aria-current", "page");

  await nav.getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Projects" })).toBeVisible();

  // Pages load directly by their address too, as the server serves each one's HTML.
  await page.goto("/keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "API docs" })).toHaveAttribute("href", "/docs");
});

test("the build's hashed scripts are kept by the browser for good, its pages checked on every visit", async ({ page }) => {
  const scripts: string[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/_next/static/") && response.status() === 200) scripts.push(response.headers()["cache-control"] ?? "");
  });
  const response = await page.goto("/collections");
  expect(response?.headers()["cache-control"]).toBe("no-cache");
  await signIn(page);
  await expect(page.getByRole("heading", { level: 1, name: "Collections" })).toBeVisible();
  expect(scripts.length).toBeGreaterThan(0);
  expect(new Set(scripts)).toEqual(new Set(["public, max-age=31536000, immutable"]));
});

test("a browser that signed in before shows the app at once, and the sign-in screen once its cookie is gone", async ({ page, context }) => {
  await page.goto("/collections");
  await signIn(page);
  const heading = page.getByRole("heading", { level: 1, name: "Collections" });
  await expect(heading).toBeVisible();
  const remembered = () => page.evaluate(() => window.localStorage.getItem("scriptorium.session"));
  // The key's name and scope are remembered, never the key.
  expect(JSON.parse((await remembered()) ?? "null")).toMatchObject({ key: { scope: "owner" } });
  expect(await remembered()).not.toContain(BOOTSTRAP_KEY);

  await page.reload();
  await expect(heading).toBeVisible();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeHidden();

  // The cookie expired or was cleared: the server's answer wins over what the browser remembers.
  await context.clearCookies();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await remembered()).toBeNull();

  await signIn(page);
  await expect(heading).toBeVisible();
  expect(await remembered()).not.toBeNull();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await remembered()).toBeNull();
});

test("an unknown address shows the dashboard's not-found page", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await signIn(page);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Scriptorium" })).toBeVisible();
});

test.describe("on a phone-sized screen", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("the navigation folds into a menu", async ({ page }, testInfo) => {
    await page.goto("/");
    await signIn(page);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();

    const menuButton = page.getByRole("button", { name: "Open navigation" });
    await menuButton.click();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "API keys" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
    await expect(nav).toBeHidden();
    await expect(page.getByRole("table", { name: "API keys" }).getByRole("row", { name: /Owner/ })).toBeVisible();

    const screenshotPath = testInfo.outputPath("keys-page-375px.png");
    await page.screenshot({ path: screenshotPath, fullPage: true });
    await testInfo.attach("keys-page-375px", { path: screenshotPath, contentType: "image/png" });

    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });
});
