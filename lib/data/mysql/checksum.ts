import { quoteIdentifier } from "./sql-text";

// A table's rows and a checksum of them, computed by the server on each side with the same
// expression, so that a copy is proved without bringing its rows back through Node. Per row: a
// CRC32 of the columns' bytes joined by an unlikely separator, followed by which of them are NULL
// (CONCAT_WS skips NULLs, so NULL and '' would otherwise look the same); per table: the sum (a sum,
// not XOR, so that two identical rows do not cancel out).

export function checksumSql(table: string, columns: string[], filter?: string): string {
  const q = columns.map(quoteIdentifier);
  const crc = q.length === 0 ? "0" : `COALESCE(SUM(CRC32(CONCAT_WS(0x1f, ${q.join(", ")}, CONCAT(${q.map((c) => `ISNULL(${c})`).join(", ")})))), 0)`;
  return `SELECT COUNT(*) AS n, ${crc} AS crc FROM ${quoteIdentifier(table)}${filter ? ` WHERE (${filter})` : ""}`;
}

export interface TableChecksum {
  rows: number;
  checksum: string;
}

export function parseChecksum(row: { n: number | string; crc: number | string }): TableChecksum {
  return { rows: Number(row.n), checksum: String(row.crc) };
}
