import "server-only";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/db/generated/enums";
import { read } from "@/lib/db/read-pool";
import { notifyCredentialsChanged } from "@/lib/environments/change-feed";
import { cachedCredential, forgetCredentials } from "./credential-cache";
import { AppError } from "@/lib/errors";
import type { Actor } from "./actor";
import { can, type Permission } from "./permissions";
import type { CreateApiTokenInput } from "./schemas";
import { hashToken, newSecretToken } from "./secret-token";

export const TOKEN_PREFIX = "crl_";

interface TokenRow {
  id: string;
  scopes: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  user: { id: string; email: string; name: string; role: Role };
}
const TOUCH_AFTER_MS = 60_000;


const tokenSelect = { id: true, name: true, prefix: true, scopes: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true } as const;

function toDto(t: { id: string; name: string; prefix: string; scopes: string[]; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; createdAt: Date }) {
  return {
    ...t,
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

/**
 * The token's value is in this answer and nowhere else, ever. Only a signed-in person makes
 * tokens: a token that could mint another could escape its own scopes, expiry and revocation.
 */
export async function createApiToken(actor: Actor, input: CreateApiTokenInput) {
  if (actor.via !== "session") {
    throw new AppError("forbidden", "API tokens cannot create API tokens. Sign in to the portal and make one on the API tokens page.");
  }
  const beyondRole = input.scopes.filter((s) => !can(actor.role, s));
  if (beyondRole.length > 0) {
    throw new AppError("invalid_input", "Some fields are not valid.", {
      scopes: [`Your role (${actor.role}) does not have: ${beyondRole.join(", ")}.`],
    });
  }
  const token = newSecretToken(TOKEN_PREFIX);
  const row = await db.apiToken.create({
    data: {
      userId: actor.id,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scopes: input.scopes,
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
    },
    select: tokenSelect,
  });
  return { ...toDto(row), token };
}

export async function listApiTokens(actor: Actor) {
  const rows = await db.apiToken.findMany({ where: { userId: actor.id }, select: tokenSelect, orderBy: { createdAt: "desc" } });
  return { items: rows.map(toDto) };
}

export async function revokeApiToken(actor: Actor, id: string) {
  const { count } = await db.apiToken.updateMany({ where: { id, userId: actor.id, revokedAt: null }, data: { revokedAt: new Date() } });
  // Refused at once, in every process.
  if (count > 0) {
    forgetCredentials();
    await notifyCredentialsChanged(db);
  }
  if (count === 0) {
    const exists = await db.apiToken.findFirst({ where: { id, userId: actor.id }, select: { id: true } });
    if (!exists) throw new AppError("not_found", "There is no such token.");
  }
  const row = await db.apiToken.findUniqueOrThrow({ where: { id }, select: tokenSelect });
  return toDto(row);
}

/** The person behind a bearer token, or null when it is unknown, revoked or expired. */
export async function authenticateApiToken(token: string) {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  // Every API request asks this: one prepared statement, not a query engine's round (bench/api.ts).
  const hash = hashToken(token);
  const row = await cachedCredential(`token:${hash}`, async () => {
    const [found] = await read<TokenRow>(
      `SELECT t."id", t."scopes", t."expiresAt", t."revokedAt", t."lastUsedAt",
              json_build_object('id', u."id", 'email', u."email", 'name', u."name", 'role', u."role") AS "user"
       FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId" WHERE t."tokenHash" = $1`,
      [hash],
    );
    return found ?? null;
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
    // updateMany: a token deleted meanwhile is no error here.
    row.lastUsedAt = new Date();
    await db.apiToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: row.lastUsedAt } });
  }
  return { tokenId: row.id, scopes: row.scopes as Permission[], user: row.user };
}
