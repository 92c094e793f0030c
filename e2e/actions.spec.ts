import { randomBytes } from "node:crypto";
import { expect, test } from "./support/fixtures";

// The page offers what this viewer may do now, and nothing the server would refuse.

test("a developer is not offered another person's Destroy or Change version, and is told why; the owner is", async ({ page, api, playwright, baseURL, cleanup }) => {
  const other = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  expect((await other.post("/api/auth/local", { data: { name: "E2E Other Developer", role: "developer" } })).ok()).toBe(true);
  const theirs = await other.post("/api/v1/environments", { data: { name: `theirs-${randomBytes(3).toString("hex")}`, components: [{ name: "web", image: "nginx:1.27.3" }] } });
  expect(theirs.status()).toBe(202);
  const { id } = await theirs.json();
  await expect.poll(async () => (await (await api.get(`/api/v1/environments/${id}`)).json()).status, { timeout: 30_000 }).toBe("ready");

  await page.goto(`/environments/${id}`);
  await expect(page.getByRole("heading", { name: /^theirs-/ })).toBeVisible();
  // Shown, but not offered: the reason is on the page before anyone confirms anything.
  await expect(page.getByRole("button", { name: "Destroy" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Change version of web" })).toHaveCount(0);
  await expect(page.getByTestId("not-allowed")).toContainText("Only the owner or a lead may");

  // The owner, on the same page, is offered both.
  const mine = await api.post("/api/v1/environments", { data: { name: `mine-${randomBytes(3).toString("hex")}`, components: [{ name: "web", image: "nginx:1.27.3" }] } });
  const own = await mine.json();
  cleanup.environment(own.id);
  await expect.poll(async () => (await (await api.get(`/api/v1/environments/${own.id}`)).json()).status, { timeout: 30_000 }).toBe("ready");
  await page.goto(`/environments/${own.id}`);
  await expect(page.getByRole("button", { name: "Destroy" })).toBeEnabled();
  await expect(page.getByRole("button", { name: "Change version of web" })).toBeVisible();
  await expect(page.getByTestId("not-allowed")).toHaveCount(0);
  // Retry is for Failed: not offered on a Ready environment.
  await expect(page.getByRole("button", { name: "Retry" })).toHaveCount(0);

  expect((await other.delete(`/api/v1/environments/${id}`)).status()).toBe(202);
  await other.dispose();
});
