import "server-only";
import { subscribeCredentialChanges } from "@/lib/environments/change-feed";

// Who a session cookie or an API token belongs to, remembered for a while in this process so
// that a request does not ask the database first thing (bench/api.ts: a round trip per
// request). Trusted only while this process hears credential changes on the change feed's
// connection: a sign-out, a revoked token or a changed role empties it at once in every
// process, and while the feed is down nothing is remembered at all.

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  at: number;
}

interface CacheState {
  entries: Map<string, Entry<unknown>>;
  listening: boolean;
  subscribed: boolean;
  /** Bumped whenever the map is emptied, so that an answer loaded across a change is not kept. */
  generation: number;
}

const globalForCache = globalThis as unknown as { corralCredentialCache?: CacheState };
const state: CacheState = (globalForCache.corralCredentialCache ??= { entries: new Map(), listening: false, subscribed: false, generation: 0 });

function clear() {
  state.entries.clear();
  state.generation++;
}

function ensureSubscribed() {
  if (state.subscribed) return;
  state.subscribed = true;
  subscribeCredentialChanges({
    onChange: clear,
    onListening: () => {
      // Whatever changed while the feed was down went unheard.
      clear();
      state.listening = true;
    },
    onLost: () => {
      state.listening = false;
      clear();
    },
  });
}

/** The remembered answer for `key`, or the one `load` gives now (remembered, when found, if the feed is up). */
export async function cachedCredential<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
  ensureSubscribed();
  const hit = state.entries.get(key);
  if (hit && state.listening && Date.now() - hit.at < TTL_MS) return hit.value as T;
  const generation = state.generation;
  const value = await load();
  // Not an unknown credential (it may be created next), and nothing heard or lost while loading.
  if (value !== null && state.listening && state.generation === generation) {
    if (state.entries.size >= MAX_ENTRIES) state.entries.clear();
    state.entries.set(key, { value, at: Date.now() });
  }
  return value;
}

/** Credentials changed here: forget now, before the notice comes back from Postgres (other processes hear it). */
export function forgetCredentials(): void {
  clear();
}
