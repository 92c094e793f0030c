import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { E2E_LOG_FILE } from "../playwright.config";
import { expect, signInAs, test } from "./support/fixtures";
import { E2E_OIDC } from "./support/oidc-settings";

test.use({ storageState: { cookies: [], origins: [] } });

/** The whole redirect flow: Corral → provider's login and consent pages → Corral. */
async function signInThroughProvider(page: Page, login: string, returnTo = "/environments") {
  await page.goto(returnTo);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("link", { name: "Sign in with Test SSO" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_OIDC.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
  // First sign-in of this client asks for consent.
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(new RegExp(`127\\.0\\.0\\.1:\\d+${returnTo}$`));
}

test("signs in through a real OIDC provider and lands on the environments page as the right role", async ({ page, context }) => {
  await signInThroughProvider(page, "lena");
  await expect(page.getByRole("heading", { name: "Environments" })).toBeVisible();
  const user = page.getByTestId("current-user");
  await expect(user).toContainText("Lena Lead");
  await expect(user).toContainText("lead");
  // Leads see the audit log.
  await expect(page.getByRole("link", { name: "Audit log" })).toBeVisible();

  const session = (await context.cookies()).find((c) => c.name === "corral_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
});

test("maps another person's groups to their role, and returns them where they were going", async ({ page }) => {
  await signInThroughProvider(page, "quinn", "/tokens");
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await expect(page.getByTestId("current-user")).toContainText("qa");
  await expect(page.getByRole("link", { name: "Audit log" })).toHaveCount(0);
});

test("signing out ends the session at once", async ({ page, context, playwright, baseURL }) => {
  await signInThroughProvider(page, "devi");
  const cookie = (await context.cookies()).find((c) => c.name === "corral_session")!.value;
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/environments");
  await expect(page).toHaveURL(/\/sign-in/);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: `corral_session=${cookie}` } });
  expect((await api.get("/api/v1/environments")).status()).toBe(401);
  await api.dispose();
});

test("a token made in the UI works from a pipeline until it is revoked, and no secret leaks", async ({ page, context, playwright, baseURL }) => {
  await signInThroughProvider(page, "lena", "/tokens");
  const tokenName = `e2e-pipeline-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(tokenName);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  expect(token).toMatch(/^crl_/);

  const pipeline = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const name = `pipe-${Date.now().toString(36)}`;
  const created = await pipeline.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "nginx:1.27.3" }] } });
  expect(created.status()).toBe(202);

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: tokenName });
  await expect(row.getByText(token)).toHaveCount(0);
  await row.getByRole("button", { name: `Revoke ${tokenName}` }).click();
  await expect(row.getByText("Revoked")).toBeVisible();
  expect((await pipeline.get("/api/v1/environments")).status()).toBe(401);

  // The audit log shows both, through the UI, without the token.
  await page.goto("/audit");
  await page.getByLabel("Action").fill("token.revoke");
  await expect(page.getByRole("row").filter({ hasText: "token.revoke" }).first()).toBeVisible();

  // Secrets in no log line, API answer or audit entry.
  const session = (await context.cookies()).find((c) => c.name === "corral_session")!.value;
  const secrets = [E2E_OIDC.clientSecret, token, session];
  const answers = await Promise.all(
    ["/api/v1/me", "/api/v1/tokens", "/api/v1/audit?limit=500", "/api/v1/audit/export", "/environments", "/tokens"].map(async (p) => (await page.request.get(p)).text()),
  );
  const logs = readFileSync(E2E_LOG_FILE, "utf8");
  expect(logs.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(logs.includes(secret), "a log line holds a secret").toBe(false);
    for (const answer of answers) expect(answer.includes(secret), "an API answer or page holds a secret").toBe(false);
  }
  await pipeline.dispose();
});

test("a data source's password is sealed: in no log line, API answer, page or audit entry, even after a failed test", async ({ browser, baseURL }) => {
  const { context, page } = await signInAs(browser, baseURL, { name: "Ada Admin", role: "admin" }, "/environments");
  const password = `e2e-db-password-${Date.now().toString(36)}`;
  const name = `e2e-secret-${Date.now().toString(36)}`;
  const api = page.request;
  const headers = { origin: baseURL! };
  const made = await api.post("/api/v1/data-sources", { headers, data: { name, kind: "mysql", host: "127.0.0.1", port: 3306, username: "nobody_e2e", secret: password, database: "nothing" } });
  expect(made.status()).toBe(201);
  const id = ((await made.json()) as { id: string }).id;
  // A refused login: the problem is in words, the password nowhere.
  const tested = await api.post(`/api/v1/data-sources/${id}/test`, { headers });
  expect(((await tested.json()) as { ok: boolean; problem: string }).problem).toMatch(/access denied|refused|unreachable/i);
  const answers = await Promise.all(
    ["/api/v1/data-sources", `/api/v1/data-sources/${id}`, "/api/v1/audit?limit=500", "/api/v1/audit/export", "/data-sources"].map(async (p) => (await api.get(p)).text()),
  );
  const logs = readFileSync(E2E_LOG_FILE, "utf8");
  expect(logs.includes(password), "a log line holds a data source's password").toBe(false);
  for (const answer of answers) expect(answer.includes(password), "an API answer or page holds a data source's password").toBe(false);
  expect(answers[0]).toContain(name);
  await api.delete(`/api/v1/data-sources/${id}`, { headers });
  await context.close();
});
