import { DataProblem, isDataProblem } from "../data-problem";
import type { CopyResult, MysqlEndpoint, MysqlMaskFactory, ProgressListener, StoreProgress, VerificationItem } from "../types";
import { checksumSql, parseChecksum, type TableChecksum } from "./checksum";
import { closeQuietly, openMysql, retrying, select, selectOne, type MysqlConnection } from "./connection";
import { copyTableRows, type LoadMethod } from "./copy-table";
import { describeMysqlError } from "./describe-mysql-error";
import { emptyWith } from "./empty-database";
import { checkForeignKeys } from "./foreign-keys";
import { readSourceSchema, type SchemaObject, type TableSchema } from "./schema";
import { openSnapshotReaders } from "./snapshot";
import { removeForeignKeys, rowFilterProblem } from "./sql-text";

// Why it is faster than `mysqldump --single-transaction --quick | mysql`: the dump is one stream,
// table after table, through one connection to a client that parses SQL text; here several tables
// are in flight at once, each read by its own reader of one consistent snapshot and written by its
// own writer with LOAD DATA LOCAL INFILE (tab-separated rows the server parses far more cheaply than
// INSERT statements), one statement and so one transaction a table, with foreign-key checks off and
// nothing on disk between the two servers. The verification costs one extra scan of each target
// table only: the source's checksum is computed by the source in the same read as the rows.
//
// Copies a source database into an emptied target: tables (foreign keys included, cycles and all:
// they are created with foreign_key_checks off, so order does not matter), routines, views, then
// the data from one snapshot through several readers at once, biggest tables first, then the
// triggers (after the data, so they do not fire on it), then a foreign-key check and a verification
// of every table's rows and checksum computed by both servers.

export interface CopyMysqlOptions {
  source: MysqlEndpoint;
  target: MysqlEndpoint;
  tables?: string[];
  rowFilters?: Record<string, string>;
  mask?: MysqlMaskFactory;
  parallelism?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** How rows are written; by default LOAD DATA LOCAL INFILE when the target allows it, else multi-row INSERTs. */
  method?: LoadMethod;
  /** Awaited after each chunk of rows is handed to the target (tests act mid-table with it). */
  afterChunk?: (table: string) => Promise<void>;
}

/** A verification that found differences; the result is on it too. */
export class MysqlVerificationFailed extends DataProblem {
  constructor(readonly result: CopyResult) {
    super("invalid", `the copy differs from the source: ${result.verification.mismatches.join("; ")}`);
  }
}

const SCHEMA_SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";

export async function copyMysql(o: CopyMysqlOptions): Promise<CopyResult> {
  const signal = o.signal;
  signal?.throwIfAborted();
  checkRowFilters(o.rowFilters ?? {}, o.tables);
  const open: { c: MysqlConnection; side: "source" | "target" }[] = [];
  const track = (side: "source" | "target") => (c: MysqlConnection) => void open.push({ c, side });
  let stopped = false;
  // Cancel and fail-fast both come here: stop every query on both servers and drop the connections.
  const stopAll = () => {
    if (stopped) return;
    stopped = true;
    void killQueries(o.source, open.filter((x) => x.side === "source").map((x) => x.c));
    void killQueries(o.target, open.filter((x) => x.side === "target").map((x) => x.c));
    for (const { c } of open) closeQuietly(c);
  };
  signal?.addEventListener("abort", stopAll, { once: true });

  const progress: StoreProgress = { store: "mysql", phase: "emptying", itemsDone: 0, unitsDone: 0, bytesDone: 0 };
  const report = (change: Partial<StoreProgress>) => {
    Object.assign(progress, change);
    o.onProgress?.({ ...progress });
  };
  try {
    report({});
    const control = await openMysql(o.target, { signal, what: "the target" });
    track("target")(control);
    await emptyWith(control, o.target.database, signal);

    report({ phase: "schema" });
    const meta = await openMysql(o.source, { signal, what: "the source" });
    track("source")(meta);
    const schema = await readSourceSchema(meta, o.source.database, o.tables);
    closeQuietly(meta);
    const notes: string[] = [];
    await createTables(control, schema.tables, notes, signal);
    await createObjects(control, schema.routines, "routine", signal);
    await createViews(control, schema.views, o.tables !== undefined, notes, signal);

    const { packet, localInfile } = await selectOne<{ packet: number | string; localInfile: number | string }>(control, "SELECT @@max_allowed_packet AS packet, @@local_infile AS localInfile");
    const method: LoadMethod = o.method ?? (Number(localInfile) === 1 ? "load-data" : "insert");
    const parallelism = Math.max(1, Math.min(o.parallelism ?? 4, schema.tables.length || 1));
    report({ phase: "copying", itemsTotal: schema.tables.length });
    const { readers, snapshot } = await openSnapshotReaders(o.source, parallelism, track("source"), signal);
    const writers: MysqlConnection[] = [];
    for (let i = 0; i < parallelism; i++) {
      const w = await openMysql(o.target, { signal, what: "the target" });
      track("target")(w);
      // unique_checks stays on: with it off (and foreign_key_checks off) MariaDB 10.11 loads an empty
      // table in "bulk" mode, sorting into temporary files, which measured slower on the bench's
      // tables (1.5-2.5 s more server CPU of ~15) than plain inserts in primary-key order.
      await w.query(`SET SESSION foreign_key_checks = 0, unique_checks = 1, sql_mode = '${SCHEMA_SQL_MODE}', net_read_timeout = 3600, net_write_timeout = 3600`);
      writers.push(w);
    }

    const queue = [...schema.tables].sort((a, b) => b.dataLength - a.dataLength);
    const items: VerificationItem[] = [];
    const mismatches: string[] = [];
    let failure: unknown;
    const worker = async (reader: MysqlConnection, writer: MysqlConnection) => {
      for (let table = queue.shift(); table && failure === undefined; table = queue.shift()) {
        try {
          const compared = await copyOne(table, reader, writer);
          items.push(...compared.items);
          mismatches.push(...compared.mismatches);
          report({ itemsDone: progress.itemsDone + 1 });
        } catch (error) {
          if (failure === undefined) failure = signal?.aborted ? signal.reason : describeMysqlError(error, `table ${table.name}`);
          stopAll();
        }
      }
    };
    const copyOne = async (table: TableSchema, reader: MysqlConnection, writer: MysqlConnection) => {
      const columns = table.columns.filter((c) => !c.generated);
      const filter = o.rowFilters?.[table.name];
      const masker = o.mask?.(table.name, columns.map(({ name, dataType, generated }) => ({ name, dataType, generated }))) ?? null;
      report({ current: table.name });
      let copied;
      try {
        copied = await copyTableRows(reader, writer, {
          table: table.name,
          columns,
          filter,
          masker,
          method,
          maxAllowedPacket: Number(packet),
          signal,
          afterChunk: o.afterChunk,
          checksumColumns: table.columns.map((c) => c.name),
          onRows: (rows, bytes) => report({ unitsDone: progress.unitsDone + rows, bytesDone: progress.bytesDone + bytes, current: table.name }),
        });
      } catch (error) {
        if (filter && isFilterRefusal(error)) throw new DataProblem("invalid", `table ${table.name}: the server refused its row filter (${(error as Error).message})`, { cause: error });
        throw error;
      }
      // Masked columns, and generated ones that may be computed from them, cannot match: compare the rest.
      const masked = [...copied.maskedColumns].map((i) => columns[i]!.name);
      const compared = masked.length > 0 ? table.columns.filter((c) => !c.generated && !masked.includes(c.name)) : table.columns;
      const names = compared.map((c) => c.name);
      // Unmasked, the source's checksum came with the rows; masked, it is taken again without the masked columns, while the target's is.
      const [sourceSum, targetSum] = await Promise.all([
        masked.length === 0 && copied.sourceChecksum ? copied.sourceChecksum : select<{ n: number; crc: string }>(reader, checksumSql(table.name, names, filter)).then((rows) => parseChecksum(rows[0]!)),
        retrying(() => select<{ n: number; crc: string }>(writer, checksumSql(table.name, names)), signal).then((rows) => parseChecksum(rows[0]!)),
      ]);
      return compare(table.name, sourceSum, targetSum, masked);
    };
    await Promise.all(readers.map((r, i) => worker(r, writers[i]!)));
    if (failure !== undefined) throw failure;
    for (const c of [...readers, ...writers]) closeQuietly(c);

    report({ phase: "verifying", current: undefined });
    await createObjects(control, schema.triggers, "trigger", signal);
    const orphans = await checkForeignKeys(control, o.target.database, signal);
    closeQuietly(control);
    if (orphans.length > 0) throw new DataProblem("invalid", orphans.join("; "));

    items.sort((a, b) => a.name.localeCompare(b.name) || a.measure.localeCompare(b.measure));
    const result: CopyResult = {
      store: "mysql",
      itemsCopied: schema.tables.length,
      unitsCopied: progress.unitsDone,
      bytesCopied: progress.bytesDone,
      verification: { ok: mismatches.length === 0, items, mismatches },
      snapshot,
      notes,
    };
    if (mismatches.length > 0) throw new MysqlVerificationFailed(result);
    report({ phase: "done", current: undefined });
    return result;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw isDataProblem(error) ? error : describeMysqlError(error);
  } finally {
    signal?.removeEventListener("abort", stopAll);
    for (const { c } of open) closeQuietly(c);
  }
}

function checkRowFilters(filters: Record<string, string>, tables?: string[]): void {
  for (const [table, filter] of Object.entries(filters)) {
    const problem = rowFilterProblem(filter);
    if (problem) throw new DataProblem("invalid", `table ${table}: the row filter is refused: ${problem}`);
    if (tables && !tables.includes(table)) throw new DataProblem("invalid", `table ${table} has a row filter but is not among the tables to copy`);
  }
}

function isFilterRefusal(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return ["ER_PARSE_ERROR", "ER_BAD_FIELD_ERROR", "ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION", "ER_SP_DOES_NOT_EXIST", "ER_WRONG_ARGUMENTS", "ER_OPERAND_COLUMNS", "ER_TRUNCATED_WRONG_VALUE", "ER_NO_SUCH_TABLE"].includes(code) || /syntax|unknown column/i.test((error as Error).message ?? "");
}

function compare(table: string, source: TableChecksum, target: TableChecksum, masked: string[]): { items: VerificationItem[]; mismatches: string[] } {
  const measure = masked.length > 0 ? `checksum without masked columns (${masked.join(", ")}) and generated columns` : "checksum";
  const items: VerificationItem[] = [
    { name: table, measure: "rows", source: String(source.rows), target: String(target.rows), match: source.rows === target.rows },
    { name: table, measure, source: source.checksum, target: target.checksum, match: source.checksum === target.checksum },
  ];
  const mismatches: string[] = [];
  if (source.rows !== target.rows) mismatches.push(`table ${table}: ${source.rows.toLocaleString("en")} rows in the source, ${target.rows.toLocaleString("en")} in the copy`);
  else if (source.checksum !== target.checksum) mismatches.push(`table ${table}: the same number of rows, but their contents differ (${measure} ${source.checksum} in the source, ${target.checksum} in the copy)`);
  return { items, mismatches };
}

async function createTables(c: MysqlConnection, tables: TableSchema[], notes: string[], signal?: AbortSignal): Promise<void> {
  const copied = new Set(tables.map((t) => t.name));
  await c.query(`SET SESSION foreign_key_checks = 0, sql_mode = '${SCHEMA_SQL_MODE}'`);
  for (const table of tables) {
    signal?.throwIfAborted();
    const { sql, removed } = removeForeignKeys(table.createSql, (parent) => !copied.has(parent));
    for (const fk of removed) notes.push(`table ${table.name}: foreign key left out, its parent table is not copied (${fk})`);
    try {
      await retrying(() => c.query(sql), signal);
    } catch (error) {
      throw describeMysqlError(error, `creating table ${table.name}`);
    }
  }
}

async function createObjects(c: MysqlConnection, objects: SchemaObject[], what: string, signal?: AbortSignal): Promise<void> {
  for (const object of objects) {
    signal?.throwIfAborted();
    try {
      await c.query("SET SESSION sql_mode = ?", [object.sqlMode ?? SCHEMA_SQL_MODE]);
      await retrying(() => c.query(object.createSql), signal);
    } catch (error) {
      throw describeMysqlError(error, `creating ${what} ${object.name}`);
    }
  }
  await c.query(`SET SESSION sql_mode = '${SCHEMA_SQL_MODE}'`);
}

/** Views in an order where each one's views exist before it: try all, again for those that failed, until none moves. */
async function createViews(c: MysqlConnection, views: SchemaObject[], subset: boolean, notes: string[], signal?: AbortSignal): Promise<void> {
  let waiting = views;
  const errors = new Map<string, unknown>();
  while (waiting.length > 0) {
    const failed: SchemaObject[] = [];
    for (const view of waiting) {
      signal?.throwIfAborted();
      try {
        await c.query(view.createSql);
      } catch (error) {
        errors.set(view.name, error);
        failed.push(view);
      }
    }
    if (failed.length === waiting.length) {
      if (!subset) throw describeMysqlError(errors.get(failed[0]!.name), `creating view ${failed[0]!.name}`);
      for (const view of failed) notes.push(`view ${view.name} left out: ${(errors.get(view.name) as Error).message}`);
      return;
    }
    waiting = failed;
  }
}

/** KILL QUERY for each connection's thread, from a connection of its own (a user may kill its own threads). */
async function killQueries(endpoint: MysqlEndpoint, connections: MysqlConnection[]): Promise<void> {
  const ids = connections.map((c) => c.threadId).filter((id): id is number => typeof id === "number");
  if (ids.length === 0) return;
  let killer: MysqlConnection | undefined;
  try {
    killer = await openMysql(endpoint, { what: "cancel", retry: false });
    for (const id of ids) await killer.query(`KILL QUERY ${Number(id)}`).catch(() => {});
  } catch {
    // Best effort: the connections are closed anyway.
  } finally {
    closeQuietly(killer);
  }
}
