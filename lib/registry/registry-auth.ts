import "server-only";
import { z } from "zod";
import { type Challenge } from "./bearer-challenge";
import { type CallContext, fetchWithRetries, readJson } from "./registry-http";
import { RegistryProblem } from "./registry-problem";
import type { RegistryEndpoint } from "./repository-ref";

// The Authorization header a registry wants, per registry and scope: a bearer token from the
// token service its 401 names (Docker/Distribution's flow, with the configured credentials as
// basic auth, or none for anonymous pulls), or basic auth where the registry asks for that.
// Tokens are kept until shortly before they expire; the credentials never leave this module
// except as the header they are sent in.

const tokenAnswerSchema = z.object({
  token: z.string().min(1).optional(),
  access_token: z.string().min(1).optional(),
  expires_in: z.number().positive().optional(),
});

// The spec's default lifetime when a token service does not say.
const DEFAULT_TOKEN_SECONDS = 60;
const MAX_ENTRIES = 1_000;

export class AuthCache {
  private readonly entries = new Map<string, { header: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(endpoint: RegistryEndpoint, scope: string): string | undefined {
    const key = keyOf(endpoint, scope);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.header;
  }

  forget(endpoint: RegistryEndpoint, scope: string): void {
    this.entries.delete(keyOf(endpoint, scope));
  }

  /** Follows a 401's challenge to an Authorization header, and keeps it. */
  async authorize(ctx: CallContext, endpoint: RegistryEndpoint, challenge: Challenge | null, scope: string): Promise<string> {
    let header: string;
    let lifetimeSeconds = Number.POSITIVE_INFINITY;
    if (challenge?.scheme === "bearer") {
      const token = await fetchToken(ctx, endpoint, challenge, scope);
      header = `Bearer ${token.token}`;
      lifetimeSeconds = token.expiresIn;
    } else if (challenge?.scheme === "basic" && endpoint.credentials) {
      header = basic(endpoint.credentials);
    } else {
      throw noCredentials(endpoint);
    }
    // Renewed a little early, so a token does not expire between the check and the request.
    const margin = Math.min(10, lifetimeSeconds / 10);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(keyOf(endpoint, scope), { header, expiresAt: this.now() + (lifetimeSeconds - margin) * 1000 });
    return header;
  }
}

async function fetchToken(ctx: CallContext, endpoint: RegistryEndpoint, challenge: Challenge, scope: string): Promise<{ token: string; expiresIn: number }> {
  const realm = tokenRealm(endpoint, challenge.params.realm);
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
  url.searchParams.set("scope", challenge.params.scope || scope);
  const response = await fetchWithRetries(ctx, url.href, { accept: "application/json", ...(endpoint.credentials ? { authorization: basic(endpoint.credentials) } : {}) });
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel().catch(() => {});
    throw endpoint.credentials ? new RegistryProblem("refused", `the registry ${endpoint.host} refused the credentials`) : noCredentials(endpoint);
  }
  const body: unknown = response.ok ? await readJson(ctx, response) : await response.body?.cancel().catch(() => null);
  const parsed = tokenAnswerSchema.safeParse(body);
  const token = parsed.success ? (parsed.data.token ?? parsed.data.access_token) : undefined;
  if (!response.ok || !parsed.success || !token) {
    throw new RegistryProblem("unreachable", `the registry ${endpoint.host}'s token service ${response.ok ? "answered without a token" : `answered ${response.status}`}`);
  }
  return { token, expiresIn: parsed.data.expires_in ?? DEFAULT_TOKEN_SECONDS };
}

/** The token service's URL, refused when it would send credentials over plain http from an https registry. */
function tokenRealm(endpoint: RegistryEndpoint, realm: string | undefined): string {
  let url: URL | null = null;
  try {
    url = realm ? new URL(realm) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new RegistryProblem("unreachable", `the registry ${endpoint.host} asked for a token without naming a usable token service`);
  }
  if (url.protocol === "http:" && endpoint.url.startsWith("https:")) {
    throw new RegistryProblem("refused", `the registry ${endpoint.host} named a token service over plain http (${url.origin}); Corral does not send credentials there`);
  }
  return url.href;
}

function noCredentials(endpoint: RegistryEndpoint): RegistryProblem {
  return new RegistryProblem("refused", `the registry ${endpoint.host} asks for credentials, and CORRAL_REGISTRIES has none for it`);
}

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

function keyOf(endpoint: RegistryEndpoint, scope: string): string {
  return `${endpoint.url}\n${endpoint.credentials?.username ?? ""}\n${scope}`;
}
