import { describe, expect, it } from "vitest";
import { type AttemptOutcome, backoffSeconds, decideAttempt, isRetryable, MAX_ATTEMPTS, MAX_DELAY_SECONDS, parseRetryAfter } from "./delivery-decision";

const answer = (status: number, statusText = "", excerpt = "", retryAfterSeconds: number | null = null): AttemptOutcome => ({ kind: "response", status, statusText, excerpt, retryAfterSeconds });
const low = () => 0;
const high = () => 0.999;

describe("what follows an attempt", () => {
  it("a 2xx is delivered", () => {
    expect(decideAttempt(answer(200, "OK"), 1)).toEqual({ status: "succeeded", summary: "Delivered: the receiver answered 200 OK." });
    expect(decideAttempt(answer(204), 1).status).toBe("succeeded");
  });

  it("429 and 5xx are tried again, and say when and which attempt failed", () => {
    for (const status of [429, 500, 502, 503, 504, 599]) expect(decideAttempt(answer(status), 1).status).toBe("retrying");
    expect(decideAttempt(answer(503, "Service Unavailable", "down for maintenance"), 2, low)).toEqual({
      status: "retrying",
      summary: "The receiver answered 503 Service Unavailable: “down for maintenance”. Trying again in 2 s (attempt 2 of 12 failed).",
      retryInSeconds: 2,
    });
  });

  it("no answer (a network error, a timeout) is tried again", () => {
    expect(decideAttempt({ kind: "error", problem: "network", message: "Could not deliver to 10.1.2.3:443: connection refused" }, 1, low)).toEqual({
      status: "retrying",
      summary: "Could not deliver to 10.1.2.3:443: connection refused. Trying again in 1 s (attempt 1 of 12 failed).",
      retryInSeconds: 1,
    });
    expect(decideAttempt({ kind: "error", problem: "timeout", message: "No answer within 10 s." }, 1).status).toBe("retrying");
  });

  it("other 4xx fail at once with the reason", () => {
    for (const status of [400, 401, 403, 404, 408, 410, 413, 422]) expect(decideAttempt(answer(status), 1).status).toBe("failed");
    expect(decideAttempt(answer(400, "Bad Request", "unknown event"), 1).summary).toBe(
      "The receiver answered 400 Bad Request: “unknown event”. Not retried: the receiver refused this request (a 4xx other than 429), so sending it again would be refused again.",
    );
  });

  it("a redirect is not followed, and says where it pointed", () => {
    const decision = decideAttempt({ kind: "response", status: 301, statusText: "Moved Permanently", excerpt: "", location: "https://new.example.com/hook" }, 1);
    expect(decision.status).toBe("failed");
    expect(decision.summary).toContain("a redirect to https://new.example.com/hook");
  });

  it("a refused address is not retried", () => {
    const outcome: AttemptOutcome = { kind: "error", problem: "refused-address", message: "hooks.example.com resolves to 10.0.0.5, a private address" };
    expect(isRetryable(outcome)).toBe(false);
    expect(decideAttempt(outcome, 1).status).toBe("failed");
  });

  it("the last attempt fails with what it met", () => {
    expect(decideAttempt(answer(503, "Service Unavailable"), MAX_ATTEMPTS)).toEqual({
      status: "failed",
      summary: "The receiver answered 503 Service Unavailable. Gave up after 12 attempts.",
    });
  });

  it("waits at least as long as a Retry-After asks, up to the longest wait", () => {
    expect(decideAttempt(answer(429, "Too Many Requests", "", 30), 1, low)).toMatchObject({ retryInSeconds: 30 });
    expect(decideAttempt(answer(503, "", "", 86_400), 1, low)).toMatchObject({ retryInSeconds: MAX_DELAY_SECONDS });
    expect(decideAttempt(answer(503, "", "", 1), 5, low)).toMatchObject({ retryInSeconds: 16 });
  });
});

describe("the backoff", () => {
  it("doubles from 1–2 s, jittered within each step, up to 15 minutes", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(n, low))).toEqual([1, 2, 4, 8, 16]);
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(n, high))).toEqual([2, 4, 8, 16, 32]);
    expect(backoffSeconds(11, low)).toBe(MAX_DELAY_SECONDS);
    expect(backoffSeconds(50, high)).toBe(MAX_DELAY_SECONDS);
    const spread = new Set(Array.from({ length: 200 }, () => backoffSeconds(8)));
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(128);
    expect(Math.max(...spread)).toBeLessThanOrEqual(256);
    expect(spread.size).toBeGreaterThan(20);
  });

  it("spans about half an hour to three quarters over every attempt", () => {
    const total = (random: () => number) => Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffSeconds(i + 1, random)).reduce((a, b) => a + b, 0);
    expect(total(low) / 60).toBeGreaterThan(30);
    expect(total(high) / 60).toBeLessThan(50);
  });

  it("reads Retry-After as seconds or as a date", () => {
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:00 GMT"))).toBe(60);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});
