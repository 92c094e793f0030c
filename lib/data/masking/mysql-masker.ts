import { isUtf8 } from "node:buffer";
import { DataProblem } from "@/lib/data/data-problem";
import type { ColumnInfo, MysqlMaskFactory, RowMasker } from "@/lib/data/types";
import { columnFamily, emptyValue, INTEGER_MAX, kindProblem, type ColumnFamily } from "./column-types";
import { maskBytes, maskEmail, maskHashId, maskHashIdNumber, maskingKey, maskName, type MaskingKey, type MaskSecret } from "./mask-value";
import type { ColumnRule } from "./schemas";

// The MySQL copier's masking: rules compiled once per table into the row positions they change
// and one function each, so masking a row is a copy of the array and a call per masked column.
// Null stays null under every kind but "null": it holds nothing personal, and keeping it keeps
// "has no phone" true in the copy.

type MaskOne = (value: unknown) => unknown;

export function createMysqlMasker(rules: readonly ColumnRule[], secret: MaskSecret): MysqlMaskFactory {
  const key = maskingKey(secret);
  const byTable = rulesByTable(rules);
  return (table, columns) => {
    const tableRules = byTable.get(table);
    if (!tableRules) return null;
    const positions: number[] = [];
    const maskers: MaskOne[] = [];
    let position = 0;
    for (const column of columns) {
      if (column.generated) continue; // not in the row: the target computes it
      const rule = tableRules.get(column.name.toLowerCase());
      if (rule && rule.kind !== "keep") {
        positions.push(position);
        maskers.push(memoized(compileColumn(key, table, column, rule)));
      }
      position++;
    }
    return positions.length === 0 ? null : rowMasker(positions, maskers);
  };
}

// Masked values repeat (a customer's e-mail on each of their orders, common names): a bounded
// memo per column spares the HMAC for a value seen recently. Masking is deterministic, so a hit
// is exactly what the call would have returned; the memo is dropped whole when full.
const MEMO_LIMIT = 50_000;

function memoized(mask: MaskOne): MaskOne {
  let memo = new Map<string, unknown>();
  return (value) => {
    if (typeof value !== "string") return mask(value);
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
    const out = mask(value);
    if (memo.size >= MEMO_LIMIT) memo = new Map();
    memo.set(value, out);
    return out;
  };
}

/** Tables with their rules by lower-case column name (MySQL column names ignore case, table names may not). */
export function rulesByTable(rules: readonly ColumnRule[]): Map<string, Map<string, ColumnRule>> {
  const byTable = new Map<string, Map<string, ColumnRule>>();
  for (const rule of rules) {
    let columns = byTable.get(rule.table);
    if (!columns) byTable.set(rule.table, (columns = new Map()));
    columns.set(rule.column.toLowerCase(), rule);
  }
  return byTable;
}

/**
 * What stands in the way of the rules on these tables, in plain words: a table or column that is
 * not there, a generated column, a kind the column's type cannot take. Empty when all is well.
 */
export function checkRulesAgainstSchema(rules: readonly ColumnRule[], tables: readonly { table: string; columns: readonly ColumnInfo[] }[]): string[] {
  const byName = new Map(tables.map((t) => [t.table, t.columns]));
  const problems: string[] = [];
  for (const rule of rules) {
    const where = `${rule.table}.${rule.column}`;
    const columns = byName.get(rule.table);
    if (!columns) {
      problems.push(`${where}: the source has no table “${rule.table}”.`);
      continue;
    }
    const column = columns.find((c) => c.name.toLowerCase() === rule.column.toLowerCase());
    if (!column) {
      problems.push(`${where}: table ${rule.table} has no column “${rule.column}”.`);
    } else if (column.generated && rule.kind !== "keep") {
      problems.push(`${where} is a generated column: the copy computes it from other columns, so mask those instead.`);
    } else {
      const problem = kindProblem(rule.kind, column, rule.value);
      if (problem) problems.push(`${where}: ${problem}`);
    }
  }
  return problems;
}

function rowMasker(positions: number[], maskers: MaskOne[]): RowMasker {
  const count = positions.length;
  return (row) => {
    const out = row.slice();
    for (let i = 0; i < count; i++) {
      const at = positions[i]!;
      out[at] = maskers[i]!(row[at]);
    }
    return out;
  };
}

function compileColumn(key: MaskingKey, table: string, column: ColumnInfo, rule: ColumnRule): MaskOne {
  const family = columnFamily(column.dataType);
  const refuse = (value: unknown): never => {
    throw new DataProblem(
      "invalid",
      `${table}.${column.name}: a ${rule.kind} rule cannot mask ${describe(value)} (a ${column.dataType.toUpperCase()} column); use fixed or null.`,
    );
  };
  switch (rule.kind) {
    case "null": {
      const empty = column.nullable === false ? emptyValue(column) : null;
      // A Buffer is shared by every row; the copier only reads it.
      return () => empty;
    }
    case "fixed": {
      const fixed = family === "binary" ? Buffer.from(rule.value ?? "", "utf8") : (rule.value ?? "");
      return (value) => (value === null || value === undefined ? value : fixed);
    }
    case "email":
      return textMasker((text) => maskEmail(key, text), refuse);
    case "name":
      return textMasker((text) => maskName(key, text), refuse);
    case "hash-id":
      return hashIdMasker(key, family, column.dataType.toLowerCase(), refuse);
    case "keep":
      return (value) => value;
  }
}

function textMasker(mask: (text: string) => string, refuse: (value: unknown) => never): MaskOne {
  return (value) => {
    if (value === null || value === undefined) return value;
    if (typeof value === "string") return mask(value);
    // Bytes that are not UTF-8 are masked through their hex form: still deterministic, and the
    // output (an address at masked.invalid, a fake name) is plain text.
    if (Buffer.isBuffer(value)) return Buffer.from(mask(isUtf8(value) ? value.toString("utf8") : value.toString("hex")), "utf8");
    if (typeof value === "number" || typeof value === "bigint") return mask(String(value));
    return refuse(value);
  };
}

function hashIdMasker(key: MaskingKey, family: ColumnFamily, dataType: string, refuse: (value: unknown) => never): MaskOne {
  const limits = INTEGER_MAX[dataType];
  return (value) => {
    if (value === null || value === undefined) return value;
    if (Buffer.isBuffer(value)) return family === "binary" ? maskBytes(key, value) : Buffer.from(maskHashId(key, value.toString("utf8")), "utf8");
    if (typeof value === "number" || typeof value === "bigint") return maskHashIdNumber(key, value, limits && integerLimit(limits, value));
    if (typeof value === "string") {
      if (family === "integer" || family === "decimal" || family === "float") return maskHashIdNumber(key, value, limits && integerLimit(limits, value));
      return maskHashId(key, value);
    }
    return refuse(value);
  };
}

/** The column's signed maximum, or its unsigned one when the value is above the signed (so the column is unsigned). */
function integerLimit(limits: readonly [bigint, bigint], value: number | bigint | string): bigint {
  const [signed, unsigned] = limits;
  if (typeof value === "number") return Math.abs(value) <= Number(signed) ? signed : unsigned;
  const magnitude = typeof value === "bigint" ? value : /^[+-]?\d+$/.test(value) ? BigInt(value) : 0n;
  return (magnitude < 0n ? -magnitude : magnitude) <= signed ? signed : unsigned;
}

function describe(value: unknown): string {
  if (value instanceof Date) return "a date value";
  if (Array.isArray(value)) return "a list value";
  return `a value of type ${typeof value}`;
}
