import { describe, expect, it } from "vitest";
import { LogInstance } from "./log-lines";

describe("log instance", () => {
  it("is deterministic and bounded by its capacity", () => {
    const a = new LogInstance("api:1.0", "ns/pod/app/0", 0, 100, 50, false);
    const b = new LogInstance("api:1.0", "ns/pod/app/0", 0, 100, 50, false);
    expect(a.count(1000)).toBe(104);
    expect(a.firstAvailable(1000)).toBe(54);
    expect(a.line(60, 1000)).toEqual(b.line(60, 1000));
    expect(a.line(0, 1000).text).toContain("starting api version 1.0");
  });

  it("ends with a fatal line when the container crashed", () => {
    const a = new LogInstance("api:crashloop", "s", 0, 10, 100, true);
    a.end = 500;
    const total = a.count(1000);
    expect(a.line(total - 1, 1000).text).toContain("FATAL");
    expect(a.count(5000)).toBe(total);
  });

  it("colours warnings and errors", () => {
    const a = new LogInstance("api:1.0", "s", 0, 1000, 10_000, false);
    expect(a.line(97, 2000).text).toContain("\u001b[33mWARN");
    expect(a.line(331, 2000).text).toContain("\u001b[31mERROR");
  });
});
