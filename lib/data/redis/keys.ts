// Key names between a source and a target: which keys a copy reads (a SCAN MATCH glob made of the
// source's prefix, taken literally, and the caller's pattern) and what each is called in the
// target (the source prefix replaced by the target's). Keys stay Buffers: Redis keys are binary.

/** Escapes Redis glob characters so that `prefix` matches only itself. */
export function escapeGlob(prefix: string): string {
  return prefix.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

/** The SCAN MATCH glob for keys under `prefix` matching `pattern` (a glob applied after the prefix). */
export function matchGlob(prefix: string, pattern?: string): string {
  return escapeGlob(prefix) + (pattern && pattern.length > 0 ? pattern : "*");
}

/** The key's name in the target: its source prefix replaced by the target's. */
export function mapKey(key: Buffer, sourcePrefix: Buffer, targetPrefix: Buffer): Buffer {
  if (sourcePrefix.length === 0 && targetPrefix.length === 0) return key;
  // SCAN MATCH already guarantees the prefix; checked anyway since a wrong name would write outside the store.
  if (key.length < sourcePrefix.length || !key.subarray(0, sourcePrefix.length).equals(sourcePrefix)) {
    throw new Error(`key "${key.toString()}" is not under the source prefix "${sourcePrefix.toString()}"`);
  }
  return Buffer.concat([targetPrefix, key.subarray(sourcePrefix.length)]);
}

/** A key as people read it (and as RedisMask.appliesTo takes it), control characters escaped. */
export function keyName(key: Buffer): string {
  return key.toString().replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export interface CopyPlan {
  /** SCAN COUNT: how much of the keyspace one SCAN call walks. */
  scanCount: number;
  /** Keys a batch carries (one pipeline of DUMP+PTTL, one of RESTORE). */
  batchKeys: number;
  /** Batches in flight at once, so that both servers always have work queued. */
  batchesInFlight: number;
  /** Bytes of payload held in flight before SCAN waits: the memory bound with big keys. */
  maxBytesInFlight: number;
}

/**
 * Batch sizes for a copy. A pattern that matches few keys makes most SCAN calls return little, so
 * SCAN walks more of the keyspace per call; in flight is about a few thousand keys, enough to hide
 * both round trips without holding much of the keyspace in memory.
 */
export function planCopy(o: { batchSize?: number; pattern?: string; maxBytesInFlight?: number }): CopyPlan {
  const batchKeys = clamp(Math.floor(o.batchSize ?? 1_000), 1, 10_000);
  const selective = !!o.pattern && o.pattern !== "*";
  return {
    scanCount: clamp(selective ? batchKeys * 10 : batchKeys, 10, 100_000),
    batchKeys,
    batchesInFlight: clamp(Math.ceil(8_000 / batchKeys), 2, 16),
    maxBytesInFlight: o.maxBytesInFlight ?? 64 * 1024 * 1024,
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
