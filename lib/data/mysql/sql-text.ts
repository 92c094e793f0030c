// The SQL text the MySQL copier writes: quoted names, literals, row filters it accepts, schema
// statements without their DEFINER, and rows in LOAD DATA's tab-separated form. Pure, so every
// rule that keeps a copy safe is unit-tested without a server.

/** `name`, with backticks doubled: any table or column name becomes one identifier. */
export function quoteIdentifier(name: string): string {
  if (name.includes("\0")) throw new Error("an identifier cannot contain NUL");
  return "`" + name.replaceAll("`", "``") + "`";
}

/** 'text' with quotes and backslashes escaped (the session never has NO_BACKSLASH_ESCAPES: the copier sets sql_mode). */
export function quoteString(text: string): string {
  return "'" + text.replace(/[\0\n\r\b\t\x1a'"\\]/g, (c) => STRING_ESCAPES[c]!) + "'";
}

const STRING_ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\n": "\\n",
  "\r": "\\r",
  "\b": "\\b",
  "\t": "\\t",
  "\x1a": "\\Z",
  "'": "\\'",
  '"': '\\"',
  "\\": "\\\\",
};

export { rowFilterProblem } from "./row-filter";

/**
 * Removes `DEFINER=user@host` from CREATE VIEW/TRIGGER/PROCEDURE/FUNCTION/EVENT text, so the
 * object belongs to whoever creates it (the target's user, which may not hold SUPER or SET USER).
 * Only the clause before the object's keyword is touched, never the body.
 */
export function stripDefiner(createStatement: string): string {
  const user = "(?:`(?:[^`]|``)*`|'(?:[^'\\\\]|\\\\.)*'|[^\\s@]+)";
  const host = "(?:`(?:[^`]|``)*`|'(?:[^'\\\\]|\\\\.)*'|[^\\s]+)";
  const definer = new RegExp(`^(\\s*CREATE\\b(?:(?!\\b(?:VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT)\\b)[\\s\\S])*?)\\s*DEFINER\\s*=\\s*(?:CURRENT_USER(?:\\(\\))?|${user}(?:@${host})?)`, "i");
  return createStatement.replace(definer, "$1");
}

/**
 * Removes the FOREIGN KEY clauses of a SHOW CREATE TABLE statement that `drop` selects (the ones
 * whose parent is not copied), returning the statement and the clauses removed. SHOW CREATE TABLE
 * writes one definition a line, each constraint on its own line, which is what this relies on.
 */
export function removeForeignKeys(createTable: string, drop: (referencedTable: string) => boolean): { sql: string; removed: string[] } {
  const lines = createTable.split("\n");
  const removed: string[] = [];
  const kept = lines.filter((line) => {
    const m = /^\s*(?:CONSTRAINT\s+`(?:[^`]|``)*`\s+)?FOREIGN KEY\s*\(.*?\)\s*REFERENCES\s+(?:`(?:[^`]|``)*`\.)?`((?:[^`]|``)*)`/i.exec(line);
    if (m && drop(m[1]!.replaceAll("``", "`"))) {
      removed.push(line.trim().replace(/,$/, ""));
      return false;
    }
    return true;
  });
  // The line before the closing parenthesis must not end with a comma any more.
  const close = kept.findIndex((line, i) => i > 0 && /^\)/.test(line));
  if (close > 0) kept[close - 1] = kept[close - 1]!.replace(/,\s*$/, "");
  return { sql: kept.join("\n"), removed };
}

/**
 * How a column's values travel: "text" as they are, "hex" as hexadecimal (binary strings, BLOBs and
 * geometry, whose bytes are not text in any character set), "bit" as a decimal number (LOAD DATA
 * would store the digits' bytes in a BIT column otherwise).
 */
export type ValueKind = "text" | "hex" | "bit";

const HEX_TYPES = new Set(["binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection"]);
export const GEOMETRY_TYPES = new Set(["geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection"]);

export function valueKind(dataType: string): ValueKind {
  const t = dataType.toLowerCase();
  if (t === "bit") return "bit";
  return HEX_TYPES.has(t) ? "hex" : "text";
}

/** A value as a field of LOAD DATA's default format (tab-separated, backslash escapes, \N for NULL). */
export function tsvField(value: unknown, kind: ValueKind): string {
  if (value === null || value === undefined) return "\\N";
  if (kind === "hex") return toBytes(value).toString("hex");
  if (kind === "bit") return bitNumber(value);
  if (typeof value === "string") return TSV_SPECIAL.test(value) ? value.replace(TSV_SPECIALS, (c) => TSV_ESCAPES[c]!) : value;
  if (Buffer.isBuffer(value)) return tsvField(value.toString("utf8"), kind);
  return tsvField(String(value), kind);
}

const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_SPECIALS = /[\\\t\n\r\0]/g;
const TSV_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0" };

/** A value as an SQL literal for a multi-row INSERT. */
export function sqlLiteral(value: unknown, kind: ValueKind): string {
  if (value === null || value === undefined) return "NULL";
  if (kind === "hex") {
    const bytes = toBytes(value);
    return bytes.length === 0 ? "''" : "X'" + bytes.toString("hex") + "'";
  }
  if (kind === "bit") return bitNumber(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "NULL";
  if (typeof value === "bigint") return value.toString();
  if (Buffer.isBuffer(value)) return quoteString(value.toString("utf8"));
  return quoteString(String(value));
}

function toBytes(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(String(value), "utf8");
}

/** A BIT value (read as big-endian bytes) as its decimal number. */
function bitNumber(value: unknown): string {
  if (!Buffer.isBuffer(value)) return BigInt(String(value)).toString();
  return value.length === 0 ? "0" : BigInt("0x" + value.toString("hex")).toString();
}
