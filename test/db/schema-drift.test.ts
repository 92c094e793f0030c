import { cp, mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { schemaDrift } from "@/lib/db/schema-drift";
import { DEFAULT_MIGRATIONS_DIR, migrate } from "@/lib/db/migrate";
import { dropDatabase, freshDatabase } from "../support/postgres";

// The schema the generated Prisma client carries, exactly as it carries it.
async function generatedSchema(): Promise<string> {
  const source = await import("node:fs/promises").then((fs) => fs.readFile(path.resolve(import.meta.dirname, "../../lib/db/generated/internal/class.ts"), "utf8"));
  const match = /"inlineSchema": (".*?[^\\]"),\n/s.exec(source);
  if (!match) throw new Error("the generated client carries no inlineSchema");
  return JSON.parse(match[1]!) as string;
}

const made: string[] = [];
afterAll(async () => {
  for (const name of made) await dropDatabase(name).catch(() => {});
});

async function migratedDatabase(label: string, dir?: string) {
  const name = `corral_drift_${label}_${process.pid}`;
  made.push(name);
  const url = await freshDatabase(name);
  await migrate(url, dir);
  return url;
}

describe("the migrations and the schema", () => {
  it("agree: tables, columns, types, nullability, defaults, indexes, foreign keys and enums", async () => {
    const url = await migratedDatabase("main");
    expect(await schemaDrift(await generatedSchema(), url)).toEqual([]);
  });

  it("disagree, with the difference named, when a migration alters a column", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "corral-drift-"));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(path.join(dir, "29990101000000_drift"));
    await writeFile(
      path.join(dir, "29990101000000_drift", "migration.sql"),
      `ALTER TABLE "Environment" ALTER COLUMN "name" DROP NOT NULL;
       ALTER TABLE "Job" ALTER COLUMN "cause" SET DEFAULT 'someone';
       ALTER TABLE "AuditEvent" ADD COLUMN "extra" TEXT;
       DROP INDEX "Session_expiresAt_idx";`,
    );
    const url = await migratedDatabase("altered", dir);
    expect(await schemaDrift(await generatedSchema(), url)).toEqual(
      expect.arrayContaining([
        "Environment.name: nullable in the database, required in the schema",
        "Job.cause: default 'someone'::text in the database, ''::text in the schema",
        "AuditEvent.extra: a column in the database, not in the schema",
        "index Session(expiresAt): missing in the database",
      ]),
    );
  });
});
