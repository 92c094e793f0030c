import { describe, expect, it } from "vitest";
import { chartSeries, OTHERS } from "./chart-series";

const day = (d: string, byKey: Record<string, [number, number]>) => ({
  day: d,
  environments: 0,
  cost: 0,
  saved: 0,
  byKey: Object.fromEntries(Object.entries(byKey).map(([k, [environments, cost]]) => [k, { environments, cost }])),
});

describe("chartSeries", () => {
  it("keeps every key, dearest first, when they fit", () => {
    const s = chartSeries({ keys: ["a@x", "b@x"], days: [day("2026-01-01", { "a@x": [1, 1] }), day("2026-01-02", { "a@x": [1, 1], "b@x": [2, 5] })] }, 5);
    expect(s.keys).toEqual(["b@x", "a@x"]);
    expect(s.cost).toEqual([
      { day: "2026-01-01", "b@x": 0, "a@x": 1 },
      { day: "2026-01-02", "b@x": 5, "a@x": 1 },
    ]);
    expect(s.environments[1]).toEqual({ day: "2026-01-02", "b@x": 2, "a@x": 1 });
  });

  it("folds all but the dearest into one series that sums the rest, day by day", () => {
    const s = chartSeries({ keys: ["a", "b", "c", "d"], days: [day("2026-01-01", { a: [1, 10], b: [1, 0.1], c: [2, 0.25], d: [1, 3] })] }, 3);
    expect(s.keys).toEqual(["a", "d", OTHERS]);
    expect(s.cost[0]).toEqual({ day: "2026-01-01", a: 10, d: 3, [OTHERS]: 0.35 });
    expect(s.environments[0]).toEqual({ day: "2026-01-01", a: 1, d: 1, [OTHERS]: 3 });
  });

  it("ranks keys of equal cost by how many environments they ran", () => {
    const s = chartSeries({ keys: ["a", "b"], days: [day("2026-01-01", { a: [1, 0], b: [4, 0] })] }, 5);
    expect(s.keys).toEqual(["b", "a"]);
  });
});
