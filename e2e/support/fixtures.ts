import { type APIRequestContext, type Browser, expect, test as base } from "@playwright/test";

interface Fixtures {
  /** The API as the signed-in browser user, sending Origin like Corral's own pages do. */
  api: APIRequestContext;
  /** Environments a test made, destroyed after it (by id). */
  cleanup: { environment: (id: string) => void };
}

export const test = base.extend<Fixtures>({
  api: async ({ playwright, baseURL, storageState }, use) => {
    const api = await playwright.request.newContext({ baseURL, storageState, extraHTTPHeaders: { origin: baseURL! } });
    await use(api);
    await api.dispose();
  },
  cleanup: async ({ api }, use) => {
    const ids: string[] = [];
    await use({ environment: (id) => ids.push(id) });
    for (const id of ids) {
      const res = await api.delete(`/api/v1/environments/${id}`);
      // 404: already destroyed by the test itself; 409: already on its way.
      if (![202, 404, 409].includes(res.status())) throw new Error(`cleanup of ${id} answered ${res.status()}: ${await res.text()}`);
    }
    // Waited for: environments made from templates with data stores hold databases and ACL users
    // on the machine's MariaDB and Redis, which a server stopped mid-destroy would leave behind.
    for (const id of ids) {
      await expect
        .poll(async () => {
          const res = await api.get(`/api/v1/environments/${id}`);
          return res.status() === 404 ? "destroyed" : ((await res.json()) as { status: string }).status;
        }, { timeout: 60_000, message: `environment ${id} to be destroyed` })
        .toBe("destroyed");
    }
  },
});

export { expect };

/** A fresh browser context signed in as `name` with `role` through the local sign-in form. */
export async function signInAs(browser: Browser, baseURL: string | undefined, who: { name: string; role: "developer" | "qa" | "lead" | "admin" }, returnTo = "/environments") {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(returnTo);
  await expect(page).toHaveURL(/\/sign-in\?returnTo=/);
  await page.getByLabel("Your name").fill(who.name);
  await page.getByLabel("Role").selectOption(who.role);
  await page.getByRole("button", { name: "Sign in locally" }).click();
  await expect(page.getByTestId("current-user")).toContainText(who.role);
  return { context, page };
}
