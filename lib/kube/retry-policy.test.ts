import { describe, expect, it } from "vitest";
import { KUBE_CALL_RETRY, classifyNetworkError, classifyStatus, jitteredDelay, parseRetryAfter, retryDelayMs } from "./retry-policy";

const lowest = () => 0;
const highest = () => 0.999999;

describe("which Kubernetes failures are retried", () => {
  it("retries throttling and the server's own errors, never a refusal", () => {
    expect(classifyStatus(429)?.cause).toBe("throttled");
    for (const status of [500, 502, 503, 504]) expect(classifyStatus(status)?.cause).toBe("server-error");
    for (const status of [400, 401, 403, 404, 409, 410, 422, 501]) expect(classifyStatus(status)?.cause, `${status}`).toBeNull();
    expect(classifyStatus(200)).toBeNull();
    expect(classifyStatus(201)).toBeNull();
  });

  it("retries connections refused, reset, dropped and timed out, as undici and Node report them", () => {
    const fetchFailed = (cause: object) => Object.assign(new TypeError("fetch failed"), { cause });
    expect(classifyNetworkError(fetchFailed({ code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:6443" })).cause).toBe("connection");
    expect(classifyNetworkError(fetchFailed({ code: "ECONNRESET" })).cause).toBe("connection");
    expect(classifyNetworkError(fetchFailed({ code: "EPIPE" })).cause).toBe("connection");
    expect(classifyNetworkError(fetchFailed({ code: "UND_ERR_SOCKET", message: "other side closed" })).cause).toBe("connection");
    expect(classifyNetworkError(new Error("socket hang up")).cause).toBe("connection");
    expect(classifyNetworkError(fetchFailed({ code: "UND_ERR_CONNECT_TIMEOUT" })).cause).toBe("timeout");
    expect(classifyNetworkError(fetchFailed({ code: "UND_ERR_HEADERS_TIMEOUT" })).cause).toBe("timeout");
    expect(classifyNetworkError(new DOMException("The operation was aborted due to timeout", "TimeoutError")).cause).toBe("timeout");
    expect(classifyNetworkError(Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" })).cause).toBe("timeout");
  });

  it("does not retry what no retry helps: an unknown host, a bad certificate, a bug", () => {
    expect(classifyNetworkError(Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } })).cause).toBeNull();
    expect(classifyNetworkError(Object.assign(new TypeError("fetch failed"), { cause: { code: "DEPTH_ZERO_SELF_SIGNED_CERT" } })).cause).toBeNull();
    expect(classifyNetworkError(new TypeError("Cannot read properties of undefined")).cause).toBeNull();
  });
});

describe("how often and how long", () => {
  const server = classifyStatus(503)!;

  it("tries three times in all, then gives up", () => {
    expect(KUBE_CALL_RETRY.attempts).toBe(3);
    expect(retryDelayMs(1, server, KUBE_CALL_RETRY, lowest)).not.toBeNull();
    expect(retryDelayMs(2, server, KUBE_CALL_RETRY, lowest)).not.toBeNull();
    expect(retryDelayMs(3, server, KUBE_CALL_RETRY, lowest)).toBeNull();
    expect(retryDelayMs(1, classifyStatus(422)!, KUBE_CALL_RETRY, lowest)).toBeNull();
  });

  it("waits exponentially longer, with half of each wait random, up to the cap", () => {
    const policy = { attempts: 10, baseDelayMs: 300, maxDelayMs: 3_000, maxRetryAfterMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, server, policy, lowest))).toEqual([150, 300, 600, 1_200, 1_500, 1_500]);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, server, policy, highest))).toEqual([300, 600, 1_200, 2_400, 3_000, 3_000]);
    // Two callers failing together do not come back together.
    expect(jitteredDelay(3, policy, () => 0.1)).not.toBe(jitteredDelay(3, policy, () => 0.9));
  });

  it("honours Retry-After as given, never sooner, with a little jitter", () => {
    const throttled = classifyStatus(429, "2")!;
    expect(throttled.retryAfterMs).toBe(2_000);
    expect(retryDelayMs(1, throttled, KUBE_CALL_RETRY, lowest)).toBe(2_000);
    const most = retryDelayMs(1, throttled, KUBE_CALL_RETRY, highest)!;
    expect(most).toBeGreaterThan(2_000);
    expect(most).toBeLessThanOrEqual(2_200);
    // A 503 may carry one too (an API server shutting down says when to come back).
    expect(retryDelayMs(1, classifyStatus(503, "1")!, KUBE_CALL_RETRY, lowest)).toBe(1_000);
  });

  it("leaves a Retry-After longer than a call should wait to the caller's own loop", () => {
    expect(retryDelayMs(1, classifyStatus(429, "60")!, KUBE_CALL_RETRY, lowest)).toBeNull();
  });

  it("reads Retry-After in seconds or as an HTTP date", () => {
    expect(parseRetryAfter("5")).toBe(5_000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(parseRetryAfter("Mon, 30 Nov 2026 12:00:07 GMT", now)).toBe(7_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});
