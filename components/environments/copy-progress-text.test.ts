import { describe, expect, it } from "vitest";
import { bytesText, currentText, durationText, progressPercent, progressText } from "./copy-progress-text";

describe("progressText", () => {
  it("says how many of how many, how much, how fast and how long still", () => {
    expect(progressText("mysql", { unitsDone: 12_340, unitsTotal: 50_000, bytesDone: 8_100_000, rate: 2_300, etaSeconds: 18 })).toBe(
      "12,340 of 50,000 rows · 8.1 MB · 2,300 rows/s · about 18 s left",
    );
  });

  it("leaves out what is not known yet", () => {
    expect(progressText("redis", { unitsDone: 1 })).toBe("1 key");
    expect(progressText("s3", {})).toBe("0 objects");
  });
});

describe("progressPercent", () => {
  it("is full once the copy succeeded, even of an empty source", () => {
    expect(progressPercent("succeeded", { unitsDone: 0, unitsTotal: 0 })).toBe(100);
  });

  it("counts units, then bytes, and is unknown without a total", () => {
    expect(progressPercent("running", { unitsDone: 25, unitsTotal: 100 })).toBe(25);
    expect(progressPercent("running", { bytesDone: 1, bytesTotal: 4 })).toBe(25);
    expect(progressPercent("running", { unitsDone: 5 })).toBeNull();
  });
});

describe("words", () => {
  it("writes sizes, durations and the current item plainly", () => {
    expect(bytesText(512)).toBe("512 B");
    expect(bytesText(23_456_789)).toBe("23 MB");
    expect(durationText(18)).toBe("18 s");
    expect(durationText(59.2)).toBe("1 min");
    expect(durationText(3_900)).toBe("1 h 5 min");
    expect(currentText("mysql", { current: "users" })).toBe("table users");
  });
});
