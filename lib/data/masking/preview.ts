import { isUtf8 } from "node:buffer";
import type { ColumnInfo } from "@/lib/data/types";
import type { MaskSecret } from "./mask-value";
import { createMysqlMasker } from "./mysql-masker";
import type { ColumnRule } from "./schemas";

// The admin UI's preview: sample rows of a table before and after the rules being edited,
// through the very masker a copy uses. Rows come in the order of `columns`, generated columns
// included (shown as they are: the copy never writes them). Values are made ready for JSON and
// a table cell: bytes as text when UTF-8 else 0x-hex, dates as ISO text, big integers as text.

export interface MaskingPreview {
  columns: string[];
  before: unknown[][];
  after: unknown[][];
  /** Columns the rules change (keep rules and generated columns left out). */
  masked: string[];
}

export function previewMasking(
  rules: readonly ColumnRule[],
  secret: MaskSecret,
  table: string,
  columns: readonly ColumnInfo[],
  rows: readonly unknown[][],
): MaskingPreview {
  const masker = createMysqlMasker(rules, secret)(table, [...columns]);
  const written = columns.flatMap((column, index) => (column.generated ? [] : [index]));
  const after = rows.map((row) => {
    if (!masker) return row;
    const masked = masker(written.map((index) => row[index]));
    const out = row.slice();
    written.forEach((index, i) => (out[index] = masked[i]));
    return out;
  });
  const tableRules = rules.filter((rule) => rule.table === table && rule.kind !== "keep").map((rule) => rule.column.toLowerCase());
  return {
    columns: columns.map((column) => column.name),
    before: rows.map((row) => row.map(displayValue)),
    after: after.map((row) => row.map(displayValue)),
    masked: columns.filter((column) => !column.generated && tableRules.includes(column.name.toLowerCase())).map((column) => column.name),
  };
}

function displayValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return isUtf8(value) ? value.toString("utf8") : `0x${value.toString("hex")}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (typeof value === "bigint") return value.toString();
  return value;
}
