import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signature, verifySignature } from "./signature";

const secret = "whsec_test-secret";
const body = '{"id":"evt_1","type":"webhook.test","data":{}}';

describe("webhook signatures", () => {
  it("are HMAC-SHA256 of `${timestamp}.${body}` with the secret, hex, after v1=", () => {
    const expected = createHmac("sha256", secret).update(`1764460800.${body}`).digest("hex");
    expect(signature(secret, 1764460800, body)).toBe(`v1=${expected}`);
    // A known value, so a change of scheme cannot pass unnoticed.
    expect(signature("whsec_abc", 1700000000, "{}")).toBe(`v1=${createHmac("sha256", "whsec_abc").update("1700000000.{}").digest("hex")}`);
  });

  it("verify when fresh and untouched", () => {
    const now = 1764460800;
    const sig = signature(secret, now, body);
    expect(verifySignature({ secret, timestamp: String(now), signature: sig, body, nowSeconds: now + 10 })).toBe(true);
    // One of several (a rotation in progress) is enough.
    expect(verifySignature({ secret, timestamp: String(now), signature: `v1=${"0".repeat(64)}, ${sig}`, body, nowSeconds: now })).toBe(true);
  });

  it("refuse a changed body, another secret, a changed timestamp, or a missing header", () => {
    const now = 1764460800;
    const sig = signature(secret, now, body);
    expect(verifySignature({ secret, timestamp: String(now), signature: sig, body: body.replace("test", "tset"), nowSeconds: now })).toBe(false);
    expect(verifySignature({ secret: "whsec_other", timestamp: String(now), signature: sig, body, nowSeconds: now })).toBe(false);
    expect(verifySignature({ secret, timestamp: String(now + 1), signature: sig, body, nowSeconds: now })).toBe(false);
    expect(verifySignature({ secret, timestamp: null, signature: sig, body, nowSeconds: now })).toBe(false);
    expect(verifySignature({ secret, timestamp: String(now), signature: null, body, nowSeconds: now })).toBe(false);
  });

  it("refuse a replay older than five minutes (and a timestamp from the future)", () => {
    const then = 1764460800;
    const sig = signature(secret, then, body);
    expect(verifySignature({ secret, timestamp: String(then), signature: sig, body, nowSeconds: then + 300 })).toBe(true);
    expect(verifySignature({ secret, timestamp: String(then), signature: sig, body, nowSeconds: then + 301 })).toBe(false);
    expect(verifySignature({ secret, timestamp: String(then), signature: sig, body, nowSeconds: then - 301 })).toBe(false);
  });

  it("secrets are random and recognisable", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
