import { describe, expect, it } from "vitest";
import { escapeGlob, keyName, mapKey, matchGlob, planCopy } from "./keys";

describe("escapeGlob", () => {
  it("makes Redis glob characters in a prefix literal", () => {
    expect(escapeGlob("env*1?[a]\\")).toBe("env\\*1\\?\\[a\\]\\\\");
    expect(escapeGlob("plain:prefix:")).toBe("plain:prefix:");
  });
});

describe("matchGlob", () => {
  it("puts the pattern after the escaped prefix, everything when there is none", () => {
    expect(matchGlob("a*b:", "user:*")).toBe("a\\*b:user:*");
    expect(matchGlob("a*b:")).toBe("a\\*b:*");
    expect(matchGlob("", "")).toBe("*");
    expect(matchGlob("", "session:?")).toBe("session:?");
  });
});

describe("mapKey", () => {
  const b = (s: string) => Buffer.from(s);
  it("replaces the source prefix with the target's", () => {
    expect(mapKey(b("prod:user:1"), b("prod:"), b("env-7:")).toString()).toBe("env-7:user:1");
    expect(mapKey(b("user:1"), b(""), b("env-7:")).toString()).toBe("env-7:user:1");
    expect(mapKey(b("prod:user:1"), b("prod:"), b("")).toString()).toBe("user:1");
  });
  it("keeps binary keys byte for byte", () => {
    const key = Buffer.from([0x70, 0x3a, 0xff, 0x00, 0xfe]);
    expect([...mapKey(key, b("p:"), b("q:"))]).toEqual([0x71, 0x3a, 0xff, 0x00, 0xfe]);
  });
  it("refuses a key outside the source prefix rather than write it anywhere", () => {
    expect(() => mapKey(b("other:1"), b("prod:"), b("env:"))).toThrow(/not under the source prefix/);
  });
});

describe("keyName", () => {
  it("shows control characters escaped", () => {
    expect(keyName(Buffer.from("a\nb\u0000"))).toBe("a\\x0ab\\x00");
  });
});

describe("planCopy", () => {
  it("keeps a few thousand keys in flight whatever the batch size", () => {
    const small = planCopy({ batchSize: 100 });
    const big = planCopy({ batchSize: 5_000 });
    expect(small.batchKeys * small.batchesInFlight).toBeGreaterThanOrEqual(1_600);
    expect(small.batchesInFlight).toBeLessThanOrEqual(16);
    expect(big.batchesInFlight).toBe(2);
  });
  it("walks more of the keyspace per SCAN when a pattern is selective", () => {
    expect(planCopy({ batchSize: 1_000, pattern: "user:*" }).scanCount).toBe(10_000);
    expect(planCopy({ batchSize: 1_000 }).scanCount).toBe(1_000);
    expect(planCopy({ batchSize: 1_000, pattern: "*" }).scanCount).toBe(1_000);
  });
  it("clamps nonsense sizes", () => {
    expect(planCopy({ batchSize: 0 }).batchKeys).toBe(1);
    expect(planCopy({ batchSize: 1e9 }).batchKeys).toBe(10_000);
  });
});
