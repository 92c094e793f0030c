import "server-only";
import { z } from "zod";
import { ListenFeed, type SubscribeOptions } from "@/lib/db/listen-feed";
import { forgetListPages } from "./list-cache";
import type { PrismaClient } from "@/lib/db/generated/client";

// Environment changes travel through Postgres NOTIFY, so a change written by the worker in
// another process reaches the browsers watching through this one, and a change made inside
// a transaction is heard only once it commits.

export const CHANGE_CHANNEL = "corral_environment";
/** A session ended, a token was revoked, a person's role changed: caches of credentials are dropped. */
export const CREDENTIALS_CHANNEL = "corral_credentials";

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
  // This process's own pages of the list are stale now; other processes hear the notice.
  forgetListPages();
  const payload: EnvironmentChange = { id: change.id, status: change.status, at: new Date().toISOString() };
  await client.$executeRaw`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(payload)})`;
}

/** Tells every process that credentials changed (inside a transaction: on commit). */
export async function notifyCredentialsChanged(client: RawExecutor): Promise<void> {
  await client.$executeRaw`SELECT pg_notify(${CREDENTIALS_CHANNEL}, '')`;
}

/** A job of an environment moved (progress, end, a cancel request): one notice, with the environment's status as it is. */
export async function notifyJobChanged(client: RawExecutor, environmentId: string, job: JobNotice): Promise<void> {
  await client.$executeRaw`
    SELECT pg_notify(${CHANGE_CHANNEL}, json_build_object('id', "id", 'status', "status", 'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'job', ${JSON.stringify(job)}::json)::text)
    FROM "Environment" WHERE "id" = ${environmentId}`;
}

export type { SubscribeOptions };

// One LISTEN connection a feed and a process; Next.js reloads modules in development, so the
// feeds live on globalThis as the Prisma client does, and a reload does not open a second one.
const globalForFeeds = globalThis as unknown as { corralChangeFeed?: ListenFeed<EnvironmentChange>; corralCredentialFeed?: ListenFeed<null> };
const changes = (globalForFeeds.corralChangeFeed ??= new ListenFeed(CHANGE_CHANNEL, "corral-change-feed", parse));
const credentials = (globalForFeeds.corralCredentialFeed ??= new ListenFeed(CREDENTIALS_CHANNEL, "corral-credential-feed", () => null));

/** Hears every environment change until the returned function is called. */
export function subscribeEnvironmentChanges(listener: (change: EnvironmentChange) => void, options: SubscribeOptions = {}): () => void {
  return changes.subscribe(listener, options);
}

/**
 * Hears that credentials changed (a sign-out, a revocation, a role), and when its feed is lost
 * or back, so that a cache of credentials is trusted only while changes would be heard.
 */
export function subscribeCredentialChanges(handlers: { onChange: () => void; onListening: () => void; onLost: () => void }): () => void {
  return credentials.subscribe(handlers.onChange, { onListening: handlers.onListening, onLost: handlers.onLost });
}

/** How many environment listeners this process has; tests use it to prove none is leaked. */
export function listenerCount(): number {
  return changes.subscriberCount();
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
