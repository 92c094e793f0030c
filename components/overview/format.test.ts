import { describe, expect, it } from "vitest";
import { formatMoney } from "./format";

describe("formatMoney", () => {
  it("writes an amount in its currency, to the cent", () => {
    expect(formatMoney(12.5, "USD")).toBe("$12.50");
    expect(formatMoney(0.004, "EUR")).toBe("€0.00");
  });

  it("writes a code Intl cannot format after the number", () => {
    // Well-formed codes are formatted even when unknown; only a malformed one falls back.
    expect(formatMoney(3, "XYZ")).toMatch(/3\.00/);
    expect(formatMoney(3, "usd!")).toBe("3.00 usd!");
  });
});
