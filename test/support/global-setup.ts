import type { TestProject } from "vitest/node";
import { migrate } from "@/lib/db/migrate";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "./postgres";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

// One migrated database per integration run, named for this process so that runs side by
// side (a developer's and CI's) do not share rows; tests create rows with unique names.
export default async function setup(project: TestProject) {
  await ensureLocalPostgres();
  const name = `corral_test_${process.pid}`;
  const url = await freshDatabase(name);
  await migrate(url);
  project.provide("databaseUrl", url);
  return async () => {
    await dropDatabase(name);
  };
}
