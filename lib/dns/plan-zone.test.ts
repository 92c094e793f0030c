import { describe, expect, it } from "vitest";
import { formatClaim, ownershipName } from "./ownership";
import { planZone } from "./plan-zone";
import type { ChangeGroup, DnsRecord, WantedRecord, ZoneRecord } from "./types";
import { fromWire, toWire, wireValuesOf } from "./wire-format";

const ZONE = "envs.example.com";
const ME = "corral-prod";
const apex = (r: Partial<ZoneRecord> & Pick<ZoneRecord, "name" | "type">): ZoneRecord => listed({ ttl: 60, ...r } as DnsRecord);
const soaNs = [apex({ name: ZONE, type: "NS", ttl: 172800, values: ["ns-1.awsdns-01.org."] }), apex({ name: ZONE, type: "SOA", ttl: 900, values: ["ns-1.awsdns-01.org. hostmaster. 1 7200 900 1209600 86400"] })];

const a = (owner: string, name: string, ip = "10.0.0.1", extra: Partial<WantedRecord> = {}): WantedRecord => ({ owner, name, type: "A", values: [ip], ...extra });
const cname = (owner: string, name: string, target: string): WantedRecord => ({ owner, name, type: "CNAME", values: [target] });
const claim = (owner: string, type: string, setIdentifier?: string, installation = ME) => formatClaim({ installation, owner, type, setIdentifier });
const ownerTxt = (name: string, ...claims: string[]) => listed({ name: ownershipName(name), type: "TXT", ttl: 300, values: claims });

/** A record as Route 53 would list it after Corral wrote it: through the wire and back. */
function listed(r: DnsRecord): ZoneRecord {
  return fromWire({ ...toWire(r), Name: `${r.name}.` });
}

/** Applies groups the way Route 53 does (CREATE of an existing set and DELETE with other values fail). */
function applyGroups(zone: ZoneRecord[], groups: ChangeGroup[]): ZoneRecord[] {
  const records = [...zone];
  const key = (r: { name: string; type: string; setIdentifier?: string }) => `${r.name}|${r.type}|${r.setIdentifier ?? ""}`;
  for (const { action, record } of groups.flatMap((g) => g.changes)) {
    const at = records.findIndex((r) => key(r) === key(record));
    if (action === "DELETE") {
      expect(at, `DELETE ${key(record)} finds the set`).toBeGreaterThanOrEqual(0);
      expect(wireValuesOf(record), `DELETE ${key(record)} carries the current values`).toEqual(wireValuesOf(records[at]!));
      records.splice(at, 1);
    } else {
      if (action === "CREATE") expect(at, `CREATE ${key(record)} finds no set`).toBe(-1);
      if (at >= 0) records.splice(at, 1);
      records.push(listed(record));
    }
  }
  return records;
}

function plan(wanted: WantedRecord[], existing: ZoneRecord[], installation = ME) {
  return planZone({ zone: ZONE, installation, wanted, existing: [...soaNs, ...existing] });
}

function actions(group: ChangeGroup | undefined): string[] {
  return (group?.changes ?? []).map((c) => `${c.action} ${c.record.type} ${c.record.name}${c.record.setIdentifier !== undefined ? `/${c.record.setIdentifier}` : ""}`);
}

describe("planZone", () => {
  it("creates a wanted record and its ownership TXT in one group, then finds them live", () => {
    const wanted = [a("env-1", `shop.${ZONE}`), cname("env-1", `web.shop.${ZONE}`, `shop.${ZONE}`)];
    const first = plan(wanted, []);
    expect(first.conflicts).toEqual([]);
    expect(first.live).toEqual([]);
    expect(first.groups.map((g) => [g.owner, g.name])).toEqual([
      ["env-1", `shop.${ZONE}`],
      ["env-1", `web.shop.${ZONE}`],
    ]);
    expect(actions(first.groups[1])).toEqual([`CREATE CNAME web.shop.${ZONE}`, `CREATE TXT _corral.web.shop.${ZONE}`]);
    expect(first.groups[1]!.changes[1]!.record.values).toEqual([`heritage=corral,installation=${ME},owner=env-1,type=CNAME`]);

    const zone = applyGroups([], first.groups);
    const second = plan(wanted, zone);
    expect(second.groups).toEqual([]);
    expect(second.live).toEqual([
      { owner: "env-1", name: `shop.${ZONE}` },
      { owner: "env-1", name: `web.shop.${ZONE}` },
    ]);
  });

  it("takes names written with a trailing dot or capitals as the same name", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`)], []).groups);
    const again = planZone({ zone: `${ZONE.toUpperCase()}.`, installation: ME, wanted: [a("env-1", `Shop.${ZONE}.`)], existing: zone });
    expect(again.groups).toEqual([]);
    expect(again.live).toEqual([{ owner: "env-1", name: `shop.${ZONE}` }]);
  });

  it("reports a name held by a record without an ownership TXT as a conflict and leaves it alone", () => {
    const foreign = apex({ name: `shop.${ZONE}`, type: "A", values: ["192.0.2.7"] });
    const result = plan([a("env-1", `shop.${ZONE}`)], [foreign]);
    expect(result.groups).toEqual([]);
    expect(result.conflicts).toEqual([{ owner: "env-1", name: `shop.${ZONE}`, reason: `shop.${ZONE} already has an A record that is not Corral's` }]);
  });

  it("reports a CNAME wanted where a foreign record of another type lives, but lets an A live beside a foreign MX", () => {
    const mx = apex({ name: `shop.${ZONE}`, type: "MX", values: ["10 mail.example.com"] });
    expect(plan([cname("env-1", `shop.${ZONE}`, "lb.example.net")], [mx]).conflicts[0]?.reason).toBe(`shop.${ZONE} already has an MX record that is not Corral's`);
    const beside = plan([a("env-1", `shop.${ZONE}`)], [mx]);
    expect(beside.conflicts).toEqual([]);
    expect(actions(beside.groups[0])).toEqual([`CREATE A shop.${ZONE}`, `CREATE TXT _corral.shop.${ZONE}`]);
  });

  it("reports a name owned by another Corral installation as a conflict and never touches it", () => {
    const theirs = [apex({ name: `shop.${ZONE}`, type: "A", values: ["192.0.2.9"] }), ownerTxt(`shop.${ZONE}`, claim("env-9", "A", undefined, "corral-staging"))];
    const result = plan([a("env-1", `shop.${ZONE}`)], theirs);
    expect(result.groups).toEqual([]);
    expect(result.conflicts).toEqual([{ owner: "env-1", name: `shop.${ZONE}`, reason: `shop.${ZONE} is held by another Corral installation (corral-staging)` }]);
    // Nor does this installation remove it when nobody here wants it.
    expect(plan([], theirs).groups).toEqual([]);
  });

  it("reports a TXT at the ownership name that Corral did not write as a conflict", () => {
    const squatter = listed({ name: ownershipName(`shop.${ZONE}`), type: "TXT", values: ["v=spf1 -all"] });
    const result = plan([a("env-1", `shop.${ZONE}`)], [squatter]);
    expect(result.groups).toEqual([]);
    expect(result.conflicts[0]?.reason).toBe(`_corral.shop.${ZONE}, where Corral keeps the ownership record for shop.${ZONE}, holds a TXT record Corral did not write`);
  });

  it("repairs a record of ours deleted by hand: the TXT remains, the record is created again", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`)], []).groups).filter((r) => r.type !== "A");
    const result = plan([a("env-1", `shop.${ZONE}`)], zone);
    expect(result.conflicts).toEqual([]);
    expect(result.groups).toHaveLength(1);
    expect(actions(result.groups[0])).toEqual([`CREATE A shop.${ZONE}`]);
  });

  it("repairs a record of ours changed by hand with an UPSERT", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`, "10.0.0.1")], []).groups).map((r) => (r.type === "A" ? listed({ name: r.name, type: "A", ttl: 3600, values: ["203.0.113.5"] }) : r));
    const result = plan([a("env-1", `shop.${ZONE}`, "10.0.0.1")], zone);
    expect(actions(result.groups[0])).toEqual([`UPSERT A shop.${ZONE}`]);
    expect(result.groups[0]!.changes[0]!.record).toMatchObject({ ttl: 60, values: ["10.0.0.1"] });
  });

  it("deletes the records and the TXT of an owner no longer wanted in one group, with the values as listed", () => {
    const wanted = [a("env-1", `shop.${ZONE}`), cname("env-1", `web.shop.${ZONE}`, `shop.${ZONE}`), a("env-2", `other.${ZONE}`)];
    const zone = applyGroups([], plan(wanted, []).groups);
    // Someone edited one of env-1's records by hand since; the delete must carry what is there now.
    const edited = zone.map((r) => (r.name === `shop.${ZONE}` && r.type === "A" ? listed({ name: r.name, type: "A", ttl: 60, values: ["10.0.0.1", "10.0.0.2"] }) : r));
    const result = plan(wanted.filter((w) => w.owner !== "env-1"), edited);
    expect(result.groups.map((g) => [g.owner, g.name, actions(g)])).toEqual([
      ["env-1", `shop.${ZONE}`, [`DELETE A shop.${ZONE}`, `DELETE TXT _corral.shop.${ZONE}`]],
      ["env-1", `web.shop.${ZONE}`, [`DELETE CNAME web.shop.${ZONE}`, `DELETE TXT _corral.web.shop.${ZONE}`]],
    ]);
    const after = applyGroups(edited, result.groups);
    // external-dns leaves the TXT behind after a delete; here nothing of env-1 remains, and the rest is untouched.
    expect(after.filter((r) => r.name.includes("shop."))).toEqual([]);
    expect(after.filter((r) => r.name.includes("other.")).length).toBe(2);
  });

  it("removes an ownership TXT whose records were all deleted by hand once nobody wants the name", () => {
    const result = plan([], [ownerTxt(`gone.${ZONE}`, claim("env-1", "A"))]);
    expect(result.groups.map((g) => [g.owner, actions(g)])).toEqual([["env-1", [`DELETE TXT _corral.gone.${ZONE}`]]]);
  });

  it("changes a name's type (A → CNAME) in one group: the old record goes, the TXT is rewritten, nothing is orphaned", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`)], []).groups);
    const result = plan([cname("env-1", `shop.${ZONE}`, "lb.example.net")], zone);
    expect(result.groups).toHaveLength(1);
    expect(actions(result.groups[0])).toEqual([`DELETE A shop.${ZONE}`, `UPSERT TXT _corral.shop.${ZONE}`, `CREATE CNAME shop.${ZONE}`]);
    const after = applyGroups(zone, result.groups);
    expect(after.filter((r) => r.name.endsWith(`shop.${ZONE}`)).map((r) => [r.name, r.type, r.values])).toEqual([
      [`_corral.shop.${ZONE}`, "TXT", [claim("env-1", "CNAME")]],
      [`shop.${ZONE}`, "CNAME", ["lb.example.net"]],
    ]);
    expect(plan([cname("env-1", `shop.${ZONE}`, "lb.example.net")], after).live).toEqual([{ owner: "env-1", name: `shop.${ZONE}` }]);
  });

  it("keeps the ownership prefix fixed: a TXT under any other prefix is not Corral's", () => {
    expect(ownershipName(`shop.${ZONE}`)).toBe(`_corral.shop.${ZONE}`);
    const elsewhere = [apex({ name: `shop.${ZONE}`, type: "A", values: ["10.0.0.1"] }), listed({ name: `_owner.shop.${ZONE}`, type: "TXT", values: [claim("env-1", "A")] })];
    expect(plan([a("env-1", `shop.${ZONE}`)], elsewhere).conflicts).toHaveLength(1);
    expect(plan([], elsewhere).groups).toEqual([]);
  });

  it("owns weighted sets one TXT value per set identifier, and drops one set without touching the other", () => {
    const blue = a("env-1", `shop.${ZONE}`, "10.0.0.1", { setIdentifier: "blue", weight: 90 });
    const green = a("env-1", `shop.${ZONE}`, "10.0.0.2", { setIdentifier: "green", weight: 10 });
    const first = plan([blue, green], []);
    const txt = first.groups[0]!.changes.find((c) => c.record.type === "TXT")!;
    expect(txt.record.values).toEqual([claim("env-1", "A", "blue"), claim("env-1", "A", "green")]);
    const zone = applyGroups([], first.groups);
    const shifted = plan([{ ...green, weight: 100 }], zone);
    expect(actions(shifted.groups[0])).toEqual([`DELETE A shop.${ZONE}/blue`, `UPSERT A shop.${ZONE}/green`, `UPSERT TXT _corral.shop.${ZONE}`]);
    const after = applyGroups(zone, shifted.groups);
    expect(after.find((r) => r.type === "TXT")?.values).toEqual([claim("env-1", "A", "green")]);
    // A set identifier with a comma or '=' cannot change what the claim says.
    expect(formatClaim({ installation: ME, owner: "env-1", type: "A", setIdentifier: "a,owner=x" })).toBe(`heritage=corral,installation=${ME},owner=env-1,type=A,set=a%2Cowner%3Dx`);
  });

  it("keeps a name for the owner holding it, and gives a free name to the first owner asking", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`)], []).groups);
    const held = plan([a("env-2", `shop.${ZONE}`, "10.0.0.9"), a("env-1", `shop.${ZONE}`)], zone);
    expect(held.groups).toEqual([]);
    expect(held.live).toEqual([{ owner: "env-1", name: `shop.${ZONE}` }]);
    expect(held.conflicts).toEqual([{ owner: "env-2", name: `shop.${ZONE}`, reason: `shop.${ZONE} is in use by environment env-1` }]);

    const free = plan([a("env-3", `new.${ZONE}`), a("env-4", `new.${ZONE}`)], []);
    expect(free.groups.map((g) => g.owner)).toEqual(["env-3"]);
    expect(free.conflicts).toEqual([{ owner: "env-4", name: `new.${ZONE}`, reason: `new.${ZONE} is also wanted by environment env-3, which asked first` }]);
  });

  it("hands a name over from an owner that no longer wants it in one group", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`, "10.0.0.1")], []).groups);
    const result = plan([cname("env-2", `shop.${ZONE}`, "lb.example.net")], zone);
    expect(result.groups.map((g) => [g.owner, actions(g)])).toEqual([["env-2", [`DELETE A shop.${ZONE}`, `UPSERT TXT _corral.shop.${ZONE}`, `CREATE CNAME shop.${ZONE}`]]]);
    expect(result.groups[0]!.changes[1]!.record.values).toEqual([claim("env-2", "CNAME")]);
  });

  it("refuses names outside the zone, under the ownership prefix, or too long for their TXT", () => {
    const long = `${"x".repeat(60)}.${"y".repeat(60)}.${"z".repeat(60)}.${"w".repeat(50)}.${ZONE}`;
    const result = plan([a("env-1", "shop.elsewhere.org"), a("env-1", `_corral.shop.${ZONE}`), a("env-1", long)], []);
    expect(result.groups).toEqual([]);
    expect(result.conflicts.map((c) => c.reason)).toEqual([
      `shop.elsewhere.org is not in the zone ${ZONE}`,
      `_corral.shop.${ZONE} begins with _corral., where Corral keeps its ownership records`,
      `${long} is too long to carry Corral's ownership record (_corral.${long} is over 253 characters)`,
    ]);
  });

  it("refuses what Route 53 would refuse among one owner's records for a name", () => {
    const name = `shop.${ZONE}`;
    expect(plan([a("env-1", name), cname("env-1", name, "x.example.net")], []).conflicts[0]?.reason).toBe(`${name} cannot have a CNAME and other records at once`);
    expect(plan([a("env-1", name, "10.0.0.1"), a("env-1", name, "10.0.0.2")], []).conflicts[0]?.reason).toBe(`${name} is wanted twice as A, with different values`);
    expect(plan([a("env-1", name), a("env-1", name, "10.0.0.2", { setIdentifier: "b", weight: 1 })], []).conflicts[0]?.reason).toBe(`${name} cannot have weighted and plain A records at once`);
    expect(plan([a("env-1", name, "10.0.0.1", { setIdentifier: "b" })], []).conflicts[0]?.reason).toBe(`${name}'s A record needs both a set identifier and a weight, or neither`);
    // The same record twice is one record.
    expect(plan([a("env-1", name), a("env-1", name)], []).groups).toHaveLength(1);
  });

  it("keeps what an owner has at a name when its new wishes for it conflict", () => {
    const zone = applyGroups([], plan([a("env-1", `shop.${ZONE}`)], []).groups);
    const mx = apex({ name: `shop.${ZONE}`, type: "MX", values: ["10 mail.example.com"] });
    const result = plan([cname("env-1", `shop.${ZONE}`, "lb.example.net")], [...zone, mx]);
    expect(result.groups).toEqual([]);
    expect(result.conflicts).toHaveLength(1);
  });

  it("changes only the owners in scope when asked to: one environment's sync, or its clean-up", () => {
    const wanted = [a("env-1", `one.${ZONE}`), a("env-2", `two.${ZONE}`)];
    const zone = applyGroups([], plan(wanted, []).groups);
    const scoped = (w: WantedRecord[], only: string[]) => planZone({ zone: ZONE, installation: ME, wanted: w, existing: zone, only });
    // env-1's clean-up: nothing wanted, and env-2's records are not touched though env-2 is not in `wanted`.
    expect(scoped([], ["env-1"]).groups.map((g) => [g.owner, actions(g)])).toEqual([["env-1", [`DELETE A one.${ZONE}`, `DELETE TXT _corral.one.${ZONE}`]]]);
    // env-3's sync: a name env-2 holds is in use, whatever env-2 wants now; a free one is created.
    const three = scoped([a("env-3", `two.${ZONE}`), a("env-3", `three.${ZONE}`), a("env-2", `elsewhere.${ZONE}`)], ["env-3"]);
    expect(three.conflicts).toEqual([{ owner: "env-3", name: `two.${ZONE}`, reason: `two.${ZONE} is in use by environment env-2` }]);
    expect(three.groups.map((g) => g.name)).toEqual([`three.${ZONE}`]);
  });

  it("plans alias records and sees them live when Route 53 lists them with a trailing dot", () => {
    const alias: WantedRecord = { owner: "env-1", name: `shop.${ZONE}`, type: "A", alias: { dnsName: "lb-1.elb.amazonaws.com", hostedZoneId: "Z35SXDOTRQ7X7K" } };
    const first = plan([alias], []);
    expect(first.groups[0]!.changes[0]!.record).toEqual({ name: `shop.${ZONE}`, type: "A", alias: { dnsName: "lb-1.elb.amazonaws.com", hostedZoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: false } });
    const zone = applyGroups([], first.groups).map((r) => (r.alias ? { ...r, alias: { ...r.alias, dnsName: `${r.alias.dnsName}.` } } : r));
    expect(plan([alias], zone).live).toHaveLength(1);
  });
});
