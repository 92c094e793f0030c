import { quoteIdentifier } from "./sql-text";

// A table's rows and a checksum of them, computed by the server on each side with the same
// expression, so that a copy is proved without bringing its rows back through Node. Per row: a
// CRC32 of the columns' bytes joined by an unlikely separator, followed by which of them are NULL
// (CONCAT_WS skips NULLs, so NULL and '' would otherwise look the same); per table: the sum (a sum,
// not XOR, so that two identical rows do not cancel out).

export function checksumSql(table: string, columns: string[], filter?: string): string {
  const crc = columns.length === 0 ? "0" : `COALESCE(SUM(${rowChecksumSql(columns)}), 0)`;
  return `SELECT COUNT(*) AS n, ${crc} AS crc FROM ${quoteIdentifier(table)}${filter ? ` WHERE (${filter})` : ""}`;
}

/** One row's part of the checksum: the copy reads it with the rows, and sums it as the server would. */
export function rowChecksumSql(columns: string[]): string {
  const q = columns.map(quoteIdentifier);
  return q.length === 0 ? "0" : `CRC32(CONCAT_WS(0x1f, ${q.join(", ")}, CONCAT(${q.map((c) => `ISNULL(${c})`).join(", ")})))`;
}

/** Sums rows' checksums exactly (a table's sum outgrows a double's integers past ~2 million rows). */
export class ChecksumSum {
  rows = 0;
  private total = 0n;
  private pending = 0;

  add(rowChecksum: unknown): void {
    this.pending += Number(rowChecksum);
    if (++this.rows % 1_000_000 === 0) this.flush();
  }

  result(): TableChecksum {
    this.flush();
    return { rows: this.rows, checksum: this.total.toString() };
  }

  private flush(): void {
    this.total += BigInt(this.pending);
    this.pending = 0;
  }
}

export interface TableChecksum {
  rows: number;
  checksum: string;
}

export function parseChecksum(row: { n: number | string; crc: number | string }): TableChecksum {
  return { rows: Number(row.n), checksum: String(row.crc) };
}
