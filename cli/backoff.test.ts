import { describe, expect, it } from "vitest";
import { backoffDelay, nextDelay, retryAfterMs, sleep } from "./backoff.js";

describe("backoff", () => {
  it("doubles from half a second, with the upper half of each step at random, up to the cap", () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { random: () => 0 }))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { random: () => 1 }))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(30, { random: () => 1 })).toBe(20_000);
    expect(backoffDelay(30, { random: () => 0 })).toBe(10_000);
  });

  it("spreads retries of many clients: no two of a thousand draws need agree", () => {
    const draws = new Set(Array.from({ length: 1000 }, () => backoffDelay(4)));
    expect(draws.size).toBeGreaterThan(500);
  });

  it("reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read", () => {
    const now = Date.parse("2026-11-22T10:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7_000);
    expect(retryAfterMs("Sun, 22 Nov 2026 10:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Sun, 22 Nov 2026 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs("86400", now)).toBe(120_000);
  });

  it("waits at least what the server asked for, with a little jitter on top", () => {
    expect(nextDelay(3, 5_000, () => 0)).toBe(5_000);
    expect(nextDelay(3, 5_000, () => 1)).toBe(5_600);
    expect(nextDelay(0, null, () => 0)).toBe(250);
  });

  it("stops sleeping when aborted, with the abort's reason", async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new Error("deadline"));
    await expect(slept).rejects.toThrow("deadline");
  });
});
