// The machine's own Redis for integration tests and benches, started if it is down.
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import type { RedisEndpoint } from "@/lib/data/types";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Logical databases are shared by every test file on the machine: each file takes its own
 * numbers from this table so that files running side by side never flush each other's keys.
 *   1–3  platform tests (stores, copy jobs, e2e)   8–15  the Redis copier's tests and bench
 */
export function redisEndpoint(db: number, keyPrefix = ""): RedisEndpoint {
  const url = new URL(REDIS_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db,
    keyPrefix,
  };
}

export function redisClient(db: number): Redis {
  const e = redisEndpoint(db);
  return new Redis({ host: e.host, port: e.port, username: e.username, password: e.password, db, lazyConnect: false, maxRetriesPerRequest: 2 });
}

export async function ensureLocalRedis(deadlineMs = 15_000): Promise<void> {
  if (await canConnect()) return;
  spawnSync("service", ["redis-server", "start"], { stdio: "ignore", timeout: deadlineMs });
  if (!(await canConnect())) spawnSync("redis-server", ["--daemonize", "yes", "--save", "", "--appendonly", "no"], { stdio: "ignore", timeout: deadlineMs });
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (await canConnect()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Redis does not answer at ${REDIS_URL}. Start it, or set TEST_REDIS_URL.`);
}

async function canConnect(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  const client = new Redis({ host: url.hostname, port: Number(url.port || 6379), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
