import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";

const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;

const signInAsAdmin = (browser: Browser, baseURL: string | undefined, returnTo: string) => signInAs(browser, baseURL, { name: "E2E Admin", role: "admin" }, returnTo);

async function fillComponent(page: Page, index: number, c: { name: string; repository: string; tag: string; port?: string; env?: string }) {
  const row = page.getByTestId(`template-component-${index}`);
  await row.getByLabel("Component name").fill(c.name);
  await row.getByLabel("Repository").fill(c.repository);
  await row.getByLabel("Default tag").fill(c.tag);
  if (c.port) await row.getByLabel("Port").fill(c.port);
  if (c.env) await row.getByLabel("Env vars").fill(c.env);
}

test("an admin creates a template with two components, sees it listed, is told `latest` is no tag, and deletes it", async ({ browser, baseURL }) => {
  const { context, page } = await signInAsAdmin(browser, baseURL, "/templates");
  await expect(page.getByRole("heading", { level: 1, name: "Templates" })).toBeVisible();

  const name = uniqueName("shop");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Default time to live (hours)").fill("24");
  await page.getByRole("button", { name: "Add quota" }).click();
  await page.getByTestId("quota-0").getByLabel("Resource").fill("requests.cpu");
  await page.getByTestId("quota-0").getByLabel("Amount").fill("4");
  await fillComponent(page, 0, { name: "web", repository: "nginx", tag: "1.27.3", port: "80", env: "LOG_LEVEL=debug" });
  await page.getByTestId("template-component-0").getByLabel("Public").check();
  await page.getByRole("button", { name: "Add component" }).click();
  await fillComponent(page, 1, { name: "cache", repository: "redis", tag: "latest" });
  await page.getByRole("button", { name: "Create template" }).click();

  // `latest` is refused on the tag field of the second component, and nothing is created.
  await expect(page.getByTestId("template-component-1").getByRole("alert")).toHaveText(/“latest” is not a pinned version/);
  await expect(page.getByTestId(`template-${name}`)).toHaveCount(0);

  await page.getByTestId("template-component-1").getByLabel("Default tag").fill("7.2.5");
  await page.getByRole("button", { name: "Create template" }).click();
  await expect(page.getByRole("status").filter({ hasText: name })).toHaveText(`Template “${name}” was created.`);

  const card = page.getByTestId(`template-${name}`);
  await expect(card).toHaveCount(1);
  await expect(card.getByRole("row", { name: /^web public/ })).toContainText("nginx:1.27.3");
  await expect(card.getByRole("row", { name: /^cache/ })).toContainText("redis:7.2.5");
  await expect(card).toContainText("requests.cpu=4");

  // It survives a reload: it is the server's list, not the form's memory.
  await page.reload();
  await expect(page.getByTestId(`template-${name}`)).toHaveCount(1);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(page.getByTestId(`template-${name}`)).toHaveCount(0);
  await context.close();
});

test("the API gives a developer the templates to read but refuses changes", async ({ api }) => {
  expect((await api.get("/api/v1/templates")).status()).toBe(200);
  const res = await api.post("/api/v1/templates", { data: { name: uniqueName("nope"), components: [{ name: "web", repository: "nginx", defaultTag: "1.27.3" }] } });
  expect(res.status()).toBe(403);
});

test("a developer browses the templates read-only and gets the not-found page at /clusters", async ({ page }) => {
  const response = await page.goto("/templates");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Templates" })).toBeVisible();
  await expect(page.getByTestId("template-shop")).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Edit|Delete) / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New template" })).toHaveCount(0);

  expect((await page.goto("/clusters"))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("an admin sees the clusters page, and a bad cluster name is refused in the form", async ({ browser, baseURL }) => {
  const { context, page } = await signInAsAdmin(browser, baseURL, "/clusters");
  await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("EU");
  await page.getByLabel("Ingress target").fill("not a host");
  await page.getByRole("button", { name: "Add cluster" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/lower-case letters/);
  await expect(page.getByLabel("Ingress target")).toHaveAccessibleDescription(/DNS name/);
  await context.close();
});
