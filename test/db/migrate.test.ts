import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/db/generated/client";
import { checksum, DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from "@/lib/db/migrate";
import { dropDatabase, freshDatabase } from "../support/postgres";

const DB = `corral_migrate_${process.pid}`;
let url: string;

beforeAll(async () => {
  url = await freshDatabase(DB);
});
afterAll(async () => {
  await dropDatabase(DB);
});

describe("migration runner", () => {
  it("migrates an empty database and records each migration as Prisma Migrate does", async () => {
    const files = await readMigrations();
    const result = await migrate(url);
    expect(result.applied).toEqual(files.map((f) => f.name));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(files[i]?.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("applies nothing the second time, and concurrent runs wait for each other", async () => {
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    for (const r of results) expect(r.applied).toEqual([]);
    const [row] = await query<{ count: string }>(`SELECT count(*) FROM _prisma_migrations`);
    expect(Number(row?.count)).toBe((await readMigrations()).length);
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "corral-migrations-"));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first!.name, "migration.sql"), `${first!.sql}\n-- edited\n`);
    await expect(migrate(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls a failing migration back whole and records nothing for it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "corral-migrations-"));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const bad = path.join(dir, "29990101000000_broken");
    await mkdir(bad);
    await writeFile(path.join(bad, "migration.sql"), `CREATE TABLE "Half" ("id" TEXT);\nSELECT no_such_function();\n`);
    await expect(migrate(url, dir)).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    expect(await query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'Half'`)).toEqual([]);
    expect(await query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990101000000_broken'`)).toEqual([]);
  });

  it("uses Prisma's checksum: SHA-256 of the file, lower-case hex", () => {
    expect(checksum("SELECT 1;\n")).toBe("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd");
  });
});

describe("every model through the Prisma client", () => {
  it("creates, reads and relates each model on the migrated schema", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    try {
      const user = await prisma.user.create({ data: { email: "lead@example.com", name: "Lea", role: "lead" } });
      const token = await prisma.apiToken.create({
        data: { userId: user.id, name: "ci", tokenHash: "a".repeat(64), prefix: "crl_abcd", scopes: ["environments:create"] },
      });
      const cluster = await prisma.cluster.create({ data: { name: "sandbox", isDefault: true, ingressHost: "ingress.local" } });
      const template = await prisma.template.create({
        data: {
          name: "web-stack",
          quota: { "requests.cpu": "4" },
          components: { create: [{ name: "web", repository: "nginx", defaultTag: "1.27.3", port: 80, public: true }] },
        },
        include: { components: true },
      });
      const env = await prisma.environment.create({
        data: {
          name: "qa-42",
          liveName: "qa-42",
          ownerId: user.id,
          templateId: template.id,
          clusterId: cluster.id,
          components: { create: [{ name: "web", repository: "nginx", tag: "1.27.3", env: { A: "1" } }] },
          history: { create: { toStatus: "provisioning", message: "requested" } },
          hostnames: { create: { fqdn: "qa-42.envs.example.com", componentName: "web" } },
          jobs: { create: { kind: "provision", payload: { attempt: 1 } } },
        },
      });
      const source = await prisma.dataSource.create({
        data: { name: "prod-mysql", kind: "mysql", host: "db", port: 3306, username: "ro", secretEncrypted: "v1:k:iv:tag:ciphertext" },
      });
      await prisma.dataCopy.create({
        data: { environmentId: env.id, kind: "mysql", sourceId: source.id, requestedById: user.id, masked: true, options: { tables: ["users"] } },
      });
      await prisma.auditEvent.create({
        data: { actorId: user.id, via: `token:${token.id}`, action: "environment.create", targetType: "environment", targetId: env.id, outcome: "ok", ip: "127.0.0.1" },
      });

      const loaded = await prisma.environment.findUniqueOrThrow({
        where: { liveName: "qa-42" },
        include: { owner: true, template: true, cluster: true, components: true, history: true, hostnames: true, jobs: true, dataCopies: { include: { source: true } } },
      });
      expect(loaded.owner.email).toBe("lead@example.com");
      expect(loaded.template?.name).toBe("web-stack");
      expect(loaded.cluster?.isDefault).toBe(true);
      expect(loaded.components[0]?.env).toEqual({ A: "1" });
      expect(loaded.history[0]?.toStatus).toBe("provisioning");
      expect(loaded.hostnames[0]?.status).toBe("pending");
      expect(loaded.jobs[0]?.status).toBe("queued");
      expect(loaded.dataCopies[0]?.source?.kind).toBe("mysql");
      expect(template.components[0]?.replicas).toBe(1);
      expect(await prisma.auditEvent.count({ where: { targetId: env.id } })).toBe(1);
      expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: token.id } })).scopes).toEqual(["environments:create"]);

      // A destroyed environment frees its name: liveName goes null, the row stays.
      await prisma.environment.update({ where: { id: env.id }, data: { status: "destroyed", liveName: null, destroyedAt: new Date() } });
      const again = await prisma.environment.create({ data: { name: "qa-42", liveName: "qa-42", ownerId: user.id } });
      expect(await prisma.environment.count({ where: { name: "qa-42" } })).toBe(2);
      await expect(prisma.environment.create({ data: { name: "qa-42", liveName: "qa-42", ownerId: user.id } })).rejects.toMatchObject({
        code: "P2002",
      });
      expect(again.status).toBe("provisioning");
    } finally {
      await prisma.$disconnect();
    }
  });
});

async function query<T = unknown>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
