import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { db } from "@/lib/db/client";
import { startProductionServer } from "../support/production-server";

// What only a real server shows: how a request body is read off the socket, and which
// address the connection came from.

let direct: Awaited<ReturnType<typeof startProductionServer>>;
let proxied: Awaited<ReturnType<typeof startProductionServer>>;
beforeAll(async () => {
  [direct, proxied] = await Promise.all([startProductionServer(), startProductionServer({ CORRAL_TRUSTED_PROXY_HOPS: "1" })]);
}, 90_000);
afterAll(() => {
  direct?.kill();
  proxied?.kill();
});

describe("request bodies", () => {
  it("stops reading a chunked body at the limit and answers 413, without the server's memory growing", async () => {
    // Warm the route up first, so its code is loaded before the "before" reading.
    await fetch(`${direct.url}/api/auth/local`, { method: "POST", headers: { origin: direct.url, "content-type": "application/json" }, body: "{}" });
    const before = direct.rss();
    const result = await sendChunked(`${direct.url}/api/auth/local`, direct.url, 200 * 1024 * 1024);
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body).error).toMatchObject({ code: "payload_too_large", message: expect.stringMatching(/larger than 1 MB/) });
    // It was cut off long before the 200 MB were sent.
    expect(result.sentBytes).toBeLessThan(50 * 1024 * 1024);
    const after = direct.rss();
    expect(after - before).toBeLessThan(64 * 1024 * 1024);
  });
});

describe("the client's address in the audit log", () => {
  it.each([
    ["no trusted proxy: the connection's address, whatever X-Forwarded-For says", () => direct, "6.6.6.6", "127.0.0.1"],
    ["one trusted proxy: the address it appended, not what the client put before it", () => proxied, "6.6.6.6, 203.0.113.7", "203.0.113.7"],
  ])("%s", async (_label, server, forwardedFor, expected) => {
    const user = await db.user.create({ data: { email: `addr-${Date.now()}-${Math.random()}@example.com`, name: "Addr", role: "developer" } });
    const token = await createApiToken({ ...user, via: "session", scopes: null }, { name: "addr", scopes: ["tokens:manage"], expiresInDays: 1 });
    const res = await fetch(`${server().url}/api/v1/tokens/${token.id}`, { method: "DELETE", headers: { authorization: `Bearer ${token.token}`, "x-forwarded-for": forwardedFor } });
    expect(res.status).toBe(200);
    const entry = await db.auditEvent.findFirstOrThrow({ where: { action: "token.revoke", targetId: token.id } });
    expect(entry.ip).toBe(expected);
  });
});

/** POSTs `total` bytes in 64 KiB chunks with no Content-Length, as fast as the server reads them. */
function sendChunked(url: string, origin: string, total: number): Promise<{ status: number; body: string; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const req = httpRequest(url, { method: "POST", headers: { origin, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body, sentBytes: sent });
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
