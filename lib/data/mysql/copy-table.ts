import { Readable } from "node:stream";
import type { Socket } from "node:net";
import { DataProblem } from "../data-problem";
import type { RowMasker } from "../types";
import { RowBatch, batchLimits } from "./batches";
import { ChecksumSum, rowChecksumSql, type TableChecksum } from "./checksum";
import { coreOf, type MysqlConnection } from "./connection";
import type { CopiedColumn } from "./schema";
import { GEOMETRY_TYPES, quoteIdentifier, quoteString, sqlLiteral, tsvField } from "./sql-text";

// One table's rows from a reader (inside its snapshot) to a writer, streamed: the source query is
// read row by row with the connection paused while the target catches up, so memory holds a few
// MB per table whatever the table's size.

export type LoadMethod = "load-data" | "insert";

export interface TableCopy {
  table: string;
  /** The columns written (generated ones left out), in the table's order. */
  columns: CopiedColumn[];
  filter?: string;
  masker: RowMasker | null;
  method: LoadMethod;
  maxAllowedPacket: number;
  signal?: AbortSignal;
  onRows: (rows: number, bytes: number) => void;
  /** Awaited after each chunk is handed to the target (tests use it to act mid-table). */
  afterChunk?: (table: string) => Promise<void>;
  /** Columns whose checksum the source computes in the same read, so the table is scanned once (generated ones may be among them). */
  checksumColumns?: string[];
}

export interface TableCopied {
  rows: number;
  bytes: number;
  /** Indexes (in `columns`) of the columns the masker changed in at least one row. */
  maskedColumns: Set<number>;
  /** The source's checksum of `checksumColumns` over the rows read, when asked for. */
  sourceChecksum?: TableChecksum;
}

/** LOAD DATA chunks: big enough to amortise a packet, small enough to hold a few per table. */
const CHUNK_CHARS = 1 << 20;
/** Pause reading the source when this much is still queued for the target's socket. */
const SOCKET_HIGH_WATER = 8 << 20;
/** mysql2 writes each chunk as one packet; the protocol's limit is 16 MB. */
const MAX_PACKET_SLICE = 8 << 20;

export async function copyTableRows(reader: MysqlConnection, writer: MysqlConnection, o: TableCopy): Promise<TableCopied> {
  const selectList = o.columns.map((c) => (GEOMETRY_TYPES.has(c.dataType.toLowerCase()) ? `CAST(${quoteIdentifier(c.name)} AS BINARY)` : quoteIdentifier(c.name))).join(", ");
  const sum = o.checksumColumns ? new ChecksumSum() : null;
  const sql = `SELECT ${selectList}${o.checksumColumns ? `, ${rowChecksumSql(o.checksumColumns)}` : ""} FROM ${quoteIdentifier(o.table)}${o.filter ? ` WHERE (${o.filter})` : ""}`;
  const query = coreOf(reader).query({ sql, rowsAsArray: true });
  const rows = query.stream({ highWaterMark: 1000 });
  // The query's error must reach whoever reads the rows, even one that starts reading after it came
  // (LOAD DATA reads them only once the server asks for the file), and must never go unhandled.
  query.on("error", (error: Error) => rows.destroy(error));
  rows.on("error", () => {});
  const maskedColumns = new Set<number>();
  const masking = o.masker ? maskingWith(o.masker, maskedColumns, o.columns.length) : null;
  // The row's checksum is its last field: summed here, never written.
  const mask: Mask | null = sum
    ? (row) => {
        sum.add(row.pop());
        return masking ? masking(row) : row;
      }
    : masking;
  try {
    const result = o.method === "load-data" ? await loadData(rows, writer, o, mask) : await insertRows(rows, writer, o, mask);
    return { ...result, maskedColumns, sourceChecksum: sum?.result() };
  } finally {
    rows.destroy();
  }
}

type Mask = (row: unknown[]) => unknown[];

function maskingWith(masker: RowMasker, changed: Set<number>, width: number): Mask {
  return (row) => {
    const out = masker(row);
    if (out.length !== width) throw new DataProblem("invalid", `the masker returned ${out.length} values for ${width} columns`);
    for (let i = 0; i < width; i++) {
      if (changed.has(i)) continue;
      const a = row[i];
      const b = out[i];
      if (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? !a.equals(b) : a !== b) changed.add(i);
    }
    return out;
  };
}

async function loadData(rows: Readable, writer: MysqlConnection, o: TableCopy, mask: Mask | null): Promise<{ rows: number; bytes: number }> {
  const socket = (coreOf(writer) as unknown as { stream: Socket }).stream;
  const kinds = o.columns.map((c) => c.kind);
  const targets: string[] = [];
  const sets: string[] = [];
  o.columns.forEach((c, i) => {
    if (c.kind === "text") return targets.push(quoteIdentifier(c.name));
    targets.push(`@c${i}`);
    sets.push(`${quoteIdentifier(c.name)} = ${c.kind === "hex" ? `UNHEX(@c${i})` : `CAST(@c${i} AS UNSIGNED)`}`);
  });
  // The name is only what the server asks the client for; the factory below answers with the stream whatever it is.
  const fileName = `corral-${o.table}.tsv`;
  const statement =
    `LOAD DATA LOCAL INFILE ${quoteString(fileName)} INTO TABLE ${quoteIdentifier(o.table)} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${targets.join(", ")})` +
    (sets.length ? ` SET ${sets.join(", ")}` : "");

  let count = 0;
  let bytes = 0;
  let readError: unknown;
  async function* body(): AsyncGenerator<Buffer> {
    let parts: string[] = [];
    let chars = 0;
    let pending = 0;
    const flush = async function* () {
      const chunk = Buffer.from(parts.join(""), "utf8");
      parts = [];
      chars = 0;
      for (let at = 0; at < chunk.length; at += MAX_PACKET_SLICE) yield chunk.subarray(at, at + MAX_PACKET_SLICE);
      bytes += chunk.length;
      count += pending;
      o.onRows(pending, chunk.length);
      pending = 0;
      if (socket.writableLength > SOCKET_HIGH_WATER) await drained(socket);
      await o.afterChunk?.(o.table);
    };
    try {
      for await (const raw of rows as AsyncIterable<unknown[]>) {
        o.signal?.throwIfAborted();
        const row = mask ? mask(raw) : raw;
        let line = "";
        for (let i = 0; i < row.length; i++) line += (i ? "\t" : "") + tsvField(row[i], kinds[i]!);
        line += "\n";
        parts.push(line);
        chars += line.length;
        pending++;
        if (chars >= CHUNK_CHARS) yield* flush();
      }
      if (pending > 0) yield* flush();
    } catch (error) {
      readError = error;
      throw error;
    }
  }
  const stream = Readable.from(body(), { objectMode: false, highWaterMark: 1 });
  try {
    await writer.query({ sql: statement, infileStreamFactory: (name: string) => (name === fileName ? stream : Readable.from([])) } as never);
  } catch (error) {
    throw readError ?? error;
  } finally {
    stream.destroy();
  }
  if (readError) throw readError;
  return { rows: count, bytes };
}

async function insertRows(rows: Readable, writer: MysqlConnection, o: TableCopy, mask: Mask | null): Promise<{ rows: number; bytes: number }> {
  const kinds = o.columns.map((c) => c.kind);
  const prefix = `INSERT INTO ${quoteIdentifier(o.table)} (${o.columns.map((c) => quoteIdentifier(c.name)).join(", ")}) VALUES `;
  const batch = new RowBatch(batchLimits(o.maxAllowedPacket), Buffer.byteLength(prefix));
  let count = 0;
  let bytes = 0;
  const send = async () => {
    const n = batch.size;
    const size = batch.byteLength;
    await writer.query(prefix + batch.take(","));
    count += n;
    bytes += size;
    o.onRows(n, size);
    await o.afterChunk?.(o.table);
  };
  // One transaction a table: InnoDB (MariaDB 10.6+) then loads an empty table in bulk, building its indexes once.
  await writer.query("START TRANSACTION");
  for await (const raw of rows as AsyncIterable<unknown[]>) {
    o.signal?.throwIfAborted();
    const row = mask ? mask(raw) : raw;
    let tuple = "(";
    for (let i = 0; i < row.length; i++) tuple += (i ? "," : "") + sqlLiteral(row[i], kinds[i]!);
    tuple += ")";
    const size = Buffer.byteLength(tuple);
    if (!batch.fits(size)) {
      throw new DataProblem("invalid", `a row of ${size} bytes does not fit in the target's max_allowed_packet (${o.maxAllowedPacket} bytes); raise it on the target`);
    }
    if (batch.wouldOverflow(size)) await send();
    batch.add(tuple, size);
  }
  if (batch.size > 0) await send();
  await writer.query("COMMIT");
  return { rows: count, bytes };
}

/** Resolves when the socket has room again, or is gone (the query then fails and says why). */
function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    const done = () => {
      socket.off("drain", done);
      socket.off("close", done);
      socket.off("error", done);
      resolve();
    };
    socket.on("drain", done);
    socket.on("close", done);
    socket.on("error", done);
  });
}
