import { describe, expect, it } from "vitest";
import { ZoneStore } from "../route53/zones";
import { resolve } from "./resolve";

function zoneWith(): ZoneStore {
  const store = new ZoneStore(() => 0);
  const { zone } = store.create("example.test", "r", undefined, false);
  store.applyBatch(
    zone.id,
    [
      { action: "CREATE", record: { name: "w.example.test", type: "A", ttl: 60, setIdentifier: "blue", weight: 1, values: ["10.0.0.1"] } },
      { action: "CREATE", record: { name: "w.example.test", type: "A", ttl: 60, setIdentifier: "green", weight: 3, values: ["10.0.0.2"] } },
      { action: "CREATE", record: { name: "app.example.test", type: "CNAME", ttl: 60, values: ["w.example.test"] } },
      { action: "CREATE", record: { name: "*.env.example.test", type: "A", ttl: 60, values: ["10.0.0.9"] } },
      { action: "CREATE", record: { name: "alias.example.test", type: "A", alias: { hostedZoneId: zone.id, dnsName: "w.example.test.", evaluateTargetHealth: false } } },
    ],
    undefined,
  );
  return store;
}

describe("dns resolution", () => {
  it("chooses weighted sets in proportion to their weight", () => {
    const zones = zoneWith().list();
    expect(resolve(zones, "w.example.test", "A", () => 0.1).answers[0]?.value).toBe("10.0.0.1");
    expect(resolve(zones, "w.example.test", "A", () => 0.5).answers[0]?.value).toBe("10.0.0.2");
  });

  it("follows CNAMEs, wildcards and aliases, and answers NXDOMAIN with the SOA", () => {
    const zones = zoneWith().list();
    expect(resolve(zones, "app.example.test", "A", () => 0).answers.map((a) => a.type)).toEqual(["CNAME", "A"]);
    expect(resolve(zones, "x.env.example.test", "A").answers[0]?.value).toBe("10.0.0.9");
    expect(resolve(zones, "alias.example.test", "A", () => 0.9).answers[0]).toMatchObject({ name: "alias.example.test.", value: "10.0.0.2" });
    const missing = resolve(zones, "nope.example.test", "A");
    expect(missing.rcode).toBe("NXDOMAIN");
    expect(missing.authority[0]?.type).toBe("SOA");
    expect(resolve(zones, "elsewhere.org", "A").rcode).toBe("REFUSED");
  });
});
