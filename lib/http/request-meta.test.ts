import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const settings = { CORRAL_TRUSTED_PROXY_HOPS: 0 };
vi.mock("@/lib/config", () => ({ config: () => settings }));
const { clientIp } = await import("./request-meta");

const PEER = Symbol.for("corral.peerHeader");
const request = (headers: Record<string, string>) => new Request("http://corral.test/api/x", { headers });

describe("clientIp", () => {
  beforeEach(() => {
    (globalThis as Record<symbol, unknown>)[PEER] = "x-corral-peer";
  });
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[PEER];
  });

  it("with no trusted proxy, is the connection's address whatever X-Forwarded-For claims", () => {
    settings.CORRAL_TRUSTED_PROXY_HOPS = 0;
    expect(clientIp(request({ "x-corral-peer": "10.1.2.3", "x-forwarded-for": "6.6.6.6" }))).toBe("10.1.2.3");
    expect(clientIp(request({ "x-corral-peer": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
  });

  it("with N trusted proxies, is the Nth entry from the right of X-Forwarded-For", () => {
    settings.CORRAL_TRUSTED_PROXY_HOPS = 1;
    // The client forged 6.6.6.6; the proxy appended the address it saw.
    expect(clientIp(request({ "x-corral-peer": "10.0.0.9", "x-forwarded-for": "6.6.6.6, 203.0.113.7" }))).toBe("203.0.113.7");
    settings.CORRAL_TRUSTED_PROXY_HOPS = 2;
    expect(clientIp(request({ "x-corral-peer": "10.0.0.9", "x-forwarded-for": "6.6.6.6, 203.0.113.7, 10.0.0.8" }))).toBe("203.0.113.7");
  });

  it("does not believe the peer header unless Corral's own server sets it", () => {
    settings.CORRAL_TRUSTED_PROXY_HOPS = 0;
    delete (globalThis as Record<symbol, unknown>)[PEER];
    expect(clientIp(request({ "x-corral-peer": "6.6.6.6", "x-forwarded-for": "6.6.6.6" }))).toBeNull();
  });
});
