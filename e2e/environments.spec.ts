import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";

const uniqueName = (prefix: string) => `${prefix}-${randomBytes(3).toString("hex")}`;

async function fillForm(page: Page, name: string, component: { name: string; image: string }) {
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  const row = page.getByTestId("component-0");
  await row.getByLabel("Component name").fill(component.name);
  await row.getByLabel("Image").fill(component.image);
  await page.getByRole("button", { name: "Create environment" }).click();
}

test("creates an environment in the browser and finds it in the list and on its page", async ({ page }) => {
  const name = uniqueName("qa-e2e");
  await fillForm(page, name, { name: "web", image: "nginx:1.27.3" });

  await expect(page).toHaveURL(/\/environments\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("Provisioning").first()).toBeVisible();
  await expect(page.getByTestId("component-web").getByText("nginx:1.27.3", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "← Environments" }).click();
  await page.getByRole("searchbox", { name: "Search by name" }).fill(name);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("web 1.27.3")).toHaveAttribute("title", "nginx:1.27.3");

  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
});

const badNames: [string, RegExp][] = [
  ["Prod", /lower-case letters/],
  ["a".repeat(64), /at most 63 characters/],
  ["", /Name is required/],
  ["../x", /lower-case letters/],
  ["kube-system", /reserved for Kubernetes/],
];

for (const [name, message] of badNames) {
  test(`shows a message on the name field for ${JSON.stringify(name.length > 10 ? `${name.slice(0, 6)}… (${name.length})` : name)}`, async ({ page }) => {
    await fillForm(page, name, { name: "web", image: "nginx:1.27.3" });
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(message);
    await expect(page).toHaveURL(/\/environments\/new$/);
  });
}

const badImages: [string, RegExp][] = [
  ["nginx:latest", /“latest” is not a pinned version/],
  ["nginx", /Pin a version/],
  ["UPPER/case:1", /lower case/],
];

for (const [image, message] of badImages) {
  test(`shows a message on the image field for ${image}`, async ({ page }) => {
    await fillForm(page, uniqueName("img"), { name: "web", image });
    const field = page.getByTestId("component-0").getByRole("alert");
    await expect(field).toHaveText(message);
    await expect(page).toHaveURL(/\/environments\/new$/);
  });
}

test("a taken name comes back from the server as a message on the name field", async ({ page, api }) => {
  const name = uniqueName("taken");
  const first = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "nginx:1.27.3" }] } });
  expect(first.status()).toBe(202);

  await fillForm(page, name, { name: "web", image: "nginx:1.27.3" });
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription(/is taken/);
  await expect(page.getByRole("alert").first()).toBeVisible();
});

test("the API refuses the same bad input with field messages", async ({ api }) => {
  const res = await api.post("/api/v1/environments", {
    data: { name: "Prod", components: [{ name: "web", image: "nginx:latest" }] },
  });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(Object.keys(body.error.details).sort()).toEqual(["components.0.image", "name"]);
});
