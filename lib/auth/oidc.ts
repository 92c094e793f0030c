import "server-only";
import * as oidc from "openid-client";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parseRoleMap, roleFromGroups } from "./role-from-groups";

// Authorization code flow with PKCE, state and nonce, by openid-client: Corral writes no
// token validation of its own.

export const LOGIN_COOKIE = "corral_oidc";
const LOGIN_TTL_S = 600;

let discovered: Promise<oidc.Configuration> | undefined;

function configuration(): Promise<oidc.Configuration> {
  const c = config();
  if (!c.OIDC_ISSUER || !c.OIDC_CLIENT_ID) throw new AppError("not_found", "Single sign-on is not configured.");
  const issuer = new URL(c.OIDC_ISSUER);
  // Plain http only for a provider on this machine (tests, a local Keycloak or Dex).
  const local = issuer.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
  discovered ??= oidc
    .discovery(issuer, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined)
    .catch((error: unknown) => {
      discovered = undefined;
      throw new AppError("unavailable", `The sign-in provider at ${issuer.origin} does not answer. Try again shortly.`, undefined, {
        cause: error,
      });
    });
  return discovered;
}

export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export async function startLogin(baseUrl: string, returnTo: string) {
  const cfg = await configuration();
  const pending: PendingLogin = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo: safeReturnTo(returnTo),
  };
  const url = oidc.buildAuthorizationUrl(cfg, {
    redirect_uri: `${baseUrl}/api/auth/oidc/callback`,
    scope: config().OIDC_SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, cookie: { value: Buffer.from(JSON.stringify(pending)).toString("base64url"), maxAge: LOGIN_TTL_S } };
}

export function readPendingLogin(cookieValue: string | undefined): PendingLogin {
  try {
    const parsed = JSON.parse(Buffer.from(cookieValue ?? "", "base64url").toString("utf8")) as PendingLogin;
    if (typeof parsed.state === "string" && typeof parsed.verifier === "string" && typeof parsed.nonce === "string") return parsed;
  } catch {
    // fall through
  }
  throw new AppError("invalid_input", "This sign-in has expired or was started in another browser. Start again.");
}

/** Exchanges the code, checks state, nonce and PKCE, and returns the signed-in user. */
export async function finishLogin(callbackUrl: URL, pending: PendingLogin) {
  const cfg = await configuration();
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new AppError("unauthenticated", "The sign-in provider's answer could not be verified. Start again.", undefined, {
      cause: error,
    });
  }
  const claims = tokens.claims();
  if (!claims) throw new AppError("unauthenticated", "The sign-in provider sent no identity.");
  const c = config();
  let profile: Record<string, unknown> = { ...claims };
  if (!(c.OIDC_GROUPS_CLAIM in profile) || !profile.email) {
    profile = { ...(await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub)), ...profile };
  }
  const email = typeof profile.email === "string" ? profile.email.toLowerCase() : `${claims.sub}@${new URL(c.OIDC_ISSUER!).hostname}`;
  const name = typeof profile.name === "string" ? profile.name : (typeof profile.preferred_username === "string" ? profile.preferred_username : email);
  const role = roleFromGroups(profile[c.OIDC_GROUPS_CLAIM], parseRoleMap(c.OIDC_ROLE_MAP));

  // The provider is the source of truth for a person's groups, so the role follows each sign-in.
  const existing = await db.user.findFirst({ where: { OR: [{ oidcSubject: claims.sub }, { email }] }, select: { id: true } });
  const user = existing
    ? await db.user.update({ where: { id: existing.id }, data: { oidcSubject: claims.sub, email, name, role }, select: userSelect })
    : await db.user.create({ data: { oidcSubject: claims.sub, email, name, role }, select: userSelect });
  return { user, returnTo: pending.returnTo };
}

const userSelect = { id: true, email: true, name: true, role: true } as const;

// Only paths on this site: an open redirect would hand a phishing page our sign-in.
export function safeReturnTo(value: string | null | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/environments";
}
