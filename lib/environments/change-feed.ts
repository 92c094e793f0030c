import "server-only";
import pg from "pg";
import { z } from "zod";
import { config } from "@/lib/config";
import type { PrismaClient } from "@/lib/db/generated/client";
import { log } from "@/lib/log";

// Environment changes travel through Postgres NOTIFY, so a change written by the worker in
// another process reaches the browsers watching through this one, and a change made inside
// a transaction is heard only once it commits.

export const CHANGE_CHANNEL = "corral_environment";

const jobNoticeSchema = z.object({
  id: z.string().min(1).max(64),
  kind: z.string().min(1).max(64),
  status: z.string().min(1).max(32),
  /** A person asked for it to stop: the worker running it aborts it. */
  cancel: z.boolean().optional(),
});

const changeSchema = z.object({
  id: z.string().min(1).max(64),
  status: z.string().min(1).max(64),
  at: z.iso.datetime({ offset: true }),
  /** Set when what changed is one of the environment's jobs (its progress, its end). */
  job: jobNoticeSchema.optional(),
});

export type EnvironmentChange = z.infer<typeof changeSchema>;
export type JobNotice = z.infer<typeof jobNoticeSchema>;

/** `db` or an interactive transaction's `tx`: inside a transaction the notice goes out on commit. */
export type RawExecutor = Pick<PrismaClient, "$executeRaw">;

export async function notifyEnvironmentChanged(client: RawExecutor, change: { id: string; status: string }): Promise<void> {
  const payload: EnvironmentChange = { id: change.id, status: change.status, at: new Date().toISOString() };
  await client.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(payload)})`;
}

/** A job of an environment moved (progress, end, a cancel request): one notice, with the environment's status as it is. */
export async function notifyJobChanged(client: RawExecutor, environmentId: string, job: JobNotice): Promise<void> {
  await client.$executeRaw`
    SELECT pg_notify(${CHANGE_CHANNEL}, json_build_object('id', "id", 'status', "status", 'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'job', ${JSON.stringify(job)}::json)::text)
    FROM "Environment" WHERE "id" = ${environmentId}`;
}

export interface SubscribeOptions {
  /**
   * Called when this subscriber starts hearing changes (LISTEN is active), and again after
   * the feed's connection was lost and restored with `gap` true: changes in between were missed.
   */
  onListening?: (info: { gap: boolean }) => void;
}

interface Subscriber {
  onChange: (change: EnvironmentChange) => void;
  onListening?: SubscribeOptions["onListening"];
  /** Whether onListening has been called since the feed last (re)connected. */
  told: boolean;
  /** Whether the feed lost its connection while this subscriber was waiting on it. */
  gap: boolean;
}

interface FeedState {
  subscribers: Set<Subscriber>;
  client: pg.Client | null;
  listening: boolean;
  retry: ReturnType<typeof setTimeout> | null;
  attempt: number;
}

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 30_000;
const APPLICATION_NAME = "corral-change-feed";

// One LISTEN connection per process; Next.js reloads modules in development, so the state
// lives on globalThis as the Prisma client does, and a reload does not open a second one.
const globalForFeed = globalThis as unknown as { corralChangeFeed?: FeedState };
const state: FeedState = (globalForFeed.corralChangeFeed ??= { subscribers: new Set(), client: null, listening: false, retry: null, attempt: 0 });

/** Hears every environment change until the returned function is called. */
export function subscribeEnvironmentChanges(listener: (change: EnvironmentChange) => void, options: SubscribeOptions = {}): () => void {
  // Joining while the feed is reconnecting: whatever the caller read meanwhile may be stale.
  const subscriber: Subscriber = { onChange: listener, onListening: options.onListening, told: false, gap: state.attempt > 0 };
  state.subscribers.add(subscriber);
  if (state.listening) queueMicrotask(() => tell(subscriber));
  else if (!state.client && !state.retry) void connect();
  return () => {
    if (!state.subscribers.delete(subscriber)) return;
    if (state.subscribers.size === 0) disconnect();
  };
}

/** How many subscribers this process has; tests use it to prove none is leaked. */
export function listenerCount(): number {
  return state.subscribers.size;
}

async function connect(): Promise<void> {
  const client = new pg.Client({ connectionString: config().DATABASE_URL, application_name: APPLICATION_NAME, keepAlive: true });
  state.client = client;
  // Without an error listener, a dropped connection would crash the process.
  client.on("error", (err) => lost(client, err));
  client.on("end", () => lost(client, null));
  client.on("notification", (message) => {
    if (message.channel === CHANGE_CHANNEL) dispatch(message.payload);
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  } catch (err) {
    lost(client, err);
    return;
  }
  if (state.client !== client) return; // the last subscriber left while this was connecting
  if (state.attempt > 0) log.info({ attempts: state.attempt }, "change feed reconnected");
  state.attempt = 0;
  state.listening = true;
  for (const subscriber of state.subscribers) tell(subscriber);
}

function lost(client: pg.Client, err: unknown): void {
  if (state.client !== client) return; // already handled, or closed on purpose
  state.client = null;
  for (const subscriber of state.subscribers) {
    if (state.listening || subscriber.told) subscriber.gap = true;
    subscriber.told = false;
  }
  state.listening = false;
  client.end().catch(() => {});
  if (state.subscribers.size === 0) return;
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** state.attempt) * (0.5 + Math.random() / 2);
  state.attempt++;
  // The error's message and code only: pg's errors can carry connection parameters.
  const reason = err instanceof Error ? { message: err.message, code: (err as { code?: unknown }).code } : { message: "connection ended" };
  log.warn({ ...reason, retryInMs: Math.round(delay), attempt: state.attempt }, "change feed lost its connection");
  state.retry = setTimeout(() => {
    state.retry = null;
    if (state.subscribers.size > 0 && !state.client) void connect();
  }, delay);
  state.retry.unref?.();
}

function disconnect(): void {
  if (state.retry) clearTimeout(state.retry);
  state.retry = null;
  state.attempt = 0;
  state.listening = false;
  const client = state.client;
  state.client = null;
  client?.end().catch(() => {});
}

function tell(subscriber: Subscriber): void {
  if (subscriber.told || !state.listening || !state.subscribers.has(subscriber)) return;
  subscriber.told = true;
  const gap = subscriber.gap;
  subscriber.gap = false;
  try {
    subscriber.onListening?.({ gap });
  } catch (err) {
    log.error({ err }, "change feed subscriber failed");
  }
}

function dispatch(payload: string | undefined): void {
  const change = parse(payload);
  if (!change) {
    log.warn({ length: payload?.length ?? 0 }, "change feed ignored a malformed notification");
    return;
  }
  for (const subscriber of [...state.subscribers]) {
    try {
      subscriber.onChange(change);
    } catch (err) {
      log.error({ err }, "change feed subscriber failed");
    }
  }
}

function parse(payload: string | undefined): EnvironmentChange | null {
  if (!payload) return null;
  try {
    const result = changeSchema.safeParse(JSON.parse(payload));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
