import { describe, expect, it } from "vitest";
import { quantityValue } from "./quantity";

describe("quantityValue", () => {
  it.each([
    ["250m", 0.25],
    ["1.5", 1.5],
    ["2", 2],
    ["1k", 1000],
    ["512Mi", 512 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1G", 1e9],
  ])("reads %s as %d", (quantity, value) => {
    expect(quantityValue(quantity)).toBeCloseTo(value);
  });

  it.each(["", "1.", ".5", "1 Gi", "1gi", "-1", "1e3", "lots"])("refuses %j", (quantity) => {
    expect(quantityValue(quantity)).toBeNaN();
  });

  it("orders binary and decimal suffixes by size", () => {
    expect(quantityValue("1Gi")).toBeGreaterThan(quantityValue("1G"));
    expect(quantityValue("999m")).toBeLessThan(quantityValue("1"));
  });
});
