import "server-only";
import { AppError } from "@/lib/errors";
import type { Actor } from "./actor";
import { authenticateApiToken } from "./api-tokens";
import { findSessionUser, SESSION_COOKIE } from "./sessions";

export type { Actor } from "./actor";

/** The person behind a request: a bearer token, or else the session cookie. 401 without. */
export async function getActor(request: Request): Promise<Actor> {
  const actor = await findActor(request);
  if (!actor) throw new AppError("unauthenticated", "Sign in, or send an API token as “Authorization: Bearer …”.");
  return actor;
}

export async function findActor(request: Request): Promise<Actor | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const found = match?.[1] ? await authenticateApiToken(match[1]) : null;
    // A bad token is refused even if a cookie came along: the caller meant the token.
    if (!found) throw new AppError("unauthenticated", "The API token is unknown, revoked or expired.");
    return { ...found.user, via: `token:${found.tokenId}`, scopes: found.scopes };
  }
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (!token) return null;
  const session = await findSessionUser(token);
  return session ? { ...session.user, via: "session", scopes: null } : null;
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}
