import { expect, test as setup } from "@playwright/test";

// Signs in once through the local sign-in page; the other specs start signed in as this developer.
setup("sign in as a developer", async ({ page }) => {
  await page.goto("/environments");
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fenvironments$/);
  await page.getByLabel("Your name").fill("E2E Developer");
  await page.getByLabel("Role").selectOption("developer");
  await page.getByRole("button", { name: "Sign in locally" }).click();
  await expect(page.getByRole("heading", { name: "Environments" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText("E2E Developer");
  await page.context().storageState({ path: "e2e/.auth/developer.json" });
});
