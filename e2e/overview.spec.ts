import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, PlaywrightWorkerArgs } from "@playwright/test";
import { expect, signInAs, test } from "./support/fixtures";

// The lead's view and the lifecycle settings. In file order, one at a time: both change the
// installation's settings, and the costs the lead sorts by are priced with them.
test.describe.configure({ mode: "default" });

// At the highest prices the settings allow, a few seconds of a few replicas are cents apart,
// so sorting by cost has something to sort.
const PRICE = 1000;

test("a lead sorts, filters by owner, sees the next day's dry run and tears down exactly the three chosen", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(90_000);
  const hex = randomBytes(3).toString("hex");
  const owner = await signedIn(playwright, baseURL!, `E2E Overview Owner ${hex}`, "developer");
  const admin = await signedIn(playwright, baseURL!, "E2E Overview Admin", "admin");
  const ids: string[] = [];
  try {
    await setSettings(admin.api, { cpuHourPrice: PRICE, memoryGibHourPrice: PRICE });
    // One after another, so last activity (their creation) is in this order; cost follows replicas.
    const [a, b, c, d] = [`ov-${hex}-a`, `ov-${hex}-b`, `ov-${hex}-c`, `ov-${hex}-d`];
    for (const [name, replicas, ttlHours] of [
      [a, 1, 1],
      [b, 5, undefined],
      [c, 3, undefined],
      [d, 2, undefined],
    ] as const) {
      const res = await owner.api.post("/api/v1/environments", { data: { name, ttlHours, components: [{ name: "web", image: "nginx:1.27.3", replicas }] } });
      expect(res.status(), await res.text()).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }

    const { page, context } = await signInAs(browser, baseURL, { name: `E2E Lead ${hex}`, role: "lead" }, "/overview");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await page.getByRole("combobox", { name: "Owner" }).fill(owner.email);
    const table = page.getByRole("table", { name: "Environments" });
    const names = table.getByTestId("overview-row").getByRole("link");
    // Longest idle first by default: the first one made.
    await expect(names).toHaveText([a, b, c, d]);
    await expect(page.getByTestId("overview-totals")).toContainText("4 environments");
    await expect(page.getByTestId("owner-total")).toHaveCount(1);
    await expect(page.getByTestId("owner-total")).toContainText(owner.email);

    await page.getByRole("button", { name: "Cost" }).click();
    await expect(names).toHaveText([b, c, d, a]);
    await expect(table.getByRole("columnheader", { name: "Cost" })).toHaveAttribute("aria-sort", "descending");
    await page.getByRole("button", { name: "Last activity" }).click();
    await expect(names).toHaveText([a, b, c, d]);
    await page.getByRole("button", { name: "Last activity" }).click();
    await expect(names).toHaveText([d, c, b, a]);
    await expect(table.getByRole("columnheader", { name: "Last activity" })).toHaveAttribute("aria-sort", "descending");

    // The dry run: the one with an hour to live is destroyed within the day.
    await expect(page.getByTestId("forecast-expire")).toBeVisible();
    const showAll = page.getByRole("button", { name: /^Show all \d+$/ }).last();
    if (await showAll.isVisible()) await showAll.click();
    const expiring = page.getByTestId("forecast-event").filter({ hasText: a }).filter({ hasText: "Destroyed at expiry" });
    await expect(expiring).toHaveCount(1);
    await expect(expiring.getByRole("link", { name: a })).toHaveAttribute("href", `/environments/${ids[0]}`);

    for (const name of [b, c, d]) await page.getByRole("checkbox", { name: `Select ${name}` }).check();
    await page.getByRole("button", { name: "Tear down 3 selected…" }).click();
    const dialog = page.getByRole("dialog", { name: "Tear down 3 environments?" });
    await expect(dialog.getByTestId("bulk-item")).toHaveText([new RegExp(`^${d}${owner.name}`), new RegExp(`^${c}${owner.name}`), new RegExp(`^${b}${owner.name}`)]);
    await dialog.getByLabel("Reason (optional)").fill("Stale: E2E");
    await dialog.getByRole("button", { name: "Tear down 3" }).click();
    await expect(page.getByRole("dialog", { name: "Tear-down requested" }).getByTestId("bulk-result")).toHaveText([`${d}Being destroyed`, `${c}Being destroyed`, `${b}Being destroyed`]);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    for (const name of [b, c, d]) {
      await expect
        .poll(async () => {
          const row = page.getByTestId("overview-row").filter({ hasText: name });
          return (await row.count()) === 0 ? "gone" : await row.locator("[data-status]").getAttribute("data-status");
        })
        .toMatch(/^(destroying|gone)$/);
    }
    await expect(page.getByTestId("overview-row").filter({ hasText: a }).locator("[data-status]")).not.toHaveAttribute("data-status", "destroying");
    // And they are destroyed: every clean-up step done.
    for (const id of ids.slice(1)) {
      await expect
        .poll(async () => ((await (await owner.api.get(`/api/v1/environments/${id}`)).json()) as { status: string }).status, { timeout: 30_000 })
        .toBe("destroyed");
    }
    await context.close();
  } finally {
    for (const id of ids) {
      const res = await owner.api.delete(`/api/v1/environments/${id}`);
      expect([202, 404, 409]).toContain(res.status());
    }
    await owner.api.dispose();
    await admin.api.dispose();
  }
});

test("a developer sees every environment and the charts, with no checkboxes and no tear-down; the API refuses it too", async ({ page, api, cleanup }) => {
  const name = `ov-dev-${randomBytes(3).toString("hex")}`;
  const res = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "nginx:1.27.3" }] } });
  expect(res.status()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  cleanup.environment(id);

  await page.goto("/overview");
  await page.getByRole("searchbox", { name: "Search by name" }).fill(name);
  await expect(page.getByTestId("overview-row")).toHaveCount(1);
  await expect(page.getByTestId("overview-row").getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("checkbox")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Tear down/ })).toHaveCount(0);
  expect((await api.post("/api/v1/environments/bulk-destroy", { data: { ids: [id] } })).status()).toBe(403);

  // Recharts drew both charts as SVG, with at least one series each (this environment's own day).
  const cost = page.getByTestId("chart-cost");
  await expect(cost.locator(".recharts-wrapper > svg.recharts-surface")).toBeVisible();
  await expect(cost.locator("path.recharts-area-area").first()).toHaveAttribute("d", /^M/);
  await expect(page.getByTestId("chart-environments").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.getByRole("combobox", { name: "Series by" }).selectOption("template");
  await expect(cost.locator(".recharts-legend-item").first()).toBeVisible();
});

test("an admin saves the lifecycle settings, is told what is wrong with a bad value, and sends a test to the webhook", async ({ browser, baseURL, playwright }) => {
  const admin = await signedIn(playwright, baseURL!, "E2E Overview Admin", "admin");
  const received: string[] = [];
  const hook = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  const before = (await (await admin.api.get("/api/v1/settings/lifecycle")).json()) as Record<string, unknown>;
  try {
    const { page, context } = await signInAs(browser, baseURL, { name: "E2E Overview Admin", role: "admin" }, "/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const warn = page.getByLabel("Warn before expiry (hours)");
    await expect(warn).toHaveValue(String(before.warnBeforeHours));
    await warn.fill("30");
    await page.getByLabel("Webhook URL").fill(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`);
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
    const saved = (await (await admin.api.get("/api/v1/settings/lifecycle")).json()) as { warnBeforeHours: number; notifyWebhookSet: boolean };
    expect(saved).toMatchObject({ warnBeforeHours: 30, notifyWebhookSet: true });
    // Write-only: the page says it is set, never what it is.
    await expect(page.getByTestId("webhook-state")).toContainText("Set");
    await expect(page.getByText("/hook")).toHaveCount(0);

    await page.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByTestId("webhook-test")).toHaveText("The webhook accepted the test message.");
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!)).toMatchObject({ text: expect.stringContaining("test message from Corral") });

    const price = page.getByLabel("Price of a CPU-hour");
    await price.fill("-1");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(price).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("alert").filter({ hasText: "A price is not negative." })).toBeVisible();
    expect(((await (await admin.api.get("/api/v1/settings/lifecycle")).json()) as { cpuHourPrice: number }).cpuHourPrice).toBe(before.cpuHourPrice);
    await context.close();
  } finally {
    await setSettings(admin.api, { warnBeforeHours: before.warnBeforeHours as number, notifyWebhookUrl: "" });
    await admin.api.dispose();
    await new Promise((resolve) => hook.close(resolve));
  }
});

/** A request context signed in locally as `name`, sending Origin as Corral's pages do. */
async function signedIn(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string, name: string, role: "developer" | "admin") {
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  const res = await api.post("/api/auth/local", { data: { name, role } });
  expect(res.ok(), await res.text()).toBe(true);
  const { user } = (await res.json()) as { user: { email: string; name: string } };
  return { api, email: user.email, name: user.name };
}

/** Changes some lifecycle settings, keeping the rest as they are. */
async function setSettings(api: APIRequestContext, change: Record<string, unknown>) {
  const current = (await (await api.get("/api/v1/settings/lifecycle")).json()) as Record<string, unknown>;
  const { maxTtlHours, warnBeforeHours, idleSleepHours, asleepDestroyHours, cpuHourPrice, memoryGibHourPrice, currency } = current;
  const res = await api.put("/api/v1/settings/lifecycle", { data: { maxTtlHours, warnBeforeHours, idleSleepHours, asleepDestroyHours, cpuHourPrice, memoryGibHourPrice, currency, ...change } });
  expect(res.status(), await res.text()).toBe(200);
}
