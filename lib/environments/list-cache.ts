import "server-only";
import { config } from "@/lib/config";
import { subscribeEnvironmentChanges } from "./change-feed";

// Pages of the environments list as their JSON, per viewer and query, kept while nothing
// changes: every change of any environment (its status, a version, a new one, a destroy) comes
// through the change feed and empties it, and while the feed is down nothing is kept. Names
// shown beside an environment (its template's, its cluster's) can be at most
// CORRAL_LIST_CACHE_SECONDS old. The
// list is what leads and dashboards poll; most polls see no change (bench/api.ts).

const MAX_ENTRIES = 2_000;

interface CacheState {
  entries: Map<string, { body: string; at: number }>;
  listening: boolean;
  subscribed: boolean;
  generation: number;
}

const globalForCache = globalThis as unknown as { corralListCache?: CacheState };
const state: CacheState = (globalForCache.corralListCache ??= { entries: new Map(), listening: false, subscribed: false, generation: 0 });

/** Forgets every page: something changed (called on this process's own writes, before the notice comes back). */
export function forgetListPages(): void {
  state.entries.clear();
  state.generation++;
}

function ensureSubscribed() {
  if (state.subscribed) return;
  state.subscribed = true;
  subscribeEnvironmentChanges(forgetListPages, {
    onListening: () => {
      forgetListPages();
      state.listening = true;
    },
    onLost: () => {
      state.listening = false;
      forgetListPages();
    },
  });
}

export async function cachedListPage(key: string, load: () => Promise<string>): Promise<string> {
  const ttlMs = config().CORRAL_LIST_CACHE_SECONDS * 1000;
  if (ttlMs === 0) return load();
  ensureSubscribed();
  const hit = state.entries.get(key);
  if (hit && state.listening && Date.now() - hit.at < ttlMs) return hit.body;
  const generation = state.generation;
  const body = await load();
  if (state.listening && state.generation === generation) {
    if (state.entries.size >= MAX_ENTRIES) state.entries.clear();
    state.entries.set(key, { body, at: Date.now() });
  }
  return body;
}
