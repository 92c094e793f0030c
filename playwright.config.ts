import { defineConfig, devices } from "@playwright/test";
import { E2E_OIDC } from "./e2e/support/oidc-settings";
import { SANDBOX_ON_FREE_PORTS } from "./test/support/sandbox-env";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
export const E2E_LOG_FILE = ".data/e2e/corral.log";

// Debian's Chromium: Playwright's own browser download cannot be fetched on these machines.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath,
    // Without these, Chromium keeps calling home on a machine with no internet.
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: { baseURL, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: chromium },
    {
      name: "chromium",
      testIgnore: /auth\.setup\.ts/,
      dependencies: ["setup"],
      use: { ...chromium, storageState: "e2e/.auth/developer.json" },
    },
  ],
  webServer: [
    {
      // A real OIDC provider on loopback, for the sign-in flow.
      command: "tsx e2e/support/oidc-provider.ts",
      url: `${E2E_OIDC.issuer}/.well-known/openid-configuration`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    {
      // The README's first command, on its embedded Postgres (own data folder and port).
      command: `node scripts/start.mjs --no-build --port ${PORT}`,
      url: `${baseURL}/api/readyz`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      // SIGTERM first, so the quick start stops its Postgres and sandbox before it exits.
      gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
      stdout: "pipe",
      env: {
        CORRAL_DATA_DIR: ".data/e2e",
        EMBEDDED_POSTGRES_PORT: process.env.E2E_POSTGRES_PORT ?? "54339",
        DATABASE_URL: "",
        ...SANDBOX_ON_FREE_PORTS,
        // Busy containers, so error lines come along within seconds.
        SANDBOX_LOG_RATE: "200",
        LOG_LEVEL: "info",
        LOG_FILE: E2E_LOG_FILE,
        OIDC_ISSUER: E2E_OIDC.issuer,
        OIDC_CLIENT_ID: E2E_OIDC.clientId,
        OIDC_CLIENT_SECRET: E2E_OIDC.clientSecret,
        OIDC_PROVIDER_NAME: "Test SSO",
        OIDC_ROLE_MAP: E2E_OIDC.roleMap,
        // Both ways in: the OIDC spec signs in through the provider, the others locally.
        CORRAL_LOCAL_SIGNIN: "true",
        CORRAL_LOCAL_SIGNIN_FORCE: "true",
      },
    },
  ],
});
