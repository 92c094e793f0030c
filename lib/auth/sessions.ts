import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { read } from "@/lib/db/read-pool";
import { notifyCredentialsChanged } from "@/lib/environments/change-feed";
import { cachedCredential, forgetCredentials } from "./credential-cache";
import { SESSION_COOKIE } from "./cookie-names";
import { hashToken, newSecretToken } from "./secret-token";

// Updating lastSeenAt on every request would write on every read; once a minute is enough.
const TOUCH_AFTER_MS = 60_000;

export async function createSession(userId: string, method: "oidc" | "local", meta: { ip?: string | null; userAgent?: string | null }) {
  const token = newSecretToken();
  const expiresAt = new Date(Date.now() + config().SESSION_TTL_HOURS * 3_600_000);
  await db.session.create({
    data: { userId, method, tokenHash: hashToken(token), expiresAt, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 400) ?? null },
  });
  return { token, expiresAt };
}

export async function findSessionUser(token: string) {
  // Every page and API request asks this: one prepared statement (bench/api.ts).
  const hash = hashToken(token);
  const session = await cachedCredential(`session:${hash}`, async () => {
    const [found] = await read<{ id: string; expiresAt: Date; lastSeenAt: Date; user: { id: string; email: string; name: string; role: Role } }>(
      `SELECT s."id", s."expiresAt", s."lastSeenAt", json_build_object('id', u."id", 'email', u."email", 'name', u."name", 'role', u."role") AS "user"
       FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."tokenHash" = $1`,
      [hash],
    );
    return found ?? null;
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    // updateMany: a session signed out in another tab meanwhile is no error here.
    session.lastSeenAt = new Date();
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: session.lastSeenAt } });
  }
  return { sessionId: session.id, user: session.user };
}

export async function deleteSession(token: string) {
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
  // Signed out at once, in every process.
  forgetCredentials();
  await notifyCredentialsChanged(db);
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean) {
  return {
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    secure,
    sameSite: "lax" as const,
    path: "/",
    expires: expiresAt,
  };
}
