import { randomBytes } from "node:crypto";
import type { APIRequestContext, PlaywrightWorkerArgs } from "@playwright/test";
import mysql from "mysql2/promise";
import { expect, signInAs, test } from "./support/fixtures";

// Data: an admin registers a MySQL source and tests it (a wrong password is told in words); a
// developer copies it into their environment's own database, watches it finish and sees it
// verified; a protected (production) source is offered to them only as disabled.
//
// The source is a small database of this spec's own (h5_e2e_src) in the machine's MariaDB, read
// through a user of its own. The setup is idempotent, so a retried worker may run it again.

test.describe.configure({ mode: "default", timeout: 180_000 });

const MARIADB = { host: "127.0.0.1", port: 3306, user: "root", password: "" };
const SOURCE_DB = "h5_e2e_src";
const READER = "h5_e2e_reader";
// A throwaway account of the local MariaDB, readable only on the spec's own database.
const READER_PASSWORD = "h5-e2e-reader-pw";
const CUSTOMERS = 300;
const ORDERS = 200;

const suffix = () => randomBytes(3).toString("hex");

test.beforeAll(async () => {
  const c = await mysql.createConnection(MARIADB);
  try {
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${SOURCE_DB}\``);
    await c.query(`CREATE TABLE IF NOT EXISTS \`${SOURCE_DB}\`.customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL)`);
    await c.query(`CREATE TABLE IF NOT EXISTS \`${SOURCE_DB}\`.orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL)`);
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => [i + 1, `Customer ${i + 1}`, `customer${i + 1}@example.com`]);
    const orders = Array.from({ length: ORDERS }, (_, i) => [i + 1, (i % CUSTOMERS) + 1, ((i * 37) % 1000) + 0.99]);
    await c.query(`INSERT IGNORE INTO \`${SOURCE_DB}\`.customers (id, name, email) VALUES ?`, [customers]);
    await c.query(`INSERT IGNORE INTO \`${SOURCE_DB}\`.orders (id, customer_id, total) VALUES ?`, [orders]);
    await c.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [READER, READER_PASSWORD]);
    await c.query("ALTER USER ?@'%' IDENTIFIED BY ?", [READER, READER_PASSWORD]);
    await c.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EXECUTE ON \`${SOURCE_DB}\`.* TO ?@'%'`, [READER]);
  } finally {
    await c.end();
  }
});

test.afterAll(async () => {
  const c = await mysql.createConnection(MARIADB);
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${SOURCE_DB}\``);
    await c.query("DROP USER IF EXISTS ?@'%'", [READER]);
  } finally {
    await c.end();
  }
});

test("an admin registers a MySQL source, tests it, and is told in words when the password is wrong", async ({ browser, baseURL }) => {
  const { context, page } = await signInAs(browser, baseURL, { name: "E2E Admin", role: "admin" }, "/data-sources");
  await expect(page.getByRole("heading", { level: 1, name: "Data sources" })).toBeVisible();
  const name = `e2e-ui-src-${suffix()}`;

  const form = page.getByRole("form", { name: "New data source" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Kind", { exact: true }).selectOption("mysql");
  await expect(form).toContainText("Protected sources are production: use read-only credentials here");
  await form.getByRole("switch", { name: /Protected/ }).uncheck();
  await form.getByLabel("Host", { exact: true }).fill(MARIADB.host);
  await form.getByLabel("Port", { exact: true }).fill(String(MARIADB.port));
  await form.getByLabel("User", { exact: true }).fill(READER);
  await form.getByLabel("Password", { exact: true }).fill(READER_PASSWORD);
  await form.getByLabel("Database", { exact: true }).fill(SOURCE_DB);
  await form.getByRole("button", { name: "Add data source" }).click();
  await expect(page.getByRole("status").filter({ hasText: name })).toContainText(`Data source “${name}” was added.`);

  const row = page.getByRole("table", { name: "Sources" }).getByTestId(`data-source-${name}`);
  await expect(row).toContainText("Not tested yet");
  await expect(row.getByText("Protected")).toHaveCount(0);
  await row.getByRole("button", { name: `Test connection of ${name}` }).click();
  await expect(row.getByTestId("test-result")).toHaveText(/^✓/, { timeout: 20_000 });

  // The secret is write-only: the edit form never shows it, and blank keeps it.
  await row.getByRole("button", { name: `Edit ${name}` }).click();
  const edit = page.getByRole("form", { name: "Edit data source" });
  await expect(edit.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(edit).toContainText("Leave blank to keep the stored one.");
  await edit.getByLabel("Password", { exact: true }).fill("not-the-password");
  await edit.getByRole("button", { name: "Save data source" }).click();
  await expect(page.getByRole("status").filter({ hasText: name })).toContainText(`Data source “${name}” was saved.`);
  await row.getByRole("button", { name: `Test connection of ${name}` }).click();
  await expect(row.getByTestId("test-result")).toHaveText(/^✗ .*access denied/i, { timeout: 20_000 });
  // The outcome is recorded on the source: a reload shows the last test's problem.
  await page.reload();
  await expect(page.getByTestId(`data-source-${name}`)).toContainText(/Last test .*access denied/i);

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Remove ${name}` }).click();
  await expect(page.getByTestId(`data-source-${name}`)).toHaveCount(0);
  await context.close();
});

test("a developer copies a source into their environment's database, watches it finish verified, and may not pick a protected one", async ({ page, api, playwright, baseURL, cleanup }) => {
  const { template, source, protectedSource } = await prepareAsAdmin(playwright, baseURL!);

  const name = `e2e-data-${suffix()}`;
  const created = await api.post("/api/v1/environments", { data: { name, template } });
  expect(created.status(), await created.text()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  cleanup.environment(id);

  await page.goto(`/environments/${id}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const panel = page.getByTestId("data-panel");
  await expect(panel.getByTestId("store-mysql")).toContainText("ready", { timeout: 60_000 });

  await panel.getByRole("button", { name: "Copy data…" }).click();
  const form = page.getByRole("form", { name: "Copy data" });
  await expect(form.getByLabel("Store", { exact: true })).toHaveValue("mysql");
  const from = form.getByLabel("Copy from", { exact: true });
  const protectedOption = from.locator("option", { hasText: protectedSource });
  await expect(protectedOption).toBeDisabled();
  await expect(protectedOption).toContainText("masked with its rules; needs the lead role");
  // The API refuses it anyway.
  const refused = await api.post(`/api/v1/environments/${id}/data/copies`, { data: { kind: "mysql", sourceId: await sourceId(api, protectedSource), confirm: name } });
  expect(refused.status()).toBe(403);

  await from.selectOption({ label: source });
  // The environment's name is typed to confirm; a wrong one is refused on that field.
  await expect(form).toContainText(`This replaces MySQL/MariaDB data in ${name}. Type ${name} to confirm.`);
  const confirm = form.getByLabel(`This replaces MySQL/MariaDB data in ${name}. Type ${name} to confirm.`);
  await confirm.fill("not-the-name");
  await form.getByRole("button", { name: "Replace MySQL/MariaDB data" }).click();
  await expect(form.getByRole("alert").filter({ hasText: "to confirm" })).toContainText(`Type ${name} to confirm`);
  await confirm.fill(name);
  await form.getByRole("button", { name: "Replace MySQL/MariaDB data" }).click();
  await expect(form).toHaveCount(0);

  const copy = panel.getByRole("listitem", { name: `MySQL/MariaDB copy from ${source}` });
  await expect(copy).toHaveCount(1);
  const bar = copy.getByRole("progressbar", { name: "MySQL/MariaDB copy progress" });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 120_000 });
  await expect(copy.getByTestId("copy-status")).toHaveText("copied and verified", { timeout: 30_000 });
  await expect(copy.getByTestId("copy-progress-text")).toHaveText(/^([\d,]+) of \1 rows/);
  expect(Number((await copy.getByTestId("copy-progress-text").textContent())!.split(" ")[0]!.replace(/,/g, ""))).toBe(CUSTOMERS + ORDERS);
  const verification = copy.getByTestId("verification");
  await expect(verification).toContainText("✓ the copy matches its source");
  await expect(verification.getByRole("row", { name: /customers/ }).first()).toContainText("✓");
  await expect(verification.getByRole("row", { name: /orders/ }).first()).toContainText("✓");
  await expect(panel.getByTestId("store-mysql")).not.toContainText("incomplete");
});

/**
 * As an admin, through the API: a MySQL store host (when the quick start made none), a template
 * whose environments get a MySQL database, and two sources of the spec's database: one plain,
 * one protected.
 */
async function prepareAsAdmin(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string) {
  const admin = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL } });
  try {
    expect((await admin.post("/api/auth/local", { data: { name: "E2E Admin", role: "admin" } })).ok()).toBe(true);
    const list = (await (await admin.get("/api/v1/data-sources")).json()) as { items: { name: string; kind: string; storeHost: boolean }[] };
    if (!list.items.some((s) => s.kind === "mysql" && s.storeHost)) {
      const host = await admin.post("/api/v1/data-sources", {
        data: { name: "h5-e2e-store-host", kind: "mysql", protected: false, storeHost: true, host: MARIADB.host, port: MARIADB.port, username: MARIADB.user },
      });
      // 409: another worker registered it first.
      expect([201, 409], await host.text()).toContain(host.status());
    }
    const template = `e2e-data-${suffix()}`;
    const madeTemplate = await admin.post("/api/v1/templates", {
      data: { name: template, dataStores: ["mysql"], components: [{ name: "api", repository: "registry.sandbox.corral.test/shop/api", defaultTag: "1.2.1", port: 8080 }] },
    });
    expect(madeTemplate.status(), await madeTemplate.text()).toBe(201);
    const reader = { kind: "mysql", host: MARIADB.host, port: MARIADB.port, username: READER, secret: READER_PASSWORD, database: SOURCE_DB };
    const source = `e2e-src-${suffix()}`;
    const protectedSource = `e2e-prod-${suffix()}`;
    for (const [sourceName, isProtected] of [
      [source, false],
      [protectedSource, true],
    ] as const) {
      const made = await admin.post("/api/v1/data-sources", { data: { ...reader, name: sourceName, protected: isProtected } });
      expect(made.status(), await made.text()).toBe(201);
    }
    return { template, source, protectedSource };
  } finally {
    await admin.dispose();
  }
}

async function sourceId(api: APIRequestContext, name: string): Promise<string> {
  const list = (await (await api.get("/api/v1/data-sources")).json()) as { items: { id: string; name: string }[] };
  const found = list.items.find((s) => s.name === name);
  if (!found) throw new Error(`${name} is not among the sources a developer may copy from`);
  return found.id;
}
