import type { ColumnInfo } from "@/lib/data/types";
import type { MaskKind } from "./schemas";

// Which masking kinds make sense for which MySQL column types, and what a NOT NULL column gets
// for "null". Kinds that would write a value the column refuses (an e-mail into an INT, "7291-88-45"
// into a DATE) are reported before the copy by checkRulesAgainstSchema instead of failing it.

export type ColumnFamily = "text" | "binary" | "integer" | "decimal" | "float" | "temporal" | "json" | "enum" | "other";

const FAMILIES: Record<string, ColumnFamily> = {
  char: "text", varchar: "text", tinytext: "text", text: "text", mediumtext: "text", longtext: "text",
  binary: "binary", varbinary: "binary", tinyblob: "binary", blob: "binary", mediumblob: "binary", longblob: "binary",
  tinyint: "integer", smallint: "integer", mediumint: "integer", int: "integer", integer: "integer", bigint: "integer",
  decimal: "decimal", numeric: "decimal",
  float: "float", double: "float", real: "float",
  date: "temporal", datetime: "temporal", timestamp: "temporal", time: "temporal", year: "temporal",
  json: "json",
  enum: "enum", set: "enum",
};

export function columnFamily(dataType: string): ColumnFamily {
  return FAMILIES[dataType.toLowerCase()] ?? "other";
}

/** The largest signed and unsigned values of the integer types. */
export const INTEGER_MAX: Record<string, readonly [bigint, bigint]> = {
  tinyint: [127n, 255n],
  smallint: [32_767n, 65_535n],
  mediumint: [8_388_607n, 16_777_215n],
  int: [2_147_483_647n, 4_294_967_295n],
  integer: [2_147_483_647n, 4_294_967_295n],
  bigint: [9_223_372_036_854_775_807n, 18_446_744_073_709_551_615n],
};

const ALLOWED: Record<ColumnFamily, readonly MaskKind[]> = {
  text: ["email", "name", "fixed", "null", "keep", "hash-id"],
  // Text kept in binary columns (VARBINARY e-mails are common in older schemas) is masked as
  // UTF-8 text; hash-id masks the bytes themselves.
  binary: ["email", "name", "fixed", "null", "keep", "hash-id"],
  integer: ["fixed", "null", "keep", "hash-id"],
  decimal: ["fixed", "null", "keep", "hash-id"],
  float: ["fixed", "null", "keep", "hash-id"],
  temporal: ["fixed", "null", "keep"],
  json: ["fixed", "null", "keep"],
  enum: ["fixed", "null", "keep"],
  other: ["null", "keep"],
};

const KIND_WORDS: Record<MaskKind, string> = {
  email: "an e-mail rule",
  name: "a name rule",
  fixed: "a fixed rule",
  null: "a null rule",
  keep: "a keep rule",
  "hash-id": "a hash-id rule",
};

/** Why `kind` (with its fixed `value`) cannot mask `column`, in plain words, or null. */
export function kindProblem(kind: MaskKind, column: ColumnInfo, value?: string): string | null {
  const family = columnFamily(column.dataType);
  const type = column.dataType.toUpperCase();
  if (!ALLOWED[family].includes(kind)) {
    return `${KIND_WORDS[kind]} cannot mask ${a(type)} column (its values would not fit); use ${orList(ALLOWED[family].filter((k) => k !== "keep"))}.`;
  }
  if (kind === "fixed" && value !== undefined) {
    if (family === "integer" && !/^[+-]?\d+$/.test(value)) return `the fixed value of ${a(type)} column is a whole number, not “${value}”.`;
    if ((family === "decimal" || family === "float") && (value.trim() === "" || !Number.isFinite(Number(value)))) {
      return `the fixed value of ${a(type)} column is a number, not “${value}”.`;
    }
    if (family === "json" && !isJson(value)) return `the fixed value of a JSON column is JSON text (such as {} or "x"), not “${value}”.`;
  }
  if (kind === "null" && column.nullable === false && (family === "enum" || family === "other")) {
    return `the column is NOT NULL, and ${a(type)} column has no empty value to write instead; use a fixed value.`;
  }
  return null;
}

/**
 * What a "null" rule writes into a NOT NULL column: the type's plainest value. Dates take
 * 2000-01-01 rather than zero dates, which strict SQL modes refuse (and TIMESTAMP cannot hold 1970-01-01 00:00:00 in every zone).
 */
export function emptyValue(column: ColumnInfo): unknown {
  switch (column.dataType.toLowerCase()) {
    case "date":
      return "2000-01-01";
    case "datetime":
    case "timestamp":
      return "2000-01-01 00:00:00";
    case "time":
      return "00:00:00";
    case "year":
      return 2000;
  }
  switch (columnFamily(column.dataType)) {
    case "binary":
      return Buffer.alloc(0);
    case "integer":
    case "decimal":
    case "float":
      return 0;
    case "json":
      return "null";
    default:
      return "";
  }
}

function a(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? "an" : "a"} ${word}`;
}

function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}
