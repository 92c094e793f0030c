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
// Its customers have a phone column no rule names, for the personal-column warnings. Another
// checkout sharing the MariaDB may give its own prefix (E2E_MARIADB_PREFIX) so runs do not meet.

test.describe.configure({ mode: "default", timeout: 180_000 });

const MARIADB = { host: "127.0.0.1", port: 3306, user: "root", password: "" };
const PREFIX = process.env.E2E_MARIADB_PREFIX ?? "h5";
const SOURCE_DB = `${PREFIX}_e2e_src`;
const READER = `${PREFIX}_e2e_reader`;
// A throwaway account of the local MariaDB, readable only on the spec's own database.
const READER_PASSWORD = "h5-e2e-reader-pw";
const CUSTOMERS = 300;
const ORDERS = 200;

const suffix = () => randomBytes(3).toString("hex");

test.beforeAll(async () => {
  const c = await mysql.createConnection(MARIADB);
  try {
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${SOURCE_DB}\``);
    await c.query(`CREATE TABLE IF NOT EXISTS \`${SOURCE_DB}\`.customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NOT NULL, phone VARCHAR(32) NULL)`);
    await c.query(`CREATE TABLE IF NOT EXISTS \`${SOURCE_DB}\`.orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL)`);
    const customers = Array.from({ length: CUSTOMERS }, (_, i) => [i + 1, `Customer ${i + 1}`, `customer${i + 1}@example.com`, `+44 20 7946 ${String(i + 1).padStart(4, "0")}`]);
    const orders = Array.from({ length: ORDERS }, (_, i) => [i + 1, (i % CUSTOMERS) + 1, ((i * 37) % 1000) + 0.99]);
    await c.query(`INSERT IGNORE INTO \`${SOURCE_DB}\`.customers (id, name, email, phone) VALUES ?`, [customers]);
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

test("an admin picks a column from the source's tables, adds a rule for a personal-looking one, and previews the unsaved rules", async ({ browser, baseURL }) => {
  const { context, page } = await signInAs(browser, baseURL, { name: "E2E Admin", role: "admin" }, "/data-sources");
  const name = `e2e-mask-${suffix()}`;
  const made = await page.request.post("/api/v1/data-sources", {
    headers: { origin: baseURL! },
    data: { name, kind: "mysql", protected: true, host: MARIADB.host, port: MARIADB.port, username: READER, secret: READER_PASSWORD, database: SOURCE_DB },
  });
  expect(made.status(), await made.text()).toBe(201);
  await page.reload();

  await page.getByRole("button", { name: `Masking rules of ${name}` }).click();
  const form = page.getByRole("form", { name: `Masking rules of ${name}` });
  // A protected source with no rules: its personal-looking columns are listed, each with "Add rule".
  const flagged = form.getByTestId("unmasked-personal");
  await expect(flagged).toContainText("These columns look personal and have no rule:", { timeout: 20_000 });
  await expect(flagged).toContainText("customers.phone — looks like a phone number");
  await flagged.getByRole("button", { name: "Add rule for customers.phone" }).click();
  await expect(flagged).not.toContainText("customers.phone");
  const phoneRule = form.getByTestId("mask-column-0");
  await expect(phoneRule.getByLabel("Table", { exact: true })).toHaveValue("customers");
  await expect(phoneRule.getByLabel("Column", { exact: true })).toHaveValue("phone");

  // The email rule is picked from the source's own tables and columns.
  await form.getByRole("button", { name: "Add a column rule" }).click();
  const emailRule = form.getByTestId("mask-column-1");
  await emailRule.getByLabel("Table", { exact: true }).selectOption("customers");
  await emailRule.getByLabel("Column", { exact: true }).selectOption("email");
  await emailRule.getByLabel("Becomes", { exact: true }).selectOption("email");

  // Not saved: the preview masks with the rules as they are in the form.
  await form.getByLabel("Table to preview", { exact: true }).selectOption("customers");
  await form.getByRole("button", { name: "Preview", exact: true }).click();
  const preview = form.getByTestId("masking-preview");
  const before = preview.getByTestId("preview-before-1");
  const after = preview.getByTestId("preview-after-1");
  await expect(after).toBeVisible({ timeout: 20_000 });
  const cell = (row: typeof before, column: string) => row.locator(`td[data-column="${column}"]`);
  await expect(cell(before, "email")).toHaveText(/^customer\d+@example\.com$/);
  await expect(cell(after, "email")).toHaveText(/@example\.com$/);
  expect(await cell(after, "email").textContent()).not.toBe(await cell(before, "email").textContent());
  await expect(cell(after, "email")).toHaveClass(/masked/);
  await expect(cell(after, "phone")).toHaveClass(/masked/);
  // What no rule names is the same before and after, and not marked.
  expect(await cell(after, "name").textContent()).toBe(await cell(before, "name").textContent());
  await expect(cell(after, "name")).not.toHaveClass(/masked/);

  expect((await page.request.delete(`/api/v1/data-sources/${(await made.json()).id}`, { headers: { origin: baseURL! } })).status()).toBe(200);
  await context.close();
});

test("a lead copying from a protected source is warned of personal-looking columns with no rule, and picks tables from the source's", async ({ browser, api, playwright, baseURL, cleanup }) => {
  const { template, protectedSource } = await prepareAsAdmin(playwright, baseURL!);
  const name = `e2e-pii-${suffix()}`;
  const created = await api.post("/api/v1/environments", { data: { name, template } });
  expect(created.status(), await created.text()).toBe(202);
  const { id } = (await created.json()) as { id: string };
  cleanup.environment(id);

  const { context, page } = await signInAs(browser, baseURL, { name: "E2E Lead", role: "lead" }, `/environments/${id}`);
  const panel = page.getByTestId("data-panel");
  await expect(panel.getByTestId("store-mysql")).toContainText("ready", { timeout: 60_000 });
  await panel.getByRole("button", { name: "Copy data…" }).click();
  const form = page.getByRole("form", { name: "Copy data" });
  await form.getByLabel("Copy from", { exact: true }).selectOption({ label: `${protectedSource} — protected: masked with its rules` });
  await expect(form).toContainText(`${protectedSource} is protected (production): the copy is masked with its rules.`);

  const warning = form.getByTestId("unmasked-personal");
  await expect(warning).toContainText("These columns look personal and have no masking rule; they will be copied as they are:", { timeout: 20_000 });
  await expect(warning).toContainText("customers.phone — looks like a phone number");
  // Shown before the confirmation.
  const confirm = form.getByLabel(`This replaces MySQL/MariaDB data in ${name}. Type ${name} to confirm.`);
  expect(await warning.evaluate((w, c) => Boolean(w.compareDocumentPosition(c!) & Node.DOCUMENT_POSITION_FOLLOWING), await confirm.elementHandle())).toBe(true);

  // The source's tables are offered; a chosen one takes a row filter.
  const tables = form.getByRole("group", { name: "Tables" });
  await tables.getByRole("checkbox", { name: /^customers/ }).check();
  await expect(tables.getByRole("checkbox", { name: /^orders/ })).not.toBeChecked();
  await expect(form.getByLabel("Rows of customers where", { exact: true })).toBeVisible();
  await form.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(form).toHaveCount(0);
  await context.close();
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
