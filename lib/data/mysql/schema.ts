import { DataProblem } from "../data-problem";
import type { ColumnInfo } from "../types";
import { select, type MysqlConnection } from "./connection";
import { quoteIdentifier, stripDefiner, valueKind, type ValueKind } from "./sql-text";

// The source database's schema as the statements that make it again, read with SHOW CREATE (the
// server's own words, as mysqldump does) and information_schema for the parts a copy reasons about.

export interface CopiedColumn extends ColumnInfo {
  kind: ValueKind;
}

export interface TableSchema {
  name: string;
  createSql: string;
  /** Every column in the table's order, generated ones included. */
  columns: CopiedColumn[];
  /** information_schema's estimate, to start the biggest tables first. */
  dataLength: number;
}

export interface SchemaObject {
  name: string;
  createSql: string;
  /** The sql_mode the object was created under: its body is parsed and run under it. */
  sqlMode?: string;
  /** Triggers: the table they are on. */
  table?: string;
}

export interface SourceSchema {
  tables: TableSchema[];
  views: SchemaObject[];
  triggers: SchemaObject[];
  routines: SchemaObject[];
}

export interface DatabaseObjects {
  tables: string[];
  views: string[];
  routines: { name: string; type: "PROCEDURE" | "FUNCTION" }[];
  events: string[];
}

/** The names of everything in a database (what emptying drops). */
export async function listObjects(c: MysqlConnection, database: string): Promise<DatabaseObjects> {
  const tables = await select<{ name: string; type: string }>(c, "SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", [database]);
  const routines = await select<{ name: string; type: "PROCEDURE" | "FUNCTION" }>(c, "SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME", [database]);
  const events = await select<{ name: string }>(c, "SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?", [database]);
  return {
    tables: tables.filter((t) => t.type !== "VIEW").map((t) => t.name),
    views: tables.filter((t) => t.type === "VIEW").map((t) => t.name),
    routines,
    events: events.map((e) => e.name),
  };
}

export async function readSourceSchema(c: MysqlConnection, database: string, only?: string[]): Promise<SourceSchema> {
  const objects = await listObjects(c, database);
  if (only) {
    const missing = only.filter((t) => !objects.tables.includes(t));
    if (missing.length > 0) throw new DataProblem("not-found", `${plural(missing.length, "table")} ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not in the source database ${database}`);
  }
  const wanted = new Set(only ?? objects.tables);
  const sizes = await select<{ name: string; size: number | string | null }>(c, "SELECT TABLE_NAME AS name, DATA_LENGTH AS size FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", [database]);
  const columnRows = await select<{ t: string; name: string; type: string; extra: string | null }>(
    c,
    "SELECT TABLE_NAME AS t, COLUMN_NAME AS name, DATA_TYPE AS type, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION",
    [database],
  );
  const tables: TableSchema[] = [];
  for (const name of objects.tables.filter((t) => wanted.has(t))) {
    const [row] = await select<Record<string, string>>(c, `SHOW CREATE TABLE ${quoteIdentifier(name)}`);
    const columns = columnRows
      .filter((r) => r.t === name)
      .map((r) => ({ name: r.name, dataType: r.type, generated: /\b(VIRTUAL|STORED|PERSISTENT|GENERATED)\b/i.test(r.extra ?? ""), kind: valueKind(r.type) }));
    tables.push({ name, createSql: row!["Create Table"]!, columns, dataLength: Number(sizes.find((s) => s.name === name)?.size ?? 0) });
  }

  const views: SchemaObject[] = [];
  for (const name of objects.views) {
    const [row] = await select<Record<string, string>>(c, `SHOW CREATE VIEW ${quoteIdentifier(name)}`);
    views.push({ name, createSql: stripDefiner(row!["Create View"]!) });
  }

  const triggers: SchemaObject[] = [];
  const triggerRows = await select<{ name: string; t: string }>(
    c,
    "SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS t FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER",
    [database],
  );
  for (const { name, t } of triggerRows.filter((r) => wanted.has(r.t))) {
    const [row] = await select<Record<string, string | null>>(c, `SHOW CREATE TRIGGER ${quoteIdentifier(name)}`);
    const text = row?.["SQL Original Statement"];
    if (!text) throw new DataProblem("refused", `trigger ${name}: the source user may not read its definition (it needs the TRIGGER grant)`);
    triggers.push({ name, table: t, createSql: stripDefiner(text), sqlMode: row["sql_mode"] ?? undefined });
  }

  const routines: SchemaObject[] = [];
  for (const { name, type } of objects.routines) {
    const [row] = await select<Record<string, string | null>>(c, `SHOW CREATE ${type} ${quoteIdentifier(name)}`);
    const text = row?.[type === "PROCEDURE" ? "Create Procedure" : "Create Function"];
    if (!text) throw new DataProblem("refused", `${type.toLowerCase()} ${name}: the source user may not read its body (it needs SHOW CREATE ROUTINE, or SELECT on mysql.proc on MariaDB before 11.3)`);
    routines.push({ name: `${type.toLowerCase()} ${name}`, createSql: stripDefiner(text), sqlMode: row["sql_mode"] ?? undefined });
  }
  return { tables, views, triggers, routines };
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
