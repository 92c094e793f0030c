import "server-only";
import { createHash } from "node:crypto";
import pg from "pg";
import { config } from "@/lib/config";

// Work that shares a concurrency key (an environment's id) never runs at once, across every
// kind of job and every worker process: each job holds a Postgres advisory lock on its key
// for as long as it runs. A session lock, on a connection of its own, so that a process that
// dies releases it at once (the server ends the session), and nothing has to expire.

// Room for every job a worker may run at once (JOB_CONCURRENCY × keyed kinds), and then some.
const POOL_SIZE = 40;

const globalForLocks = globalThis as unknown as { corralLockPool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForLocks.corralLockPool) {
    const created = new pg.Pool({ connectionString: config().DATABASE_URL, max: POOL_SIZE, application_name: "corral-job-locks" });
    // An idle connection's error must not crash the process; the next checkout gets a new one.
    created.on("error", () => {});
    globalForLocks.corralLockPool = created;
  }
  return globalForLocks.corralLockPool;
}

/** The advisory lock key of a concurrency key: the first 63 bits of its SHA-256. */
export function lockKey(key: string): bigint {
  return createHash("sha256").update(`corral:${key}`).digest().readBigInt64BE(0);
}

/**
 * Waits for the key's lock (up to the signal's abort), runs `fn`, releases. The lock is held
 * on a connection of its own for the whole run; a connection that may still hold it after a
 * failure is closed, never reused.
 */
export async function withKeyLock<T>(key: string, signal: AbortSignal, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  const client = await pool().connect();
  const id = lockKey(key).toString();
  let locked = false;
  let unsafe = false;
  try {
    signal.throwIfAborted();
    locked = (await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [id])).rows[0]?.locked === true;
    if (!locked) {
      onWait();
      // Blocks until the holder lets go; an abort ends the wait by cancelling the query from another connection.
      const cancel = () => void cancelBackend((client as unknown as { processID: number }).processID);
      signal.addEventListener("abort", cancel, { once: true });
      try {
        if (signal.aborted) throw signal.reason;
        await client.query("SELECT pg_advisory_lock($1::bigint)", [id]);
        locked = true;
      } finally {
        signal.removeEventListener("abort", cancel);
      }
    }
    signal.throwIfAborted();
    return await fn();
  } catch (error) {
    // A cancelled wait may have been granted at the last moment: do not trust the connection.
    if (!locked) unsafe = true;
    throw error;
  } finally {
    if (locked) {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [id]).catch(() => {
        unsafe = true;
      });
    }
    client.release(unsafe || undefined);
  }
}

async function cancelBackend(pid: number): Promise<void> {
  const other = new pg.Client({ connectionString: config().DATABASE_URL, application_name: "corral-job-locks" });
  try {
    await other.connect();
    await other.query("SELECT pg_cancel_backend($1)", [pid]);
  } catch {
    // the wait ends on its own when the holder lets go
  } finally {
    await other.end().catch(() => {});
  }
}

export async function closeKeyLocks(): Promise<void> {
  const p = globalForLocks.corralLockPool;
  globalForLocks.corralLockPool = undefined;
  await p?.end();
}
