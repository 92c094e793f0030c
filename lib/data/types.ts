// The shapes the data layer's gateways share: where a store is, how a copy reports its progress,
// and what a verification found. The copiers (mysql/, redis/, s3/) take these and never see
// Prisma rows or the job queue; the copy job turns rows into these and progress into the feed.

export type StoreKind = "mysql" | "redis" | "s3";

export interface MysqlEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Require TLS on the connection (the server's certificate is verified). */
  tls?: boolean;
}

export interface RedisEndpoint {
  host: string;
  port: number;
  /** An ACL user (Redis 6+); absent for the default user. */
  username?: string;
  password?: string;
  /** The logical database (SELECT n). */
  db: number;
  /**
   * The keys this endpoint stands for: only keys under it are read, and written keys get it in
   * place of the source's own prefix ("" for the whole database).
   */
  keyPrefix: string;
  tls?: boolean;
}

export interface S3Location {
  /** A custom endpoint (the sandbox, MinIO); absent for AWS. */
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** "" for the whole bucket, else ends with "/". */
  prefix: string;
  forcePathStyle?: boolean;
}

/** Reported often by a copier (the caller throttles what it passes on). */
export interface StoreProgress {
  store: StoreKind;
  phase: "emptying" | "schema" | "copying" | "verifying" | "done";
  /** Tables, keys or objects finished / in all (in all is unknown until counted). */
  itemsDone: number;
  itemsTotal?: number;
  /** Rows (MySQL), keys (Redis) or objects (S3) copied, and the total when known. */
  unitsDone: number;
  unitsTotal?: number;
  bytesDone: number;
  bytesTotal?: number;
  /** What is being copied now: a table, a key pattern, an object key. */
  current?: string;
}

export type ProgressListener = (progress: StoreProgress) => void;

export interface VerificationItem {
  /** A table, "keys", a sampled key, "objects", an object key. */
  name: string;
  /** What was compared: "rows", "checksum", "count", "digest", "size", "etag". */
  measure: string;
  source: string;
  target: string;
  match: boolean;
}

export interface Verification {
  ok: boolean;
  items: VerificationItem[];
  /** Plain words per mismatch: "table orders: 1,204 rows in the source, 1,203 in the copy". */
  mismatches: string[];
}

export interface CopyResult {
  store: StoreKind;
  itemsCopied: number;
  unitsCopied: number;
  bytesCopied: number;
  verification: Verification;
  /**
   * MySQL only: how the source's readers were made to see one moment. "global-lock" when commits
   * were held off while every reader started its snapshot (BACKUP STAGE / FLUSH TABLES WITH READ
   * LOCK, which need RELOAD); "per-reader" when each reader took its own, a few milliseconds apart.
   */
  snapshot?: "global-lock" | "per-reader";
  /** What the copy left out or changed on purpose, in plain words (views on tables not copied…). */
  notes?: string[];
}

/** A column as the MySQL copier reads it from information_schema, in the table's order. */
export interface ColumnInfo {
  name: string;
  /** information_schema DATA_TYPE: "varchar", "int", "json", "blob"… */
  dataType: string;
  /** Generated (virtual or stored) columns are never written: the target computes them. */
  generated: boolean;
  /**
   * information_schema IS_NULLABLE. False: a "null" masking rule writes the type's empty value
   * instead (see lib/data/masking/column-types.ts). Absent: taken as nullable.
   */
  nullable?: boolean;
}

/**
 * Masks one row, given and returned in the order of the columns it was made for (generated
 * columns left out). Values arrive as the MySQL copier reads them: null, string, Buffer
 * (binary and BLOB columns) or number. Must be deterministic and cheap: it runs on every row.
 */
export type RowMasker = (row: unknown[]) => unknown[];

/** Gives the masker for a table's columns, or null when none of them has a rule. */
export type MysqlMaskFactory = (table: string, columns: ColumnInfo[]) => RowMasker | null;

/**
 * Masks Redis values by key. Keys it applies to are copied by reading and writing their values
 * (not DUMP/RESTORE, whose payload cannot be masked): strings through maskString, hashes field
 * by field through maskHashField; other types are copied as they are.
 */
export interface RedisMask {
  /** The key as in the source (with the source's prefix). */
  appliesTo(key: string): boolean;
  maskString(key: string, value: Buffer): Buffer;
  /** Returns the field's new value, or the value itself when the field has no rule. */
  maskHashField(key: string, field: string, value: Buffer): Buffer;
  /** Whether every rule the key matches is "keep": a list, set, sorted set or stream may then go as it is. */
  keepsAsIs(key: string): boolean;
}
