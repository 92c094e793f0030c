import { randomBytes } from "node:crypto";
import { expect, test } from "./support/fixtures";

// "Get a URL": an environment from the seeded shop template shows its URL once Route 53 (the
// sandbox's) has the record; following it (Chromium resolves *.localhost to loopback, the
// sandbox's ingress routes by Host) shows the pinned version, and the request is in the logs.

test.describe.configure({ timeout: 120_000 });

test("the page shows the URL; following it shows the pinned version; the request is in the logs", async ({ page, cleanup }) => {
  const name = `qa-url-${randomBytes(3).toString("hex")}`;
  await page.goto("/environments/new?template=shop");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByTestId("base-web")).toBeVisible();
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  cleanup.environment(page.url().split("/").at(-1)!);

  const web = page.getByTestId(`hostname-web.${name}.sandbox.localhost`);
  await expect(web.getByText("live")).toBeVisible({ timeout: 60_000 });
  const link = web.getByRole("link");
  const url = await link.getAttribute("href");
  expect(url).toMatch(new RegExp(`^http://web\\.${name}\\.sandbox\\.localhost:\\d+/$`));
  await expect(page.getByTestId(`hostname-${name}.sandbox.localhost`).getByText("live")).toBeVisible();

  // The viewer follows first, so the request's line arrives live: opened afterwards, a loaded
  // machine can take long enough for the line to fall out of the tail it starts from.
  await page.getByTestId("component-web").getByRole("link", { name: "Logs of web" }).click();
  await expect(page.getByTestId("log-connection")).toHaveText("Live");
  await page.getByLabel("Search logs").fill(`/checkout?e2e=${name}`);
  const site = await page.context().newPage();
  await site.goto(`${url}checkout?e2e=${name}`);
  await expect(site.getByRole("heading", { level: 1 })).toContainText("registry.sandbox.corral.test/shop/web 1.2.1");
  await site.close();

  await expect(page.getByTestId("log-lines").locator(".log-line").filter({ hasText: `"GET /checkout?e2e=${name} HTTP/1.1" 200` })).toHaveCount(1, { timeout: 15_000 });

  // The list shows it too.
  await page.goto("/environments");
  await page.getByRole("searchbox", { name: "Search by name" }).fill(name);
  await expect(page.getByRole("row").filter({ hasText: name }).getByRole("link", { name: /sandbox\.localhost/ })).toBeVisible();
});
