import { describe, expect, it } from "vitest";
import { Route53Error, ZoneStore, compareRecords } from "./zones";

const a = (name: string, value: string) => ({ name, type: "A", ttl: 60, values: [value] });

describe("zone store", () => {
  it("applies a batch atomically and refuses creating an existing record", () => {
    const store = new ZoneStore(() => 0);
    const { zone } = store.create("example.test", "ref-1", undefined, false);
    store.applyBatch(zone.id, [{ action: "CREATE", record: a("www.example.test", "10.0.0.1") }], undefined);
    const attempt = () =>
      store.applyBatch(zone.id, [{ action: "CREATE", record: a("api.example.test", "10.0.0.2") }, { action: "CREATE", record: a("www.example.test", "10.0.0.3") }], undefined);
    expect(attempt).toThrow(Route53Error);
    expect(store.get(zone.id).records.some((r) => r.name === "api.example.test.")).toBe(false);
  });

  it("deletes only an exactly matching record", () => {
    const store = new ZoneStore(() => 0);
    const { zone } = store.create("example.test", "ref-1", undefined, false);
    store.applyBatch(zone.id, [{ action: "UPSERT", record: a("www.example.test", "10.0.0.1") }], undefined);
    expect(() => store.applyBatch(zone.id, [{ action: "DELETE", record: a("www.example.test", "10.0.0.9") }], undefined)).toThrow(/do not match/);
    store.applyBatch(zone.id, [{ action: "DELETE", record: a("www.example.test", "10.0.0.1") }], undefined);
  });

  it("orders names by reversed labels", () => {
    const sorted = [a("b.example.test.", "1.1.1.1"), a("example.test.", "1.1.1.1"), a("a.example.test.", "1.1.1.1")].sort(compareRecords);
    expect(sorted.map((r) => r.name)).toEqual(["example.test.", "a.example.test.", "b.example.test."]);
  });
});
