import { DataProblem } from "../data-problem";
import type { MysqlEndpoint } from "../types";
import { closeQuietly, openMysql, select, selectOne, type MysqlConnection } from "./connection";
import { describeMysqlError } from "./describe-mysql-error";
import { quoteIdentifier, quoteString } from "./sql-text";

// A store is one database and one user that may do anything in it and nothing elsewhere, made on a
// store host by its admin user. Both calls may be repeated: a rerun of a half-done provision ends
// in the same place, with the password the caller holds now.

const NAME = /^[A-Za-z0-9_]{1,64}$/;
const USER = /^[A-Za-z0-9_]{1,32}$/;

export async function createMysqlStore(admin: MysqlEndpoint, o: { database: string; user: string; password: string }): Promise<MysqlEndpoint> {
  checkNames(o.database, o.user);
  await asAdmin(admin, `creating store ${o.database}`, async (c) => {
    await c.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(o.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const account = `${quoteString(o.user)}@'%'`;
    await c.query(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${quoteString(o.password)}`);
    await c.query(`ALTER USER ${account} IDENTIFIED BY ${quoteString(o.password)}`);
    await c.query(`GRANT ALL PRIVILEGES ON ${grantDatabase(o.database)}.* TO ${account}`);
  });
  return { host: admin.host, port: admin.port, user: o.user, password: o.password, database: o.database, tls: admin.tls };
}

export async function dropMysqlStore(admin: MysqlEndpoint, o: { database: string; user: string }): Promise<void> {
  checkNames(o.database, o.user);
  await asAdmin(admin, `dropping store ${o.database}`, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(o.database)}`);
    await c.query(`DROP USER IF EXISTS ${quoteString(o.user)}@'%'`);
  });
}

/**
 * Connects and checks what Corral will need: to read the database (a source), or to make
 * databases and users and grant on them (a store host). Throws a DataProblem in plain words.
 */
export async function testMysqlConnection(e: MysqlEndpoint, o: { needWrite: boolean }): Promise<{ version: string; tables: number }> {
  let c: MysqlConnection | undefined;
  try {
    c = await openMysql(e, { what: `${e.host}:${e.port}`, retry: false });
  } catch (error) {
    throw connectProblem(error, e);
  }
  try {
    const { version } = await selectOne<{ version: string }>(c, "SELECT VERSION() AS version");
    const { n } = await selectOne<{ n: number }>(c, "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", [e.database]);
    const global = await select<{ p: string; g: string }>(c, "SELECT PRIVILEGE_TYPE AS p, IS_GRANTABLE AS g FROM information_schema.USER_PRIVILEGES");
    const has = (p: string) => global.some((r) => r.p === p);
    if (o.needWrite) {
      const missing = ["CREATE", "CREATE USER"].filter((p) => !has(p));
      if (!global.some((r) => r.g === "YES")) missing.push("GRANT OPTION");
      if (missing.length > 0) throw new DataProblem("refused", `user ${e.user} may not create stores on ${e.host}: it lacks ${missing.join(", ")} (a store host's user creates databases and users and grants on them)`);
    } else if (e.database && !has("SELECT")) {
      const schema = await select<{ s: string }>(c, "SELECT TABLE_SCHEMA AS s FROM information_schema.SCHEMA_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SELECT' AND ? LIKE TABLE_SCHEMA", [e.database]);
      if (schema.length === 0) throw new DataProblem("refused", `user ${e.user} may not read database ${e.database}: it lacks SELECT on it`);
    }
    return { version, tables: Number(n) };
  } catch (error) {
    throw describeMysqlError(error, `${e.host}:${e.port}`);
  } finally {
    closeQuietly(c);
  }
}

function connectProblem(error: unknown, e: MysqlEndpoint): DataProblem {
  const cause = (error as { cause?: { code?: string } }).cause ?? error;
  const code = (cause as { code?: string }).code ?? "";
  const where = `${e.host}:${e.port}`;
  if (["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"].includes(code)) return new DataProblem("unavailable", `cannot reach ${where}: nothing accepts connections there (is the server running, and the host and port right?)`, { cause });
  if (["ETIMEDOUT", "PROTOCOL_SEQUENCE_TIMEOUT"].includes(code)) return new DataProblem("unavailable", `cannot reach ${where}: the connection timed out (a firewall, or the wrong host?)`, { cause });
  if (["ENOTFOUND", "EAI_AGAIN"].includes(code)) return new DataProblem("not-found", `cannot reach ${e.host}: the host name does not resolve`, { cause });
  if (code === "ER_ACCESS_DENIED_ERROR" || code === "ER_ACCESS_DENIED_NO_PASSWORD_ERROR") return new DataProblem("refused", `access denied for user ${e.user} at ${where}: the user name or password is wrong, or the user may not connect from this host`, { cause });
  if (code === "ER_BAD_DB_ERROR") return new DataProblem("not-found", `database ${e.database} does not exist on ${where}`, { cause });
  if (code === "ER_DBACCESS_DENIED_ERROR") return new DataProblem("refused", `user ${e.user} may not use database ${e.database} on ${where}: it has no grant on it`, { cause });
  return describeMysqlError(cause, where);
}

function checkNames(database: string, user: string): void {
  if (!NAME.test(database)) throw new DataProblem("invalid", `store database name ${JSON.stringify(database)} must be 1-64 letters, digits or '_'`);
  if (!USER.test(user)) throw new DataProblem("invalid", `store user name ${JSON.stringify(user)} must be 1-32 letters, digits or '_'`);
}

/** In GRANT, '_' and '%' in a database name are wildcards: escaped, the grant is on this database only. */
export function grantDatabase(database: string): string {
  return quoteIdentifier(database.replace(/[_%]/g, (c) => `\\${c}`));
}

async function asAdmin(admin: MysqlEndpoint, what: string, work: (c: MysqlConnection) => Promise<void>): Promise<void> {
  const c = await openMysql({ ...admin, database: "" }, { what });
  try {
    await work(c);
  } catch (error) {
    throw describeMysqlError(error, what);
  } finally {
    closeQuietly(c);
  }
}
