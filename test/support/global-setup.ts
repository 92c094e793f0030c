import type { TestProject } from "vitest/node";
import { migrate } from "@/lib/db/migrate";
import { ensureLocalPostgres, freshDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// One migrated database for the integration run; tests create rows with unique names.
export default async function setup(project: TestProject) {
  await ensureLocalPostgres();
  const url = await freshDatabase("corral_test");
  await migrate(url);
  project.provide("databaseUrl", url);
}
