import { randomBytes } from "node:crypto";
import { expect, test } from "./support/fixtures";
import { kubectlFails, kubectlJson } from "./support/kubectl";

const suffix = () => randomBytes(3).toString("hex");

test.describe.configure({ timeout: 120_000 });

test("from a template to Ready, a new version rolled out and rolled back, then destroyed", async ({ page, playwright, baseURL }) => {
  // An admin makes the template, through the API as a pipeline would.
  const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  expect((await admin.post("/api/auth/local", { data: { name: "E2E Admin", role: "admin" } })).ok()).toBe(true);
  const templateName = `web-stack-${suffix()}`;
  const template = await admin.post("/api/v1/templates", {
    data: {
      name: templateName,
      description: "nginx in front of an API",
      defaultTtlHours: 24,
      quota: {},
      components: [
        { name: "web", repository: "nginx", defaultTag: "1.27.3", port: 80, replicas: 1, env: {}, resources: {}, public: true },
        { name: "api", repository: "acme/api", defaultTag: "2.0.1", port: 8080, replicas: 1, env: { MODE: "qa" }, resources: {}, public: false },
      ],
    },
  });
  expect(template.status(), await template.text()).toBe(201);
  await admin.dispose();

  // QA creates the environment in the browser.
  const name = `qa-k8s-${suffix()}`;
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Template").selectOption({ label: templateName });
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.locator('[data-status="ready"]').first()).toBeVisible({ timeout: 30_000 });

  // kubectl sees the namespace with Corral's labels and the pinned images.
  const ns = kubectlJson("get", "namespace", name);
  expect(ns.metadata.labels).toMatchObject({ "corral.dev/managed-by": "corral", "corral.dev/template": templateName });
  const images = () =>
    Object.fromEntries(kubectlJson("get", "deployments", "-n", name).items.map((d: any) => [d.metadata.name, d.spec.template.spec.containers[0].image]));
  expect(images()).toEqual({ api: "acme/api:2.0.1", web: "nginx:1.27.3" });

  // A new version rolls out and runs.
  const web = page.getByTestId("component-web");
  await web.getByRole("button", { name: "Change version of web" }).click();
  await web.getByLabel("New image for web").fill("nginx:1.27.4");
  await web.getByRole("button", { name: "Roll out" }).click();
  await expect(web.getByText("previously nginx:1.27.3")).toBeVisible();
  await expect(page.locator('h1 + [data-status="ready"]')).toBeVisible({ timeout: 30_000 });
  expect(images().web).toBe("nginx:1.27.4");
  const runningImages = () =>
    kubectlJson("get", "pods", "-n", name, "-l", "corral.dev/component=web")
      .items.filter((p: any) => !p.metadata.deletionTimestamp)
      .map((p: any) => p.spec.containers[0].image);
  await expect.poll(runningImages, { timeout: 15_000 }).toEqual(["nginx:1.27.4"]);

  // Roll back with one action.
  await page.getByRole("button", { name: "Roll back" }).click();
  await expect(web.getByText("previously nginx:1.27.4")).toBeVisible();
  await expect(page.locator('h1 + [data-status="ready"]')).toBeVisible({ timeout: 30_000 });
  expect(images().web).toBe("nginx:1.27.3");

  // Destroy removes the namespace; the record stays as Destroyed.
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Destroy" }).click();
  await expect(page.locator('h1 + [data-status="destroyed"]')).toBeVisible({ timeout: 30_000 });
  expect(kubectlFails("get", "namespace", name)).toMatch(/NotFound|not found/);
});

test("a crash-looping component makes the environment Degraded with the reason shown", async ({ page, cleanup }) => {
  const name = `qa-crash-${suffix()}`;
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  const row = page.getByTestId("component-0");
  await row.getByLabel("Component name").fill("worker");
  await row.getByLabel("Image").fill("acme/worker:crashloop");
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  cleanup.environment(page.url().split("/").at(-1)!);
  await expect(page.locator('h1 + [data-status="degraded"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: "worker keeps crashing" })).toBeVisible();
  await expect(page.getByTestId("component-worker").getByText("CrashLoopBackOff")).toBeVisible();
});

test("clones an environment at exactly its versions", async ({ page, api, cleanup }) => {
  const source = `src-${suffix()}`;
  const created = await api.post("/api/v1/environments", { data: { name: source, components: [{ name: "web", image: "nginx:1.27.3" }, { name: "api", image: "acme/api:2.0.7" }] } });
  const { id } = await created.json();
  cleanup.environment(id);
  await page.goto(`/environments/${id}`);
  await page.getByRole("link", { name: "Clone" }).click();
  await expect(page.getByRole("heading", { name: `Clone ${source}` })).toBeVisible();
  await expect(page.getByTestId("clone-note")).toContainText(source);
  await expect(page.getByTestId("base-api").getByLabel("Version of api")).toHaveValue("2.0.7");
  const name = `clone-${suffix()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  cleanup.environment(page.url().split("/").at(-1)!);
  await expect(page.getByTestId("component-api").getByText("acme/api:2.0.7", { exact: true })).toBeVisible();
  await expect(page.getByTestId("component-web").getByText("nginx:1.27.3", { exact: true })).toBeVisible();
});
