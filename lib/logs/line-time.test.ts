import { describe, expect, it } from "vitest";
import { formatLineTime } from "./line-time";

const now = new Date("2026-11-22T15:00:00.000Z");

describe("formatLineTime", () => {
  it("shows only the time, to the millisecond, for a line from today", () => {
    expect(formatLineTime("2026-11-22T10:20:00.123456789Z", now)).toBe("10:20:00.123");
    expect(formatLineTime("2026-11-22T00:00:00.5Z", now)).toBe("00:00:00.5");
    expect(formatLineTime("2026-11-22T10:20:00Z", now)).toBe("10:20:00");
  });

  it("puts the date beside the time for a line from another day", () => {
    expect(formatLineTime("2026-11-21T23:59:59.999999Z", now)).toBe("2026-11-21 23:59:59.999");
    expect(formatLineTime("2025-11-22T10:20:00.123Z", now)).toBe("2025-11-22 10:20:00.123");
  });

  it("reads a timestamp with an offset in UTC", () => {
    expect(formatLineTime("2026-11-23T01:30:00.250+02:00", now)).toBe("23:30:00.250");
    expect(formatLineTime("2026-11-22T01:30:00.250+02:00", now)).toBe("2026-11-21 23:30:00.250");
  });
});
