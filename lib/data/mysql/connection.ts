import type { Connection as CoreConnection } from "mysql2";
import mysql from "mysql2/promise";
import { abortableSleep, backoffDelay } from "../../dns/backoff";
import type { MysqlEndpoint } from "../types";
import { describeMysqlError, isTransientMysqlError } from "./describe-mysql-error";

// How the copier connects. Values are fetched so that nothing is lost on the way through Node:
// dates, times and DECIMALs as the server's text, BIGINTs as strings, JSON as text, binary columns
// as Buffers, utf8mb4 throughout, and UTC on both sides so TIMESTAMPs do not move across a DST
// change. The password goes in the handshake, never in a process argument.

export type MysqlConnection = mysql.Connection;

const RETRY = { attempts: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

export function connectionOptions(e: MysqlEndpoint): mysql.ConnectionOptions {
  return {
    host: e.host,
    port: e.port,
    user: e.user,
    password: e.password,
    database: e.database || undefined,
    charset: "utf8mb4",
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
    multipleStatements: false,
    connectTimeout: 10_000,
    ssl: e.tls ? { rejectUnauthorized: true } : undefined,
  };
}

/** Opens a connection, retrying refused/timed-out attempts with jittered backoff. */
export async function openMysql(e: MysqlEndpoint, o: { signal?: AbortSignal; what: string; retry?: boolean }): Promise<MysqlConnection> {
  for (let attempt = 1; ; attempt++) {
    o.signal?.throwIfAborted();
    try {
      const c = await mysql.createConnection(connectionOptions(e));
      // A socket error after a query finished would otherwise be an unhandled 'error' event.
      c.on("error", () => {});
      await c.query("SET SESSION time_zone = '+00:00'");
      return c;
    } catch (error) {
      if (o.retry === false || attempt >= RETRY.attempts || !isTransientMysqlError(error)) throw describeMysqlError(error, o.what);
      await abortableSleep(backoffDelay(attempt, RETRY), o.signal);
    }
  }
}

/** Runs one statement-level step again when it fails in passing (deadlock, lock wait) on a live connection. */
export async function retrying<T>(step: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= RETRY.attempts || (code !== "ER_LOCK_DEADLOCK" && code !== "ER_LOCK_WAIT_TIMEOUT")) throw error;
      await abortableSleep(backoffDelay(attempt, RETRY), signal);
    }
  }
}

/** Closes without waiting on a server that may be gone. */
export function closeQuietly(c: MysqlConnection | undefined): void {
  if (!c) return;
  try {
    c.destroy();
  } catch {
    // already closed
  }
}

/** Rows of a query as plain objects (small, metadata queries only). */
export async function select<T>(c: MysqlConnection, sql: string, values?: unknown[]): Promise<T[]> {
  const [rows] = await c.query(sql, values);
  return rows as T[];
}

/** The first row of a query that always answers one (SELECT COUNT(*), SELECT @@var). */
export async function selectOne<T>(c: MysqlConnection, sql: string, values?: unknown[]): Promise<T> {
  const [row] = await select<T>(c, sql, values);
  if (!row) throw new Error(`no row from ${sql.slice(0, 60)}`);
  return row;
}

/** The callback-style connection under the promise wrapper: the one that streams rows and LOCAL INFILE. */
export function coreOf(c: MysqlConnection): CoreConnection {
  return (c as unknown as { connection: CoreConnection }).connection;
}
