import { type APIRequestContext, test as base } from "@playwright/test";

interface Fixtures {
  /** The API as the signed-in browser user, sending Origin like Corral's own pages do. */
  api: APIRequestContext;
}

export const test = base.extend<Fixtures>({
  api: async ({ playwright, baseURL, storageState }, use) => {
    const api = await playwright.request.newContext({ baseURL, storageState, extraHTTPHeaders: { origin: baseURL! } });
    await use(api);
    await api.dispose();
  },
});

export { expect } from "@playwright/test";
