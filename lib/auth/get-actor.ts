import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import type { Actor } from "./actor";
import { authenticateApiToken } from "./api-tokens";
import { SESSION_COOKIE } from "./cookie-names";
import { findSessionUser } from "./sessions";

/** The person behind a request: a bearer token, or else the session cookie. 401 without. */
export async function getActor(request: NextRequest): Promise<Actor> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const found = match?.[1] ? await authenticateApiToken(match[1]) : null;
    // A bad token is refused even if a cookie came along: the caller meant the token.
    if (!found) throw new AppError("unauthenticated", "The API token is unknown, revoked or expired.");
    return { ...found.user, via: `token:${found.tokenId}`, scopes: found.scopes };
  }
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  const session = token ? await findSessionUser(token) : null;
  if (!session) throw new AppError("unauthenticated", "Sign in, or send an API token as “Authorization: Bearer …”.");
  return { ...session.user, via: "session", scopes: null };
}
