import type { MysqlEndpoint } from "../types";
import { closeQuietly, openMysql, retrying, type MysqlConnection } from "./connection";
import { describeMysqlError } from "./describe-mysql-error";
import { listObjects } from "./schema";
import { quoteIdentifier } from "./sql-text";

// Emptying a store before a copy: everything in its database goes (views, tables with their
// triggers, routines, events), the database itself and its grants stay.

export async function emptyMysqlDatabase(target: MysqlEndpoint, signal?: AbortSignal): Promise<void> {
  const c = await openMysql(target, { signal, what: "the target" });
  const onAbort = () => closeQuietly(c);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await emptyWith(c, target.database, signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw describeMysqlError(error, `emptying ${target.database}`);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    closeQuietly(c);
  }
}

export async function emptyWith(c: MysqlConnection, database: string, signal?: AbortSignal): Promise<void> {
  const objects = await listObjects(c, database);
  await c.query("SET SESSION foreign_key_checks = 0");
  const run = (sql: string) => retrying(() => c.query(sql), signal);
  for (const view of objects.views) await run(`DROP VIEW IF EXISTS ${quoteIdentifier(view)}`);
  // Many at once: one statement takes the metadata locks once.
  for (let i = 0; i < objects.tables.length; i += 100) {
    signal?.throwIfAborted();
    await run(`DROP TABLE IF EXISTS ${objects.tables.slice(i, i + 100).map(quoteIdentifier).join(", ")}`);
  }
  for (const r of objects.routines) await run(`DROP ${r.type} IF EXISTS ${quoteIdentifier(r.name)}`);
  for (const e of objects.events) await run(`DROP EVENT IF EXISTS ${quoteIdentifier(e)}`);
  await c.query("SET SESSION foreign_key_checks = 1");
}
