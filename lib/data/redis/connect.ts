import { Redis } from "ioredis";
import { type RetryPolicy, abortableSleep, backoffDelay } from "@/lib/dns/backoff";
import type { RedisEndpoint } from "../types";
import { describeRedisError, isTransientRedisError } from "./redis-problem";

// Connections for the Redis gateway. None of them reconnects or queues: a command on a dead
// connection fails at once with "Connection is closed" rather than waiting in ioredis's offline
// queue, so a copy whose connection drops fails fast (its job runs it again) and a single call is
// retried here, on a new connection, with jittered backoff.

export const REDIS_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 3_000 };

export interface OpenRedis {
  client: Redis;
  /** The last error the socket reported (ECONNREFUSED…), which ioredis only emits as an event. */
  lastError(): Error | undefined;
  close(): void;
}

export function describeEndpoint(e: RedisEndpoint): string {
  return `Redis at ${e.host}:${e.port} db ${e.db}${e.username ? ` as ${e.username}` : ""}`;
}

/** Connects and selects the endpoint's db; rejects with a DataProblem naming the endpoint. */
export async function openRedis(e: RedisEndpoint, o: { name?: string; commandTimeoutMs?: number } = {}): Promise<OpenRedis> {
  let last: Error | undefined;
  const client = new Redis({
    host: e.host,
    port: e.port,
    username: e.username,
    password: e.password,
    db: e.db,
    tls: e.tls ? { servername: e.host } : undefined,
    connectionName: o.name,
    // CLIENT SETINFO needs a permission read-only users may lack; nothing here needs it.
    disableClientInfo: true,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // Its INFO needs a permission read-only users lack (and it warns on the console); a loading server answers LOADING, which is retried.
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 10_000,
    commandTimeout: o.commandTimeoutMs,
    // RESP2 keeps replies the same whatever the server speaks (a Redis 5 source has no HELLO).
    protocol: 2,
  });
  // ioredis logs unhandled "error" events to the console; they are kept and classified instead.
  client.on("error", (error: Error) => {
    last = error;
  });
  const close = () => client.disconnect();
  try {
    await client.connect();
    // ioredis only reports a failed SELECT as an "error" event and goes on in db 0, where a copy would then write.
    await client.select(e.db);
  } catch (error) {
    close();
    throw describeRedisError(preferSocketError(error, last), describeEndpoint(e));
  }
  return { client, lastError: () => last, close };
}

/** The socket's own error (ECONNREFUSED) says more than ioredis's "Connection is closed". */
export function preferSocketError(error: unknown, socketError: Error | undefined): unknown {
  if (socketError && error instanceof Error && /Connection is closed|Stream isn't writeable/.test(error.message)) return socketError;
  return error;
}

/** Runs `work` on a fresh connection, again after transient failures, with jittered backoff. */
export async function withRedis<T>(e: RedisEndpoint, work: (client: Redis) => Promise<T>, o: { signal?: AbortSignal; name?: string; policy?: RetryPolicy } = {}): Promise<T> {
  const policy = o.policy ?? REDIS_RETRY;
  for (let attempt = 1; ; attempt++) {
    o.signal?.throwIfAborted();
    let conn: OpenRedis | undefined;
    try {
      conn = await openRedis(e, { name: o.name });
      const closeOnAbort = () => conn?.close();
      o.signal?.addEventListener("abort", closeOnAbort, { once: true });
      try {
        return await work(conn.client);
      } finally {
        o.signal?.removeEventListener("abort", closeOnAbort);
      }
    } catch (error) {
      if (o.signal?.aborted) throw o.signal.reason;
      const cause = preferSocketError(error, conn?.lastError());
      if (attempt >= policy.attempts || !isTransientRedisError(cause)) throw describeRedisError(cause, describeEndpoint(e));
      await abortableSleep(backoffDelay(attempt - 1, policy), o.signal);
    } finally {
      conn?.close();
    }
  }
}
