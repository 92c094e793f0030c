import "server-only";
import { config } from "@/lib/config";
import { FeedCache } from "@/lib/db/feed-cache";
import { subscribeEnvironmentChanges } from "./change-feed";

// Pages of the environments list as their JSON, per viewer and query, kept while nothing
// changes: every change of any environment (its status, a version, a new one, a destroy) comes
// through the change feed and empties it, and while the feed is down nothing is kept. Names
// shown beside an environment (its template's, its cluster's) can be at most
// CORRAL_LIST_CACHE_SECONDS old. The list is what leads and dashboards poll; most polls see no
// change (bench/api.ts).

const globalForCache = globalThis as unknown as { corralListCache?: FeedCache<string> };
const cache = (globalForCache.corralListCache ??= new FeedCache<string>(
  (handlers) => subscribeEnvironmentChanges(handlers.onChange, { onListening: handlers.onListening, onLost: handlers.onLost }),
  2_000,
));

/** Forgets every page: something changed (called on this process's own writes, before the notice comes back). */
export function forgetListPages(): void {
  cache.clear();
}

export async function cachedListPage(key: string, load: () => Promise<string>): Promise<string> {
  const ttlMs = config().CORRAL_LIST_CACHE_SECONDS * 1000;
  if (ttlMs === 0) return load();
  return (await cache.get(key, ttlMs, load))!;
}
