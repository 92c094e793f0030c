import { select, selectOne, type MysqlConnection } from "./connection";
import { quoteIdentifier } from "./sql-text";

// Rows were loaded with foreign_key_checks off (cycles need it, and it is faster); this checks
// afterwards what the server did not, so a row filter that leaves children without parents is
// named instead of found later by an application.

export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
}

export function groupForeignKeys(rows: { name: string; t: string; col: string; parent: string; pcol: string }[]): ForeignKey[] {
  const byKey = new Map<string, ForeignKey>();
  for (const r of rows) {
    const key = `${r.t}\0${r.name}`;
    const fk = byKey.get(key) ?? { name: r.name, table: r.t, columns: [], parent: r.parent, parentColumns: [] };
    fk.columns.push(r.col);
    fk.parentColumns.push(r.pcol);
    byKey.set(key, fk);
  }
  return [...byKey.values()];
}

/** Counts child rows whose key (all of its columns set, as MATCH SIMPLE checks) has no parent row. */
export function orphanCountSql(fk: ForeignKey): string {
  const child = (c: string) => `c.${quoteIdentifier(c)}`;
  const set = fk.columns.map((c) => `${child(c)} IS NOT NULL`).join(" AND ");
  const join = fk.columns.map((c, i) => `p.${quoteIdentifier(fk.parentColumns[i]!)} = ${child(c)}`).join(" AND ");
  return `SELECT COUNT(*) AS n FROM ${quoteIdentifier(fk.table)} c WHERE ${set} AND NOT EXISTS (SELECT 1 FROM ${quoteIdentifier(fk.parent)} p WHERE ${join})`;
}

/** Plain words per foreign key that rows break, none when all hold. */
export async function checkForeignKeys(c: MysqlConnection, database: string, signal?: AbortSignal): Promise<string[]> {
  const rows = await select<{ name: string; t: string; col: string; parent: string; pcol: string }>(
    c,
    `SELECT CONSTRAINT_NAME AS name, TABLE_NAME AS t, COLUMN_NAME AS col, REFERENCED_TABLE_NAME AS parent, REFERENCED_COLUMN_NAME AS pcol
       FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    [database, database],
  );
  const problems: string[] = [];
  for (const fk of groupForeignKeys(rows)) {
    signal?.throwIfAborted();
    const { n } = await selectOne<{ n: number | string }>(c, orphanCountSql(fk));
    if (Number(n) > 0) problems.push(`table ${fk.table}: ${Number(n).toLocaleString("en")} rows refer to rows of ${fk.parent} that were not copied (foreign key ${fk.name}); widen the row filters`);
  }
  return problems;
}
