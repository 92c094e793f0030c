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
}
