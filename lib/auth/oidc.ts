import "server-only";
import * as oidc from "openid-client";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { notifyCredentialsChanged } from "@/lib/environments/change-feed";
import { forgetCredentials } from "./credential-cache";
import { safeReturnTo } from "./return-to";
import { parseRoleMap, roleFromGroups } from "./role-from-groups";
import type { SignInErrorCode } from "./sign-in-errors";

// Authorization code flow with PKCE, state and nonce, by openid-client: Corral writes no
// token validation of its own.

const LOGIN_TTL_S = 600;

class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    options?: { cause?: unknown },
  ) {
    super(code, options);
  }
}

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
      throw new AppError("unavailable", `The sign-in provider at ${issuer.origin} does not answer. Try again shortly.`, undefined, { cause: error });
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
    const parsed = JSON.parse(Buffer.from(cookieValue ?? "", "base64url").toString("utf8")) as Partial<PendingLogin>;
    if (typeof parsed.state === "string" && typeof parsed.verifier === "string" && typeof parsed.nonce === "string") {
      return { state: parsed.state, nonce: parsed.nonce, verifier: parsed.verifier, returnTo: safeReturnTo(parsed.returnTo) };
    }
  } catch {
    // fall through
  }
  throw new SignInError("expired");
}

/** Exchanges the code, checks state, nonce and PKCE, and returns the signed-in user. */
export async function finishLogin(callbackUrl: URL, pending: PendingLogin) {
  const cfg = await configuration().catch((error: unknown) => {
    throw new SignInError("unavailable", { cause: error });
  });
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    throw new SignInError("rejected", { cause: error });
  }
  const claims = tokens.claims();
  if (!claims) throw new SignInError("rejected");
  const c = config();
  let profile: Record<string, unknown> = { ...claims };
  if (!(c.OIDC_GROUPS_CLAIM in profile) || !profile.email) {
    profile = { ...(await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub)), ...profile };
  }
  const email = typeof profile.email === "string" ? profile.email.toLowerCase() : `${claims.sub}@${new URL(c.OIDC_ISSUER!).hostname}`;
  const name = typeof profile.name === "string" ? profile.name : typeof profile.preferred_username === "string" ? profile.preferred_username : email;
  const role = roleFromGroups(profile[c.OIDC_GROUPS_CLAIM], parseRoleMap(c.OIDC_ROLE_MAP));
  const user = await upsertOidcUser({ sub: claims.sub, email, emailVerified: profile.email_verified === true, name, role });
  // The role follows the provider's groups: open sessions and tokens of this person see it at once.
  forgetCredentials();
  await notifyCredentialsChanged(db);
  return { user, returnTo: pending.returnTo };
}

const userSelect = { id: true, email: true, name: true, role: true } as const;

/**
 * People are found by the provider's `sub`. An existing account is linked by e-mail only when
 * the provider vouches for the address and the account has no other provider identity, so an
 * unverified address cannot take over someone's account. The role follows the provider's groups
 * at every sign-in.
 */
async function upsertOidcUser(p: { sub: string; email: string; emailVerified: boolean; name: string; role: "developer" | "qa" | "lead" | "admin" }) {
  const bySub = await db.user.findUnique({ where: { oidcSubject: p.sub }, select: { id: true } });
  if (bySub) return db.user.update({ where: { id: bySub.id }, data: { name: p.name, role: p.role }, select: userSelect });
  const byEmail = await db.user.findUnique({ where: { email: p.email }, select: { id: true, oidcSubject: true } });
  if (byEmail) {
    if (!p.emailVerified || byEmail.oidcSubject) throw new SignInError("email-taken");
    return db.user.update({ where: { id: byEmail.id }, data: { oidcSubject: p.sub, name: p.name, role: p.role }, select: userSelect });
  }
  return db.user.upsert({
    where: { oidcSubject: p.sub },
    create: { oidcSubject: p.sub, email: p.email, name: p.name, role: p.role },
    update: { name: p.name, role: p.role },
    select: userSelect,
  });
}

/** The code the sign-in page turns into a fixed message; unexpected failures are logged whole. */
export function signInErrorCode(error: unknown, requestId: string): SignInErrorCode {
  if (error instanceof SignInError) {
    log.warn({ requestId, code: error.code, cause: String((error.cause as Error | undefined)?.message ?? "") }, "sign-in refused");
    return error.code;
  }
  log.error({ requestId, err: error }, "sign-in failed");
  return "failed";
}
