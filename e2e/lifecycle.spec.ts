import { randomBytes } from "node:crypto";
import { expect, test } from "./support/fixtures";

// An environment's time to live, sleep and cost on its page, as its owner sees them.

test("the owner picks a time to live, extends it, puts the environment to sleep and wakes it; only a lead is offered Pin", async ({ page, api, cleanup }) => {
  test.setTimeout(90_000);
  const name = `ttl-${randomBytes(3).toString("hex")}`;
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Time to live").selectOption({ label: "8 hours" });
  await page.getByLabel("Component name").first().fill("web");
  await page.getByLabel("Image").first().fill("nginx:1.27.3");
  await page.getByRole("button", { name: /^Create/ }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const id = page.url().split("/").at(-1)!;
  cleanup.environment(id);
  await expect(page.locator('h1 + [data-status="ready"]')).toBeVisible({ timeout: 30_000 });

  const panel = page.getByRole("region", { name: "Time to live and cost" });
  await expect(panel.getByTestId("expires")).toHaveText("in 8 hours");
  await expect(panel.getByTestId("cost")).toContainText("requested now");
  await expect(panel.getByRole("button", { name: /^Pin/ })).toHaveCount(0);

  const expiry = async () => new Date((await panel.getByTestId("expires").locator("time").getAttribute("datetime"))!).getTime();
  const before = await expiry();
  await panel.getByRole("button", { name: "Extend +1 day" }).click();
  await expect.poll(async () => (await expiry()) - before).toBe(24 * 3_600_000);
  await expect(panel.getByTestId("expires")).toHaveText("tomorrow");
  const history = page.locator(".history");
  await expect(history).toContainText("Expiry moved to");

  await panel.getByRole("button", { name: "Sleep now" }).click();
  await expect(page.locator('h1 + [data-status="sleeping"]')).toBeVisible();
  await expect(panel.getByTestId("sleeping-banner")).toBeVisible();
  // The cluster's side (0 replicas, persistent components up) is proven in test/lifecycle/expiry-and-sleep.test.ts.
  expect((await (await api.get(`/api/v1/environments/${id}`)).json()).desired.power).toBe("asleep");
  await panel.getByRole("button", { name: "Wake" }).click();
  await expect(page.locator('h1 + [data-status="ready"]')).toBeVisible({ timeout: 30_000 });
  await expect(panel.getByTestId("sleeping-banner")).toHaveCount(0);
});
