import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { config } from "@/lib/config";

// Work that shares a concurrency key (an environment's id) never runs at once, across every
// kind of job and every worker process: each job holds a Postgres advisory lock on its key
// for as long as it runs. A session lock, on a connection of its own, so that a process that
// dies releases it at once (the server ends the session), and nothing has to expire.

const globalForLocks = globalThis as unknown as { corralLockPool?: pg.Pool };

function pool(): pg.Pool {
  globalForLocks.corralLockPool ??= new pg.Pool({ connectionString: config().DATABASE_URL, max: 20, application_name: "corral-job-locks" });
  // An idle connection's error must not crash the process; the next checkout gets a new one.
  globalForLocks.corralLockPool.on("error", () => {});
  return globalForLocks.corralLockPool;
}

/** The advisory lock key of a concurrency key: the first 63 bits of its SHA-256. */
export function lockKey(key: string): bigint {
  return createHash("sha256").update(`corral:${key}`).digest().readBigInt64BE(0);
}

/**
 * Waits for the key's lock (up to the signal's abort), runs `fn`, releases. The lock is held
 * on a connection of its own for the whole run.
 */
export async function withKeyLock<T>(key: string, signal: AbortSignal, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  const client = await pool().connect();
  let broken: Error | undefined;
  try {
    const id = lockKey(key).toString();
    const got = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [id]);
    if (!got.rows[0]?.locked) {
      onWait();
      // Blocks until the holder lets go; an abort ends the wait by cancelling the query.
      const cancel = () => void pool().query("SELECT pg_cancel_backend($1)", [(client as unknown as { processID: number }).processID]).catch(() => {});
      signal.addEventListener("abort", cancel, { once: true });
      try {
        await client.query("SELECT pg_advisory_lock($1::bigint)", [id]);
      } finally {
        signal.removeEventListener("abort", cancel);
      }
      signal.throwIfAborted();
    }
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [id]).catch((error: Error) => {
        broken = error;
      });
    }
  } catch (error) {
    broken ??= error instanceof Error && /canceling statement/.test(error.message) ? error : undefined;
    throw error;
  } finally {
    // A connection whose unlock failed may still hold the lock: close it rather than reuse it.
    client.release(broken);
  }
}

export async function closeKeyLocks(): Promise<void> {
  const p = globalForLocks.corralLockPool;
  globalForLocks.corralLockPool = undefined;
  await p?.end();
}
