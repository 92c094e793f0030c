import { describe, expect, it } from "vitest";
import { transientBackoffSeconds } from "./transient-backoff";

describe("the backoff of work meeting transient failures", () => {
  it("doubles from a second up to a minute, half of each wait random", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => transientBackoffSeconds(n, 0, () => 0))).toEqual([1, 1, 2, 4, 8, 16, 30, 30, 30]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => transientBackoffSeconds(n, 0, () => 0.999))).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it("never comes back before the server asked", () => {
    expect(transientBackoffSeconds(1, 2, () => 0)).toBe(2);
    expect(transientBackoffSeconds(7, 2, () => 0)).toBe(30);
    expect(transientBackoffSeconds(1, 0.2, () => 0)).toBe(1);
  });
});
