import { describe, expect, it } from "vitest";
import { costOf, parseCpu, parseMemoryGib, requestsOf } from "./usage";

const t0 = new Date("2026-12-01T00:00:00Z");
const h = (n: number) => new Date(t0.getTime() + n * 3_600_000);
const prices = { cpuHourPrice: 0.04, memoryGibHourPrice: 0.005 };

describe("requests and cost", () => {
  it("reads Kubernetes quantities", () => {
    expect(parseCpu("250m")).toBe(0.25);
    expect(parseCpu("2")).toBe(2);
    expect(parseCpu("1.5")).toBe(1.5);
    expect(parseMemoryGib("512Mi")).toBe(0.5);
    expect(parseMemoryGib("1Gi")).toBe(1);
    expect(parseMemoryGib(String(1024 ** 3))).toBe(1);
    // What is not a quantity counts as the default, not as nothing.
    expect(parseCpu("lots")).toBe(0.05);
  });

  it("sums requests times replicas; asleep, only persistent components run", () => {
    const components = [
      { replicas: 2, persistent: false, resources: { requests: { cpu: "500m", memory: "1Gi" } } },
      { replicas: 1, persistent: true, resources: {} },
    ];
    expect(requestsOf(components, "awake")).toEqual({ cpu: 1.05, memoryGib: 2.0625, fullCpu: 1.05, fullMemoryGib: 2.0625 });
    expect(requestsOf(components, "asleep")).toEqual({ cpu: 0.05, memoryGib: 0.0625, fullCpu: 1.05, fullMemoryGib: 2.0625 });
  });

  it("prices the time each stretch ran, open ones until now, and what sleep saved", () => {
    const intervals = [
      { power: "awake" as const, startedAt: h(0), endedAt: h(10), cpu: 1, memoryGib: 2, fullCpu: 1, fullMemoryGib: 2 },
      { power: "asleep" as const, startedAt: h(10), endedAt: null, cpu: 0, memoryGib: 0, fullCpu: 1, fullMemoryGib: 2 },
    ];
    // 10 h × (1 × 0.04 + 2 × 0.005) = 0.5; asleep 5 h saved 0.25.
    expect(costOf(intervals, prices, h(15))).toEqual({ cost: 0.5, saved: 0.25, awakeHours: 10, asleepHours: 5 });
    // Only what falls inside the window counts.
    expect(costOf(intervals, prices, h(15), h(5)).cost).toBe(0.25);
  });
});
