import { randomBytes, timingSafeEqual } from "node:crypto";

// The Docker/Distribution token flow: a client without a token gets a 401 whose
// WWW-Authenticate names a realm (this sandbox's /token), a service and the scope it needs;
// it asks the realm for a token with its basic credentials and retries with `Bearer <token>`.
// Tokens here are opaque random strings remembered with their grants, not signed JWTs: a
// client never looks inside one.

export interface RegistryCredentials {
  username: string;
  password: string;
}

export type Action = "pull" | "push";

interface Grant {
  /** repository → actions; "*" of `registry:catalog:*` is kept under the key "registry:catalog". */
  access: Map<string, Set<string>>;
  expiresAt: number;
}

export const CATALOG = "registry:catalog";

export class TokenIssuer {
  private readonly grants = new Map<string, Grant>();
  issued = 0;

  constructor(
    private readonly credentials: RegistryCredentials,
    private readonly ttlSeconds: () => number,
  ) {}

  /** Checks `Authorization: Basic …` and grants every scope asked for; null when the credentials are wrong or missing. */
  issue(authorization: string | undefined, scopes: string[]): { token: string; expiresIn: number; issuedAt: string } | null {
    if (!this.validBasic(authorization)) return null;
    const access = new Map<string, Set<string>>();
    for (const scope of scopes.flatMap((s) => s.split(" ")).filter(Boolean)) {
      const parsed = parseScope(scope);
      if (!parsed) continue;
      const key = parsed.type === "registry" ? CATALOG : parsed.name;
      const actions = access.get(key) ?? new Set<string>();
      for (const action of parsed.actions) actions.add(action);
      access.set(key, actions);
    }
    const token = randomBytes(24).toString("base64url");
    const expiresIn = this.ttlSeconds();
    this.grants.set(token, { access, expiresAt: Date.now() + expiresIn * 1000 });
    this.issued++;
    this.forgetExpired();
    return { token, expiresIn, issuedAt: new Date().toISOString() };
  }

  /** "ok", or why the bearer token does not let the request through. */
  check(authorization: string | undefined, need: { key: string; action: string } | null): "ok" | "missing" | "invalid" | "insufficient" {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) return "missing";
    const grant = this.grants.get(match[1]!);
    if (!grant || grant.expiresAt <= Date.now()) return "invalid";
    if (!need) return "ok";
    const actions = grant.access.get(need.key);
    return actions && (actions.has(need.action) || actions.has("*")) ? "ok" : "insufficient";
  }

  private validBasic(authorization: string | undefined): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? "");
    if (!match) return false;
    const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    return same(decoded.slice(0, colon), this.credentials.username) && same(decoded.slice(colon + 1), this.credentials.password);
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [token, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(token);
  }
}

/** `repository:shop/web:pull,push` or `registry:catalog:*`. */
export function parseScope(scope: string): { type: string; name: string; actions: string[] } | null {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first < 0 || last === first) return null;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(",").filter(Boolean) };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
