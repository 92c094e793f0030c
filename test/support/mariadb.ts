// The machine's own MariaDB for integration tests and benches, started if it is down.
import { spawnSync } from "node:child_process";
import mysql from "mysql2/promise";
import type { MysqlEndpoint } from "@/lib/data/types";

/** A user that may create databases and users: root on the development machines and CI. */
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_ADMIN_URL ?? "mysql://root@127.0.0.1:3306/";

export function mysqlAdmin(database = ""): MysqlEndpoint {
  const url = new URL(MYSQL_ADMIN_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || "root"),
    password: decodeURIComponent(url.password),
    database,
  };
}

export async function ensureLocalMariadb(deadlineMs = 30_000): Promise<void> {
  if (await canConnect()) return;
  // Debian's packaging, as on the development machines and CI.
  spawnSync("service", ["mariadb", "start"], { stdio: "ignore", timeout: deadlineMs });
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await canConnect()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`MariaDB does not answer at ${MYSQL_ADMIN_URL.replace(/:[^:@/]*@/, ":***@")}. Start it, or set TEST_MYSQL_ADMIN_URL.`);
}

/** A connection as the admin user (multiple statements allowed, for seeding). */
export async function adminConnection(database?: string): Promise<mysql.Connection> {
  const e = mysqlAdmin(database);
  return mysql.createConnection({ host: e.host, port: e.port, user: e.user, password: e.password, database: e.database || undefined, multipleStatements: true, charset: "utf8mb4" });
}

/** Drops and creates `name` (utf8mb4), returning an admin endpoint on it. */
export async function freshMysqlDatabase(name: string): Promise<MysqlEndpoint> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const c = await adminConnection();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await c.end();
  }
  return mysqlAdmin(name);
}

export async function dropMysqlDatabase(name: string): Promise<void> {
  const c = await adminConnection();
  try {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await c.end();
  }
}

async function canConnect(): Promise<boolean> {
  try {
    const c = await adminConnection();
    await c.query("SELECT 1");
    await c.end();
    return true;
  } catch {
    return false;
  }
}
