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

  it("interleaves appended lines with generated ones by time and keeps indexes stable", () => {
    const a = new LogInstance("web:1.0", "s", 0, 10, 1000, false);
    const plain = new LogInstance("web:1.0", "s", 0, 10, 1000, false);
    // 4 banner lines, then one line every 100 ms.
    expect(a.count(250)).toBe(6);
    expect(a.append("access 1", 250)).toBe(true);
    expect(a.append("access 2", 250)).toBe(true);
    expect(a.count(250)).toBe(8);
    expect(a.line(6, 250).text).toBe("access 1");
    expect(a.line(7, 250).text).toBe("access 2");
    // Generated lines after them are shifted, not changed.
    expect(a.line(8, 1000)).toEqual(plain.line(6, 1000));
    expect(a.line(5, 1000)).toEqual(plain.line(5, 1000));
    expect(a.count(1000)).toBe(plain.count(1000) + 2);
    expect(a.indexAt(260)).toBe(8);
    a.end = 1000;
    expect(a.append("too late", 1200)).toBe(false);
  });

  it("forgets appended lines the buffer no longer holds", () => {
    const a = new LogInstance("web:1.0", "s", 0, 0.001, 10, false);
    for (let i = 0; i < 30; i++) a.append(`line ${i}`, i);
    expect(a.count(30)).toBe(34);
    expect(a.firstAvailable(30)).toBe(24);
    expect(a.line(24, 30).text).toBe("line 20");
    expect(a.line(33, 30).text).toBe("line 29");

    const b = new LogInstance("web:1.0", "s", 0, 0.001, 100, false);
    for (let i = 0; i < 5000; i++) b.append(`line ${i}`, i);
    expect(b.count(5000)).toBe(5004);
    expect(b.line(b.firstAvailable(5000), 5000).text).toBe("line 4900");
    expect(b.line(5003, 5000).text).toBe("line 4999");
    expect(b.indexAt(4950.5)).toBe(4955);
  });
});
