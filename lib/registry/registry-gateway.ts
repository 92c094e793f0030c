import "server-only";
import { z } from "zod";
import { config } from "@/lib/config";
import { log } from "@/lib/log";
import { parseChallenge } from "./bearer-challenge";
import type { RegistriesConfig } from "./registries-config";
import { AuthCache } from "./registry-auth";
import { type CallContext, type RetryPolicy, fetchWithRetries, readJson, timeoutProblem } from "./registry-http";
import { RegistryProblem } from "./registry-problem";
import { type RegistryEndpoint, endpointFor, parseRepository } from "./repository-ref";
import { sortTagsNewestFirst } from "./sort-tags";

// The only code that speaks the OCI distribution API. It lists a repository's tags (every
// page), authenticates the way the registry asks, retries what passes by itself, gives up at
// the call's deadline, and keeps answers — and failures, for less long — so that a picker
// opened by many people asks the registry once a minute, and a dead registry is not asked on
// every page view.

export interface RegistryGatewayOptions {
  registries: RegistriesConfig;
  /** The most one listing may take, tokens, retries and pages included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** How long a listing is served again. */
  cacheMs?: number;
  /** How long a failure is served again before the registry is asked anew. */
  failureCacheMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface RegistryGateway {
  /** The repository's tags, newest first; a RegistryProblem saying why not. */
  listTags(repository: string): Promise<string[]>;
  /** Forgets cached listings (of one repository, or all), so the next call asks the registry. */
  forget(repository?: string): void;
}

const tagListSchema = z.object({ tags: z.array(z.string()).nullable().optional() });
// Registries cap a page at what they like; asking for many keeps the pages few.
const PAGE_SIZE = 1_000;
const MAX_PAGES = 100;
const MAX_CACHED = 2_000;

export function createRegistryGateway(options: RegistryGatewayOptions): RegistryGateway {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const policy: RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000, ...options.retry };
  const cacheMs = options.cacheMs ?? 60_000;
  const failureCacheMs = options.failureCacheMs ?? 10_000;
  const now = options.now ?? Date.now;
  const auth = new AuthCache(now);
  const cache = new Map<string, { expiresAt: number; tags: Promise<string[]> }>();

  async function list(endpoint: RegistryEndpoint, path: string): Promise<string[]> {
    const ctx: CallContext = { host: endpoint.host, signal: AbortSignal.timeout(timeoutMs), deadline: Date.now() + timeoutMs, timeoutMs, policy, fetch: options.fetch ?? fetch };
    const scope = `repository:${path}:pull`;
    const tags: string[] = [];
    const seen = new Set<string>();
    let next: string | null = `${endpoint.url}/v2/${path}/tags/list?n=${PAGE_SIZE}`;
    try {
      while (next && seen.size < MAX_PAGES) {
        seen.add(next);
        const response = await authorizedGet(ctx, endpoint, next, scope);
        if (response.status === 404) throw new RegistryProblem("not-found", `the registry ${endpoint.host} has no repository ${path}`);
        if (response.status === 401 || response.status === 403) {
          throw new RegistryProblem("refused", `the registry ${endpoint.host} refused ${endpoint.credentials ? "the credentials for" : "anonymous access to"} ${path}`);
        }
        if (!response.ok) throw new RegistryProblem("unreachable", `the registry ${endpoint.host} answered ${response.status} for ${path}'s tags`);
        const page = tagListSchema.safeParse(await readJson(ctx, response));
        if (!page.success) throw new RegistryProblem("unreachable", `the registry ${endpoint.host} answered with something that is not a tag list`);
        tags.push(...(page.data.tags ?? []));
        const following = nextPage(response.headers.get("link"), next, endpoint.url);
        next = following && !seen.has(following) ? following : null;
      }
    } catch (error) {
      if (error instanceof RegistryProblem) throw error;
      // Reading a body can outlast the deadline too.
      if (ctx.signal.aborted) throw timeoutProblem(ctx);
      throw new RegistryProblem("unreachable", `the registry ${endpoint.host} could not be read`, { cause: error });
    }
    return sortTagsNewestFirst(tags);
  }

  // One try with what is cached; on a 401, the registry's challenge is followed once and the request made again.
  async function authorizedGet(ctx: CallContext, endpoint: RegistryEndpoint, url: string, scope: string): Promise<Response> {
    const headers = { accept: "application/json" };
    const cached = auth.get(endpoint, scope);
    const first = await fetchWithRetries(ctx, url, cached ? { ...headers, authorization: cached } : headers);
    if (first.status !== 401) return first;
    await first.body?.cancel().catch(() => {});
    if (cached) auth.forget(endpoint, scope);
    const authorization = await auth.authorize(ctx, endpoint, parseChallenge(first.headers.get("www-authenticate")), scope);
    return fetchWithRetries(ctx, url, { ...headers, authorization });
  }

  return {
    listTags(repository) {
      const ref = parseRepository(repository);
      const key = `${ref.host}/${ref.path}`;
      const hit = cache.get(key);
      if (hit && hit.expiresAt > now()) return hit.tags;
      const endpoint = endpointFor(ref.host, options.registries);
      // Callers asking while the registry is being asked share that one listing.
      const entry = { expiresAt: Number.POSITIVE_INFINITY, tags: list(endpoint, ref.path) };
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(key, entry);
      entry.tags.then(
        () => {
          entry.expiresAt = now() + cacheMs;
        },
        (error: unknown) => {
          entry.expiresAt = now() + failureCacheMs;
          const problem = error instanceof RegistryProblem ? error : null;
          log.warn({ registry: ref.host, repository: ref.path, kind: problem?.kind ?? "unknown", reason: problem?.message ?? String(error) }, "registry tags not listed");
        },
      );
      return entry.tags;
    },
    forget(repository) {
      if (repository === undefined) return cache.clear();
      const ref = parseRepository(repository);
      cache.delete(`${ref.host}/${ref.path}`);
    },
  };
}

/** The next page's URL from `Link: <…>; rel="next"`, on the registry's own origin only (it carries the token). */
function nextPage(link: string | null, current: string, base: string): string | null {
  const match = link ? /<([^>]*)>\s*;[^,]*\brel="?next"?/i.exec(link) : null;
  if (!match) return null;
  try {
    const url = new URL(match[1]!, current);
    return url.origin === new URL(base).origin ? url.href : null;
  } catch {
    return null;
  }
}

let shared: RegistryGateway | undefined;

/** The process's gateway, configured from CORRAL_REGISTRIES. */
export function registryGateway(): RegistryGateway {
  shared ??= createRegistryGateway({ registries: config().CORRAL_REGISTRIES });
  return shared;
}
