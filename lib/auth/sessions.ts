import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
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
  const session = await db.session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true, role: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    // updateMany: a session signed out in another tab meanwhile is no error here.
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  return { sessionId: session.id, user: session.user };
}

export async function deleteSession(token: string) {
  await db.session.deleteMany({ where: { tokenHash: hashToken(token) } });
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
