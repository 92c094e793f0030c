import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";
import { kubectlJson } from "./support/kubectl";

// The QA flow as a new QA person walks it on the quick start: seeded templates, versions
// picked not typed, no silent extra components, the right row typed into, a history that
// tells the story, hands-on basics, a hand-over and a destroyed page that says so.

const suffix = () => randomBytes(3).toString("hex");
const readyBadge = (page: Page) => page.locator('h1 + [data-status="ready"]');
const livePods = (ns: string, component: string) =>
  kubectlJson("get", "pods", "-n", ns, "-l", `corral.dev/component=${component}`)
    .items.filter((p: any) => !p.metadata.deletionTimestamp)
    .map((p: any) => ({ name: p.metadata.name as string, image: p.spec.containers[0].image as string }));

test.describe.configure({ timeout: 120_000 });

test("a QA person finds the seeded templates, read-only, and starts one with a version picked from the registry", async ({ browser, baseURL }) => {
  const { context, page } = await signInAs(browser, baseURL, { name: "E2E QA Newcomer", role: "qa" }, "/environments");
  await page.getByRole("link", { name: "Templates" }).click();
  const shop = page.getByTestId("template-shop");
  await expect(shop).toBeVisible();
  await expect(shop.getByRole("row", { name: /^web public/ })).toContainText("registry.sandbox.corral.test/shop/web:1.2.1");
  await expect(shop).toContainText("Lives 3 days");
  await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);

  await shop.getByRole("link", { name: "New environment from shop" }).click();
  const name = `qa-shop-${suffix()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByLabel("Template")).toHaveValue(/.+/);
  const api = page.getByTestId("base-api");
  const picker = api.getByLabel("Version of api");
  // The registry's tags are offered (newest first), beside the template's default.
  await expect(picker.locator("option", { hasText: "1.3.0" })).toHaveCount(1);
  await expect(picker).toHaveValue("1.2.1");
  await picker.selectOption("1.3.0");
  await expect(api.getByTestId("changed-api")).toHaveText("changed from 1.2.1");

  // An extra component is a separate act, and may not take a template component's name.
  await page.getByRole("button", { name: "Add an extra component" }).click();
  const extra = page.getByTestId("component-0");
  await extra.getByLabel("Component name").fill("api");
  await extra.getByLabel("Image").fill("acme/api:9.0.0");
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(extra.getByLabel("Component name")).toHaveAccessibleDescription(/“api” is already a component of the template/);
  await extra.getByRole("button", { name: "Remove component 1" }).click();

  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(readyBadge(page)).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => livePods(name, "api").map((p: { image: string }) => p.image), { timeout: 15_000 }).toEqual(["registry.sandbox.corral.test/shop/api:1.3.0"]);
  expect(livePods(name, "web").map((p: { image: string }) => p.image)).toEqual(["registry.sandbox.corral.test/shop/web:1.2.1"]);

  // A pipeline naming a component the template lacks is refused, with the field named.
  const typo = await context.request.post("/api/v1/environments", {
    data: { name: `qa-typo-${suffix()}`, template: "shop", components: [{ name: "apii", image: "registry.sandbox.corral.test/shop/api:1.3.0" }] },
    headers: { origin: baseURL! },
  });
  expect(typo.status()).toBe(400);
  expect((await typo.json()).error.details["components.0.name"][0]).toMatch(/has no component “apii” \(it has api, web, worker\)/);

  page.once("dialog", (dialog) => void dialog.accept("done"));
  await page.getByRole("button", { name: "Destroy" }).click();
  await expect(page.getByTestId("destroyed")).toBeVisible({ timeout: 30_000 });
  await context.close();
});

test("clicking a row's label after adding rows types into that row", async ({ page }) => {
  await page.goto("/environments/new");
  // Fully loaded: the templates have arrived and the form is interactive.
  await expect(page.getByLabel("Template")).toBeVisible();
  await page.getByRole("button", { name: "Add component" }).click();
  await page.getByRole("button", { name: "Add component" }).click();
  const rows = [0, 1, 2].map((i) => page.getByTestId(`component-${i}`));
  for (const [i, row] of rows.entries()) {
    await row.locator("label", { hasText: "Component name" }).click();
    await page.keyboard.type(`c${i}`);
    await row.locator("label", { hasText: "Image" }).click();
    await page.keyboard.type(`img${i}:1.0`);
  }
  for (const [i, row] of rows.entries()) {
    await expect(row.getByLabel("Component name")).toHaveValue(`c${i}`);
    await expect(row.getByLabel("Image")).toHaveValue(`img${i}:1.0`);
  }
  const ids = await page.locator("input[id]").evaluateAll((inputs) => inputs.map((i) => i.id));
  expect(new Set(ids).size).toBe(ids.length);
});

test("the history tells a pull failure and the crash loop that followed; events have counts", async ({ page, api, cleanup }) => {
  const name = `qa-story-${suffix()}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "acme/web:9.9" }] } });
  const { id } = await created.json();
  cleanup.environment(id);
  await page.goto(`/environments/${id}`);
  const history = page.locator("ol.history");
  await expect(history).toContainText("image acme/web:9.9 could not be pulled", { timeout: 30_000 });

  const web = page.getByTestId("component-web");
  await web.getByRole("button", { name: "Change version of web" }).click();
  await web.getByLabel("New image for web").fill("acme/web:crashloop");
  await web.getByRole("button", { name: "Roll out" }).click();
  // The reason, not the version change (which names the image): the crash loop is its own entry.
  await expect(history).toContainText("web keeps crashing", { timeout: 30_000 });
  await expect(web).toContainText(/restarted (once|twice|\d+ times)/, { timeout: 30_000 });
  await expect(page.locator("table.kube-events")).toContainText(/×\d+/, { timeout: 30_000 });
});

test("restart and replicas change the cluster; env vars and kubectl commands are at hand", async ({ page, api, cleanup }) => {
  const name = `qa-hands-${suffix()}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "nginx:1.27.3", port: 80 }] } });
  const { id } = await created.json();
  cleanup.environment(id);
  await page.goto(`/environments/${id}`);
  await expect(readyBadge(page)).toBeVisible({ timeout: 30_000 });
  const web = page.getByTestId("component-web");

  await web.getByRole("button", { name: "Change replicas of web" }).click();
  await web.getByLabel("Replicas of web").fill("2");
  await web.getByRole("button", { name: "Set" }).click();
  await expect.poll(() => kubectlJson("get", "deployment", "web", "-n", name).spec.replicas, { timeout: 15_000 }).toBe(2);
  await expect(readyBadge(page)).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => livePods(name, "web").length, { timeout: 15_000 }).toBe(2);

  const before = livePods(name, "web").map((p: { name: string }) => p.name);
  page.once("dialog", (dialog) => void dialog.accept());
  await web.getByRole("button", { name: "Restart web" }).click();
  await expect
    .poll(
      () => {
        const now = livePods(name, "web").map((p: { name: string }) => p.name);
        return now.length === 2 && now.every((n: string) => !before.includes(n));
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await expect(page.locator("ol.history")).toContainText("web restarted");

  const tools = page.getByTestId("tools-web");
  await tools.getByText("Environment variables of web").click();
  const secretRow = tools.getByRole("row", { name: /CORRAL_ENVIRONMENT/ });
  await expect(secretRow).toContainText("hidden");
  await expect(secretRow).toContainText("from Secret corral-data");
  await tools.getByText("kubectl commands for web").click();
  await expect(tools).toContainText(`--namespace ${name} logs deployment/web --follow`);
});

test("a hand-over changes who may destroy; the destroyed page says when, by whom and why", async ({ page, api, browser, baseURL }) => {
  const { context: qaContext, page: qaPage } = await signInAs(browser, baseURL, { name: "E2E QA Receiver", role: "qa" });
  const qa = await (await qaContext.request.get("/api/v1/me")).json();
  const name = `qa-handover-${suffix()}`;
  const { id } = await (await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "nginx:1.27.3" }] } })).json();
  await page.goto(`/environments/${id}`);
  await expect(readyBadge(page)).toBeVisible({ timeout: 30_000 });

  await page.getByRole("button", { name: "Hand over" }).click();
  await page.getByLabel("New owner").fill(qa.email);
  await page.getByRole("form", { name: "Hand over" }).getByRole("button", { name: "Hand over" }).click();
  await expect(page.getByTestId("owner")).toContainText(qa.email);
  await expect(page.getByRole("button", { name: "Destroy" })).toBeDisabled();
  await expect(page.getByTestId("not-allowed")).toContainText("Only the owner or a lead may");

  await qaPage.goto(`/environments/${id}`);
  await expect(qaPage.getByRole("button", { name: "Destroy" })).toBeEnabled();
  qaPage.once("dialog", (dialog) => void dialog.accept("release 4.2 tested"));
  await qaPage.getByRole("button", { name: "Destroy" }).click();
  const gone = qaPage.getByTestId("destroyed");
  await expect(gone).toContainText(`by ${qa.email}: release 4.2 tested`, { timeout: 30_000 });
  await expect(qaPage.getByText("Expires")).toHaveCount(0);
  await expect(qaPage.getByRole("link", { name: /^Logs of / })).toHaveCount(0);
  await expect(qaPage.getByRole("button", { name: "Destroy" })).toHaveCount(0);
  await qaContext.close();
});
