import { expect, type Page } from "@playwright/test";

/** The owner key of the throwaway installation the tests run against (SCRIPTORIUM_BOOTSTRAP_KEY). */
export const BOOTSTRAP_KEY = "e2e-owner-key-0123456789abcdef";

/** Signs in through the dashboard's sign-in screen and waits for the signed-in app. */
export async function signIn(page: Page, apiKey: string = BOOTSTRAP_KEY): Promise<void> {
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeHidden();
}
