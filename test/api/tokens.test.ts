import { describe, expect, it } from "vitest";
import { GET as listEnvs, POST as createEnv } from "@/app/api/v1/environments/route";
import { GET as me } from "@/app/api/v1/me/route";
import { DELETE as revoke } from "@/app/api/v1/tokens/[id]/route";
import { GET as listTokens, POST as createToken } from "@/app/api/v1/tokens/route";
import { hashToken } from "@/lib/auth/secret-token";
import { db } from "@/lib/db/client";
import { callRoute } from "../support/call-route";
import { ORIGIN, signedIn } from "../support/sign-in";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newToken(headers: Record<string, string>, body: unknown) {
  return callRoute(createToken, { method: "POST", body, headers });
}

describe("API tokens", () => {
  it("create → use → revoke → refused", async () => {
    const dev = await signedIn("developer");
    const created = await newToken(dev.headers, { name: "ci", scopes: ["environments:read", "environments:create"], expiresInDays: 30 });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^crl_[A-Za-z0-9_-]{43}$/);

    // Stored only as a hash.
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    // Used from a pipeline: no cookie, no Origin.
    const used = await callRoute(createEnv, { method: "POST", body: { name: `tok-${Date.now()}`, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers: bearer(token) });
    expect(used.status).toBe(202);
    expect(used.body.owner.email).toBe(dev.user.email);
    const who = await callRoute(me, { headers: bearer(token) });
    expect(who.status).toBe(403); // profile:read was not among its scopes

    // Listed with its last use, never its value.
    const listed = await callRoute(listTokens, { headers: dev.headers });
    expect(listed.body.items[0]).toMatchObject({ id: created.body.id, name: "ci", prefix: token.slice(0, 10) });
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const revoked = await callRoute(revoke, { method: "DELETE", params: { id: created.body.id }, headers: dev.headers });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();

    const refused = await callRoute(listEnvs, { headers: bearer(token) });
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toMatch(/revoked or expired/);
  });

  it("refuses an expired token and an unknown one", async () => {
    const dev = await signedIn("developer");
    const created = await newToken(dev.headers, { name: "short", scopes: ["environments:read"], expiresInDays: 1 });
    await db.apiToken.update({ where: { id: created.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await callRoute(listEnvs, { headers: bearer(created.body.token) })).status).toBe(401);
    expect((await callRoute(listEnvs, { headers: bearer("crl_not-a-real-token") })).status).toBe(401);
    expect((await callRoute(listEnvs, { headers: bearer("garbage") })).status).toBe(401);
  });

  it("limits a token to its scopes and its owner's role", async () => {
    const qa = await signedIn("qa");
    const beyond = await newToken(qa.headers, { name: "x", scopes: ["audit:read"], expiresInDays: 7 });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error.details.scopes[0]).toMatch(/does not have: audit:read/);

    const readOnly = await newToken(qa.headers, { name: "ro", scopes: ["environments:read"], expiresInDays: 7 });
    const write = await callRoute(createEnv, { method: "POST", body: { name: "nope", template: "t" }, headers: bearer(readOnly.body.token) });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(/lacks the scope environments:create/);
  });

  it("cannot be used to make another token, so no token outgrows its scopes, expiry or revocation", async () => {
    const lead = await signedIn("lead");
    const parent = await newToken(lead.headers, { name: "minter", scopes: ["tokens:manage"], expiresInDays: 1 });
    expect(parent.status).toBe(201);
    const before = await db.apiToken.count({ where: { userId: lead.user.id } });
    // Scopes its owner's role has (a second tokens:manage; ones the parent lacks), and ones it has not.
    for (const scopes of [["tokens:manage"], ["audit:read", "environments:destroy-any"], ["clusters:manage", "audit:read"]]) {
      const child = await newToken(bearer(parent.body.token), { name: "escalated", scopes, expiresInDays: 365 });
      expect(child.status).toBe(403);
      expect(child.body.error.message).toMatch(/API tokens cannot create API tokens/);
      expect(child.body.token).toBeUndefined();
    }
    expect(await db.apiToken.count({ where: { userId: lead.user.id } })).toBe(before);
    // It may still list and revoke: those make nothing stronger.
    expect((await callRoute(listTokens, { headers: bearer(parent.body.token) })).status).toBe(200);
  });

  it("validates the request with a message per field", async () => {
    const dev = await signedIn("developer");
    const res = await newToken(dev.headers, { name: "", scopes: [], expiresInDays: 1000 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details).sort()).toEqual(["expiresInDays", "name", "scopes"]);
  });

  it("cannot revoke someone else's token", async () => {
    const a = await signedIn("developer");
    const b = await signedIn("developer");
    const created = await newToken(a.headers, { name: "mine", scopes: ["environments:read"], expiresInDays: 7 });
    const res = await callRoute(revoke, { method: "DELETE", params: { id: created.body.id }, headers: b.headers });
    expect(res.status).toBe(404);
    expect((await callRoute(listEnvs, { headers: bearer(created.body.token) })).status).toBe(200);
  });
});

describe("cross-site request forgery", () => {
  const body = { name: "csrf-x", components: [{ name: "web", image: "nginx:1.27.3" }] };

  it("refuses a cookie-authenticated change from another origin or with no origin", async () => {
    const dev = await signedIn("developer");
    const evil = await callRoute(createEnv, { method: "POST", body, headers: { ...dev.headers, origin: "https://evil.example" } });
    expect(evil.status).toBe(403);
    const bare = await callRoute(createEnv, { method: "POST", body, headers: { cookie: dev.headers.cookie } });
    expect(bare.status).toBe(403);
    expect(await db.environment.count({ where: { name: "csrf-x" } })).toBe(0);
  });

  it("accepts reads without an origin, and changes from Corral's own origin", async () => {
    const dev = await signedIn("developer");
    expect((await callRoute(listEnvs, { headers: { cookie: dev.headers.cookie } })).status).toBe(200);
    const ok = await callRoute(createEnv, { method: "POST", body: { ...body, name: `csrf-${Date.now()}` }, headers: { ...dev.headers, origin: ORIGIN } });
    expect(ok.status).toBe(202);
  });
});

describe("credentials remembered by a process", () => {
  it("are forgotten in every process the moment a token is revoked elsewhere", async () => {
    const { notifyCredentialsChanged } = await import("@/lib/environments/change-feed");
    const { eventually } = await import("../support/eventually");
    const dev = await signedIn("developer");
    const created = await newToken(dev.headers, { name: "remembered", scopes: ["environments:read"], expiresInDays: 1 });
    // Used, so this process remembers it.
    expect((await callRoute(listEnvs, { headers: bearer(created.body.token) })).status).toBe(200);
    // Revoked by another process: the row changes and a notice goes out; this process did nothing itself.
    await db.apiToken.update({ where: { id: created.body.id }, data: { revokedAt: new Date() } });
    await notifyCredentialsChanged(db);
    await eventually(async () => (await callRoute(listEnvs, { headers: bearer(created.body.token) })).status === 401, "the revoked token refused");
  });
});
