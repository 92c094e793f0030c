import { describe, expect, it } from "vitest";
import { UnorderedSum, nextStreamId, normalizeScore } from "./digest";

describe("UnorderedSum", () => {
  it("is the same in any order and differs with the content", () => {
    const items = ["a", "b", "c", "d"].map((s) => [Buffer.from(s), Buffer.from(`${s}!`)]);
    const one = new UnorderedSum();
    const other = new UnorderedSum();
    items.forEach((i) => one.add(i));
    [...items].reverse().forEach((i) => other.add(i));
    expect(one.hex()).toBe(other.hex());
    const changed = new UnorderedSum();
    items.slice(1).forEach((i) => changed.add(i));
    changed.add([Buffer.from("a"), Buffer.from("a?")]);
    expect(changed.hex()).not.toBe(one.hex());
  });
  it("frames parts, so that moving a byte between field and value changes it", () => {
    const a = new UnorderedSum();
    a.add([Buffer.from("ab"), Buffer.from("c")]);
    const b = new UnorderedSum();
    b.add([Buffer.from("a"), Buffer.from("bc")]);
    expect(a.hex()).not.toBe(b.hex());
  });
});

describe("normalizeScore", () => {
  it("spells a double one way whatever the server printed", () => {
    expect(normalizeScore("1.1000000000000001")).toBe(normalizeScore("1.1"));
    expect(normalizeScore("inf")).toBe("Infinity");
    expect(normalizeScore("-inf")).toBe("-Infinity");
    expect(normalizeScore("2")).toBe("2");
  });
});

describe("nextStreamId", () => {
  it("is the next sequence number, or the next millisecond after the last one", () => {
    expect(nextStreamId("1700-5")).toBe("1700-6");
    expect(nextStreamId("1700-18446744073709551615")).toBe("1701-0");
  });
});
