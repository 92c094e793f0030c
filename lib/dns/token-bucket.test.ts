import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";
import { TokenBucket } from "./token-bucket";

describe("TokenBucket", () => {
  it("lets a burst through, then spaces callers at the rate, queued in order", () => {
    let now = 0;
    const bucket = new TokenBucket(5, 2, () => now);
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()].map(Math.round)).toEqual([200, 400, 600]);
    now = 2_000; // long idle: full again, never more than the burst
    expect([bucket.reserve(), bucket.reserve(), Math.round(bucket.reserve())]).toEqual([0, 0, 200]);
  });

  it("gives the token back when the waiter aborts", async () => {
    let now = 0;
    const bucket = new TokenBucket(1, 1, () => now);
    await bucket.take();
    const controller = new AbortController();
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    now = 1_000;
    expect(bucket.reserve()).toBe(0);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, jittered below the ceiling", () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });
});
