import type { Redis } from "ioredis";
import type { RedisEndpoint } from "../types";
import { withRedis } from "./connect";
import { matchGlob } from "./keys";

// Emptying a store: its prefix's keys, found with SCAN MATCH (never KEYS, which blocks the server
// for the whole keyspace) and removed with UNLINK (freed in the background). A store with no
// prefix is its whole logical database, emptied with FLUSHDB when the user may run it.

const SCAN_COUNT = 1_000;

/** Removes every key of the store; returns how many were removed (FLUSHDB: the db's size before). */
export async function emptyRedisStore(target: RedisEndpoint, signal?: AbortSignal): Promise<number> {
  return withRedis(target, (client) => emptyOn(client, target.keyPrefix, signal), { signal, name: "corral-empty" });
}

export async function emptyOn(client: Redis, keyPrefix: string, signal?: AbortSignal): Promise<number> {
  if (keyPrefix === "") {
    try {
      const size = await client.dbsize();
      await client.call("FLUSHDB", "ASYNC");
      return size;
    } catch (error) {
      // A user without FLUSHDB (it is @dangerous) may still remove the keys one by one.
      if (!(error instanceof Error && error.message.startsWith("NOPERM"))) throw error;
    }
  }
  return unlinkMatching(client, matchGlob(keyPrefix), signal);
}

export async function unlinkMatching(client: Redis, glob: string, signal?: AbortSignal): Promise<number> {
  let removed = 0;
  let cursor = "0";
  do {
    signal?.throwIfAborted();
    const [next, keys] = await client.scanBuffer(cursor, "MATCH", glob, "COUNT", SCAN_COUNT);
    cursor = next.toString();
    if (keys.length > 0) removed += await client.unlink(...keys);
  } while (cursor !== "0");
  return removed;
}

/** How many keys the store holds (DBSIZE for a whole db, else a SCAN count). */
export async function countKeys(client: Redis, keyPrefix: string, pattern?: string): Promise<number> {
  if (keyPrefix === "" && (!pattern || pattern === "*")) return client.dbsize();
  const glob = matchGlob(keyPrefix, pattern);
  let count = 0;
  let cursor = "0";
  do {
    const [next, keys] = await client.scanBuffer(cursor, "MATCH", glob, "COUNT", SCAN_COUNT * 10);
    cursor = next.toString();
    count += keys.length;
  } while (cursor !== "0");
  return count;
}
