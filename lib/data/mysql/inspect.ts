import type { ColumnInfo, MysqlEndpoint } from "../types";
import { closeQuietly, openMysql, select } from "./connection";
import { quoteIdentifier } from "./sql-text";

// What an admin or a copier looks at before a copy: the source's tables and columns (for rules,
// flags and the copy dialog) and a few rows of one table (for the masking preview). Reads only,
// in a read-only transaction, with a short statement timeout: it runs while a person waits.

export interface InspectedTable {
  table: string;
  columns: ColumnInfo[];
  /** information_schema's estimate. */
  rows: number;
}

export async function inspectMysql(e: MysqlEndpoint, o: { sampleTable?: string; sampleRows?: number; signal?: AbortSignal } = {}): Promise<{ tables: InspectedTable[]; sample?: unknown[][] }> {
  const c = await openMysql(e, { signal: o.signal, what: `the database ${e.database}`, retry: false });
  try {
    await c.query("SET SESSION TRANSACTION READ ONLY");
    const columnRows = await select<{ t: string; name: string; type: string; extra: string | null; nullable: string }>(
      c,
      "SELECT TABLE_NAME AS t, COLUMN_NAME AS name, DATA_TYPE AS type, EXTRA AS extra, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
      [e.database],
    );
    const tableRows = await select<{ name: string; rows: number | string | null }>(c, "SELECT TABLE_NAME AS name, TABLE_ROWS AS `rows` FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [e.database]);
    const tables = tableRows.map((t) => ({
      table: t.name,
      rows: Number(t.rows ?? 0),
      columns: columnRows.filter((r) => r.t === t.name).map((r) => ({ name: r.name, dataType: r.type, generated: /\b(VIRTUAL|STORED|PERSISTENT|GENERATED)\b/i.test(r.extra ?? ""), nullable: r.nullable === "YES" })),
    }));
    if (!o.sampleTable) return { tables };
    const table = tables.find((t) => t.table === o.sampleTable);
    if (!table) return { tables, sample: [] };
    const [rows] = await c.query({ sql: `SELECT ${table.columns.map((col) => quoteIdentifier(col.name)).join(", ")} FROM ${quoteIdentifier(table.table)} LIMIT ${Math.min(50, Math.max(1, o.sampleRows ?? 5))}`, rowsAsArray: true, timeout: 5_000 });
    return { tables, sample: rows as unknown[][] };
  } finally {
    closeQuietly(c);
  }
}
