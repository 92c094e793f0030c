import { describe, expect, it } from "vitest";
import { dueNow, forecast, type LifecycleFacts, plan } from "./plan";

const t0 = new Date("2026-12-01T00:00:00Z");
const h = (n: number) => new Date(t0.getTime() + n * 3_600_000);
const rules = { warnBeforeHours: 24, idleSleepHours: 3, asleepDestroyHours: 336 };
const env = (over: Partial<LifecycleFacts> = {}): LifecycleFacts => ({
  status: "ready",
  power: "awake",
  expiresAt: h(72),
  pinned: false,
  lastActivityAt: t0,
  asleepSince: null,
  warnedFor: null,
  ...over,
});

describe("the lifecycle plan", () => {
  it("sleeps after the idle time, warns a day before expiry, then expires; nothing after the end", () => {
    expect(plan(env(), rules)).toEqual([
      { kind: "sleep", at: h(3) },
      { kind: "warn", at: h(48) },
      { kind: "expire", at: h(72) },
    ]);
  });

  it("warns once per expiry: a warned expiry is not warned again, an extended one is", () => {
    expect(plan(env({ warnedFor: h(72) }), rules).map((p) => p.kind)).not.toContain("warn");
    expect(plan(env({ warnedFor: h(72), expiresAt: h(96) }), rules)).toContainEqual({ kind: "warn", at: h(72) });
  });

  it("leaves a pinned environment to live: no warning, no expiry, no destroy for sleeping", () => {
    expect(plan(env({ pinned: true, expiresAt: null }), rules)).toEqual([{ kind: "sleep", at: h(3) }]);
    expect(plan(env({ pinned: true, power: "asleep", asleepSince: t0, status: "sleeping" }), rules)).toEqual([]);
  });

  it("destroys what stays asleep for the configured time, before its expiry when that is later", () => {
    const asleep = env({ power: "asleep", status: "sleeping", asleepSince: t0, expiresAt: h(1000) });
    expect(plan(asleep, rules).at(-1)).toEqual({ kind: "destroy-asleep", at: h(336) });
  });

  it("does not sleep what is provisioning, or anything when sleep is off", () => {
    expect(plan(env({ status: "provisioning" }), rules).map((p) => p.kind)).toEqual(["warn", "expire"]);
    expect(plan(env(), { ...rules, idleSleepHours: null }).map((p) => p.kind)).toEqual(["warn", "expire"]);
  });

  it("does what is due: the end alone, else a sleep and a warning together", () => {
    const kinds = (at: Date, over: Partial<LifecycleFacts> = {}) => dueNow(env(over), rules, at).map((p) => p.kind);
    expect(kinds(h(2))).toEqual([]);
    expect(kinds(h(4))).toEqual(["sleep"]);
    expect(kinds(h(50), { lastActivityAt: h(60) })).toEqual(["warn"]);
    expect(kinds(h(50))).toEqual(["sleep", "warn"]);
    expect(kinds(h(80))).toEqual(["expire"]);
  });

  it("forecasts what happens in a window, counting what is overdue as now", () => {
    const f = forecast(env({ lastActivityAt: h(-10) }), rules, t0, h(24));
    expect(f).toEqual([{ kind: "sleep", at: t0 }]);
    expect(forecast(env(), rules, h(40), h(64)).map((p) => p.kind)).toEqual(["sleep", "warn"]);
  });
});
