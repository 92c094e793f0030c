import "server-only";
import { FeedCache } from "@/lib/db/feed-cache";
import { subscribeCredentialChanges } from "@/lib/environments/change-feed";

// Who a session cookie or an API token belongs to, remembered for a while in this process so
// that a request does not ask the database first thing (bench/api.ts: a round trip per
// request). Trusted only while this process hears credential changes: a sign-out, a revoked
// token or a changed role empties it at once in every process, and while the feed is down
// nothing is remembered at all.

const TTL_MS = 30_000;

const globalForCache = globalThis as unknown as { corralCredentialCache?: FeedCache<unknown> };
const cache = (globalForCache.corralCredentialCache ??= new FeedCache<unknown>((handlers) => subscribeCredentialChanges(handlers), 10_000));

/** The remembered answer for `key`, or the one `load` gives now (remembered, when found, if the feed is up). */
export async function cachedCredential<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
  return (await cache.get(key, TTL_MS, load)) as T | null;
}

/** Credentials changed here: forget now, before the notice comes back from Postgres (other processes hear it). */
export function forgetCredentials(): void {
  cache.clear();
}
