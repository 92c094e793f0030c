import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as exportCsv } from "@/app/api/v1/audit/export/route";
import { GET as listAudit } from "@/app/api/v1/audit/route";
import { POST as createEnv } from "@/app/api/v1/environments/route";
import { POST as createToken } from "@/app/api/v1/tokens/route";
import { callRoute } from "../support/call-route";
import { signedIn } from "../support/sign-in";

describe("audit log", () => {
  it("records who did what, through what, from where, with the outcome", async () => {
    const dev = await signedIn("developer");
    const lead = await signedIn("lead");
    const name = `aud-${randomBytes(3).toString("hex")}`;
    // The connection's address as Corral's own server (scripts/serve.mjs) passes it in; the
    // X-Forwarded-For a client sends is its say-so, not believed without trusted proxies.
    (globalThis as Record<symbol, unknown>)[Symbol.for("corral.peerHeader")] = "x-corral-peer";
    const headers = { ...dev.headers, "x-corral-peer": "198.51.100.4", "x-forwarded-for": "203.0.113.7" };
    const ok = await callRoute(createEnv, { method: "POST", body: { name, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers });
    await callRoute(createEnv, { method: "POST", body: { name, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers });
    const token = await callRoute(createToken, { method: "POST", body: { name: "pipeline", scopes: ["environments:create"], expiresInDays: 7 }, headers: dev.headers });
    await callRoute(createEnv, { method: "POST", body: { name: `${name}-t`, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers: { authorization: `Bearer ${token.body.token}` } });

    const res = await callRoute(listAudit, { path: `/api/v1/audit?actor=${encodeURIComponent(dev.user.email)}`, headers: lead.headers });
    expect(res.status).toBe(200);
    const entries = res.body.items.map((e: any) => [e.action, e.outcome, e.via.startsWith("token:") ? "token" : e.via, e.details.name ?? null]);
    expect(entries).toEqual([
      ["environment.create", "ok", "token", `${name}-t`],
      ["token.create", "ok", "session", "pipeline"],
      ["environment.create", "conflict", "session", null],
      ["environment.create", "ok", "session", name],
    ]);
    const first = res.body.items.at(-1);
    expect(first).toMatchObject({ targetType: "environment", targetId: ok.body.id, ip: "198.51.100.4", actor: { email: dev.user.email } });
    expect(res.body.items[0].via).toBe(`token:${token.body.id}`);
    // The token's value never reaches the audit log.
    expect(JSON.stringify(res.body)).not.toContain(token.body.token);
  });

  it("filters by action and outcome, and exports the same selection as CSV", async () => {
    const dev = await signedIn("developer");
    const admin = await signedIn("admin");
    for (let i = 0; i < 3; i++) {
      await callRoute(createEnv, { method: "POST", body: { name: `csv-${randomBytes(3).toString("hex")}`, components: [{ name: "web", image: "nginx:1.27.3" }] }, headers: dev.headers });
    }
    await callRoute(createEnv, { method: "POST", body: { name: "Bad", components: [] }, headers: dev.headers });
    const q = `actor=${encodeURIComponent(dev.user.email)}&action=environment.create`;
    const okOnly = await callRoute(listAudit, { path: `/api/v1/audit?${q}&outcome=ok`, headers: admin.headers });
    expect(okOnly.body.items).toHaveLength(3);
    const invalid = await callRoute(listAudit, { path: `/api/v1/audit?${q}&outcome=invalid_input`, headers: admin.headers });
    expect(invalid.body.items).toHaveLength(1);
    const future = await callRoute(listAudit, { path: `/api/v1/audit?${q}&from=2999-01-01T00:00:00Z`, headers: admin.headers });
    expect(future.body.items).toHaveLength(0);

    const csv = await callRoute(exportCsv, { path: `/api/v1/audit/export?${q}`, headers: admin.headers });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="corral-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = csv.body.text.trim().split("\r\n");
    expect(lines[0]).toBe("time,actor,via,action,target_type,target_id,outcome,ip,details");
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).every((l: string) => l.includes(dev.user.email) && l.includes("environment.create"))).toBe(true);
  });

  it("is shown to leads and admins only, and refuses a bad filter with field messages", async () => {
    const qa = await signedIn("qa");
    expect((await callRoute(listAudit, { headers: qa.headers })).status).toBe(403);
    const lead = await signedIn("lead");
    const bad = await callRoute(listAudit, { path: "/api/v1/audit?from=yesterday&limit=0", headers: lead.headers });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details).sort()).toEqual(["from", "limit"]);
  });
});
