import { describe, expect, it } from "vitest";
import { ROUTE53_LIMITS, groupCost, packGroups } from "./pack-changes";
import type { ChangeAction, ChangeGroup } from "./types";

// A group of `n` changes, each an A record with one value of `chars` characters.
function group(name: string, n: number, action: ChangeAction = "CREATE", chars = 10, values = 1): ChangeGroup {
  return {
    owner: "env",
    name,
    changes: Array.from({ length: n }, (_, i) => ({ action, record: { name: `${name}-${i}`, type: "A" as const, ttl: 60, values: Array.from({ length: values }, () => "1".repeat(chars)) } })),
  };
}

const sizes = (groups: ChangeGroup[][]) => groups.map((b) => b.length);

describe("packGroups", () => {
  it("fits exactly 1,000 records in one request and splits at 1,001", () => {
    expect(sizes(packGroups(Array.from({ length: 500 }, (_, i) => group(`n${i}`, 2))).batches)).toEqual([500]);
    const over = packGroups([...Array.from({ length: 500 }, (_, i) => group(`n${i}`, 2)), group("last", 1)]);
    expect(sizes(over.batches)).toEqual([500, 1]);
  });

  it("counts an UPSERT twice, as Route 53 does", () => {
    expect(groupCost(group("u", 3, "UPSERT", 10))).toEqual({ records: 6, valueCharacters: 60 });
    expect(sizes(packGroups(Array.from({ length: 500 }, (_, i) => group(`u${i}`, 1, "UPSERT"))).batches)).toEqual([500]);
    expect(sizes(packGroups(Array.from({ length: 501 }, (_, i) => group(`u${i}`, 1, "UPSERT"))).batches)).toEqual([500, 1]);
  });

  it("counts every value of a record, and a TXT value with its quotes", () => {
    expect(groupCost(group("multi", 1, "CREATE", 7, 4))).toEqual({ records: 4, valueCharacters: 28 });
    const txt: ChangeGroup = { owner: "env", name: "t", changes: [{ action: "CREATE", record: { name: "t", type: "TXT", values: ["abc", 'say "hi"'] } }] };
    expect(groupCost(txt)).toEqual({ records: 2, valueCharacters: '"abc"'.length + '"say \\"hi\\""'.length });
    const alias: ChangeGroup = { owner: "env", name: "al", changes: [{ action: "UPSERT", record: { name: "al", type: "A", alias: { dnsName: "lb.example.net", hostedZoneId: "Z1" } } }] };
    expect(groupCost(alias)).toEqual({ records: 2, valueCharacters: 0 });
  });

  it("fits exactly 32,000 characters of values in one request and splits at 32,001", () => {
    // 32 groups of 1,000 characters: exactly the limit, far below 1,000 records.
    expect(sizes(packGroups(Array.from({ length: 32 }, (_, i) => group(`c${i}`, 1, "CREATE", 1_000))).batches)).toEqual([32]);
    expect(sizes(packGroups([...Array.from({ length: 32 }, (_, i) => group(`c${i}`, 1, "CREATE", 1_000)), group("one-more", 1, "CREATE", 1)]).batches)).toEqual([32, 1]);
  });

  it("never splits a group, and reports one no request can carry", () => {
    const packed = packGroups([group("a", 600), group("b", 600), group("huge", 1_001), group("wide", 1, "CREATE", 32_001), group("c", 400)]);
    expect(packed.batches.map((b) => b.map((g) => g.name))).toEqual([["a", "c"], ["b"]]);
    expect(packed.oversized.map((o) => [o.group.name, o.cost])).toEqual([
      ["huge", { records: 1_001, valueCharacters: 10_010 }],
      ["wide", { records: 1, valueCharacters: 32_001 }],
    ]);
    // The largest group that fits is one request on its own.
    expect(sizes(packGroups([group("max", 1_000)]).batches)).toEqual([1]);
  });

  it("uses the fewest requests for 1,500 names with their TXT owners", () => {
    // A name: an A record (12 characters) and its ownership TXT (90): 102 characters, 2 records.
    const groups = Array.from({ length: 1_500 }, (_, i): ChangeGroup => ({
      owner: `env-${i}`,
      name: `n${i}`,
      changes: [
        { action: "CREATE", record: { name: `n${i}`, type: "A", values: ["10.0.123.123"] } },
        { action: "CREATE", record: { name: `_corral.n${i}`, type: "TXT", values: ["x".repeat(88)] } },
      ],
    }));
    const batches = packGroups(groups).batches;
    const fewest = Math.ceil((1_500 * 102) / ROUTE53_LIMITS.valueCharacters);
    expect(batches.length).toBe(fewest);
    expect(batches.flat().map((g) => g.name)).toEqual(groups.map((g) => g.name));
  });

  it("packs nothing into no requests", () => {
    expect(packGroups([])).toEqual({ batches: [], oversized: [] });
    expect(packGroups([{ owner: "env", name: "x", changes: [] }])).toEqual({ batches: [], oversized: [] });
  });
});
