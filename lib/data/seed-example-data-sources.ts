import "server-only";
import { db } from "@/lib/db/client";
import mysql from "mysql2/promise";
import type { Prisma } from "@/lib/db/generated/client";
import { EXAMPLE_MASKING, EXAMPLE_MYSQL_DATABASE, EXAMPLE_REDIS_PREFIX, EXAMPLE_S3, seedExampleMysql, seedExampleRedis, seedExampleS3 } from "./example-data";
import { saveDataSource } from "./save-data-source";
import { dataSourceInputSchema } from "./schemas";

const SEEDED = "data-sources.seed-examples";
const READ_ONLY_USER = "corral_example_ro";
// Known, not random: every quick start on the machine (a developer's, the e2e suite's) shares the
// example user, and a new random password would lock the others out. It reads example data only.
const READ_ONLY_PASSWORD = "corral-example-read-only";

export interface QuickStartData {
  /** mysql://user:password@host:port — a user that may create databases and users. */
  mysqlUrl?: string;
  /** redis://host:port/db */
  redisUrl?: string;
  s3?: { endpoint?: string; region: string; accessKeyId: string; secretAccessKey: string };
}

/**
 * The quick start's data sources, made once (like the example templates): store hosts on the
 * machine's MariaDB and Redis and the sandbox's S3, and an example "production" source of each
 * kind with masking rules, read through a read-only MySQL user. A service that does not answer
 * is left out and named in the result.
 */
export async function seedExampleDataSources(where: QuickStartData): Promise<{ made: string[]; skipped: string[] }> {
  if ((await db.auditEvent.count({ where: { action: SEEDED } })) > 0) return { made: [], skipped: [] };
  const made: string[] = [];
  const skipped: string[] = [];
  const add = async (input: Record<string, unknown>) => {
    if (await db.dataSource.findUnique({ where: { name: String(input.name) }, select: { id: true } })) return;
    const saved = await saveDataSource(null, dataSourceInputSchema.parse(input));
    if (input.maskingRules) await db.dataSource.update({ where: { id: saved.id }, data: { maskingRules: input.maskingRules as Prisma.InputJsonValue } });
    made.push(saved.name);
  };

  if (where.mysqlUrl) {
    const url = new URL(where.mysqlUrl);
    const admin = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || "root"), password: decodeURIComponent(url.password) };
    try {
      await seedExampleMysql(admin);
      const readOnlyPassword = await ensureReadOnlyUser(admin);
      await add({ name: "local-mariadb", kind: "mysql", description: "The machine's MariaDB: environments' own databases are made here.", protected: false, storeHost: true, host: admin.host, port: admin.port, username: admin.user, secret: admin.password });
      await add({ name: "shop-production-db", kind: "mysql", description: "Example production shop database (read-only user; masked on copy).", protected: true, host: admin.host, port: admin.port, username: READ_ONLY_USER, secret: readOnlyPassword, database: EXAMPLE_MYSQL_DATABASE, maskingRules: { columns: EXAMPLE_MASKING.columns, redis: [] } });
    } catch (error) {
      skipped.push(`MySQL/MariaDB at ${admin.host}:${admin.port} (${(error as Error).message})`);
    }
  }
  if (where.redisUrl) {
    const url = new URL(where.redisUrl);
    const admin = { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0) };
    try {
      await seedExampleRedis(admin);
      await add({ name: "local-redis", kind: "redis", description: "The machine's Redis: environments get a key prefix and an ACL user here.", protected: false, storeHost: true, host: admin.host, port: admin.port, redisDb: admin.db });
      await add({ name: "shop-production-cache", kind: "redis", description: "Example production cache (sessions are masked on copy).", protected: true, host: admin.host, port: admin.port, redisDb: admin.db, prefix: EXAMPLE_REDIS_PREFIX, maskingRules: { columns: [], redis: EXAMPLE_MASKING.redis } });
    } catch (error) {
      skipped.push(`Redis at ${admin.host}:${admin.port} (${(error as Error).message})`);
    }
  }
  if (where.s3) {
    try {
      await seedExampleS3(where.s3);
      const s3 = { kind: "s3", endpoint: where.s3.endpoint, region: where.s3.region, username: where.s3.accessKeyId, secret: where.s3.secretAccessKey };
      await add({ ...s3, name: "sandbox-s3", description: "The sandbox's S3: environments get a prefix in corral-data.", protected: false, storeHost: true, bucket: "corral-data" });
      await add({ ...s3, name: "shop-production-assets", description: "Example production assets bucket.", protected: true, bucket: EXAMPLE_S3.bucket, prefix: EXAMPLE_S3.prefix });
    } catch (error) {
      skipped.push(`S3 at ${where.s3.endpoint ?? "AWS"} (${(error as Error).message})`);
    }
  }
  await db.auditEvent.create({ data: { actorId: null, via: "system", action: SEEDED, targetType: "data-source", outcome: "ok", details: { made, skipped, cause: "quick start" } } });
  return { made, skipped };
}

/** A user that may only read the example database: what production credentials should be. */
async function ensureReadOnlyUser(admin: { host: string; port: number; user: string; password: string }): Promise<string> {
  const password = READ_ONLY_PASSWORD;
  const c = await mysql.createConnection(admin);
  try {
    await c.query("CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?", [READ_ONLY_USER, password]);
    await c.query("ALTER USER ?@'%' IDENTIFIED BY ?", [READ_ONLY_USER, password]);
    await c.query(`GRANT SELECT, SHOW VIEW, TRIGGER, EXECUTE ON \`${EXAMPLE_MYSQL_DATABASE}\`.* TO ?@'%'`, [READ_ONLY_USER]);
    return password;
  } finally {
    await c.end();
  }
}
