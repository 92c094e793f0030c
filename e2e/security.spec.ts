import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { REDIRECT_BYPASSES } from "../test/support/redirect-bypasses";
import { expect, test } from "./support/fixtures";
import { E2E_OIDC } from "./support/oidc-settings";

// Findings of the outside probe, tried the way it tried them: in the browser, against the
// production build.

test.describe("returnTo never leaves Corral", () => {
  test("the sign-in page of a signed-in person sends every known bypass to a path of Corral's own", async ({ page, baseURL }) => {
    for (const bypass of REDIRECT_BYPASSES) {
      const res = await page.request.get(`/sign-in?returnTo=${encodeURIComponent(bypass)}`, { maxRedirects: 0 });
      expect(res.status(), bypass).toBe(307);
      const location = res.headers().location ?? "";
      expect(new URL(location, baseURL).origin, `${bypass} → ${location}`).toBe(new URL(baseURL!).origin);
      expect(location, bypass).not.toMatch(/^[/\\]{2}|^[a-z]+:/i);
    }
    // And a real navigation ends on Corral.
    await page.goto(`/sign-in?returnTo=${encodeURIComponent("/.//evil.example")}`);
    await expect(page).toHaveURL(new RegExp(`^${baseURL}/environments`));
  });

  test("the OIDC start keeps only a safe path for the callback", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL });
    for (const bypass of REDIRECT_BYPASSES) {
      const res = await anonymous.get(`/api/auth/oidc/start?returnTo=${encodeURIComponent(bypass)}`, { maxRedirects: 0 });
      expect(res.status(), bypass).toBe(307);
      const cookie = /corral_oidc=([^;]+)/.exec(res.headers()["set-cookie"] ?? "")?.[1];
      const pending = JSON.parse(Buffer.from(decodeURIComponent(cookie!), "base64url").toString("utf8")) as { returnTo: string };
      expect(pending.returnTo, bypass).toBe("/environments");
    }
    await anonymous.dispose();
  });

  test("local sign-in from a poisoned link lands on Corral", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto(`/sign-in?returnTo=${encodeURIComponent("/..//evil.example")}`);
    await page.getByLabel("Your name").fill(`Redirect ${randomBytes(2).toString("hex")}`);
    await page.getByRole("button", { name: "Sign in locally" }).click();
    await expect(page).toHaveURL(new RegExp(`^${baseURL}/environments`));
    await context.close();
  });

  test("the OIDC callback of a full sign-in with a poisoned returnTo lands on Corral", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    for (const bypass of ["/.//evil.example", "/%2F%2Fevil.example"]) {
      await page.goto(`/api/auth/oidc/start?returnTo=${encodeURIComponent(bypass)}`);
      await completeProviderLogin(page, baseURL!);
      await expect(page).toHaveURL(new RegExp(`^${baseURL}/environments$`));
    }
    await context.close();
  });
});

test("the log viewer shows colours but no terminal escapes, and makes bidi overrides visible", async ({ page, api, cleanup }) => {
  const name = `esc-${randomBytes(3).toString("hex")}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "acme/web:1.0-escapes" }] } });
  expect(created.status()).toBe(202);
  const { id } = await created.json();
  cleanup.environment(id);
  await expect.poll(async () => (await (await api.get(`/api/v1/environments/${id}`)).json()).status, { timeout: 30_000 }).toBe("ready");

  // The container writes the line every 250 lines.
  await page.goto(`/environments/${id}/logs?component=web`);
  const title = await page.title();
  await page.getByLabel("Search logs").fill("click me");
  const line = page.getByTestId("log-lines").locator(".log-line").filter({ hasText: "click me" }).first();
  await expect(line).toContainText("click me copied bell cleared user⟦U+202E⟧gnp.exe red");
  const text = (await line.textContent()) ?? "";
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  // No link from the line's text (OSC 8 hyperlinks stay text); the viewer's own link to the line is the only one.
  await expect(line.locator("a:not(.log-link)")).toHaveCount(0);
  await expect(line.locator("a.log-link")).toHaveAttribute("href", /^\/environments\//);
  await expect(line.locator("span", { hasText: "red" }).last()).toHaveCSS("color", /rgb\(\d+, \d+, \d+\)/);
  expect(await page.title()).toBe(title);
});

/** Through the provider's login and consent pages, whichever it shows (none, once it knows the person). */
async function completeProviderLogin(page: Page, baseURL: string) {
  for (let step = 0; step < 4 && !page.url().startsWith(baseURL); step++) {
    expect(page.url()).toMatch(new RegExp(`^${E2E_OIDC.issuer}/`));
    const before = page.url();
    if ((await page.locator('input[name="login"]').count()) > 0) {
      await page.locator('input[name="login"]').fill("devi");
      await page.locator('input[name="password"]').fill("any password");
    }
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.href !== before);
  }
}
