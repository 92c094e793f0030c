import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = { "@": path.resolve(import.meta.dirname) };
// `server-only` throws outside a React Server Component bundle; tests import lib code directly.
const serverOnly = { "server-only": path.resolve(import.meta.dirname, "test/support/empty-module.ts") };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.{ts,tsx}", "sandbox/**/*.test.ts", "cli/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias: { ...alias, ...serverOnly } },
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/global-setup.ts"],
          setupFiles: ["test/support/setup-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration files share one database; each creates its own rows with unique names.
          fileParallelism: true,
        },
      },
    ],
  },
});
