import { type Claim, OWNERSHIP_PREFIX, OWNERSHIP_TTL, formatClaim, ownedNameOf, ownershipName, parseClaim, setKey } from "./ownership";
import type { ChangeGroup, DnsRecord, RecordType, WantedRecord, ZonePlan, ZoneRecord } from "./types";
import { DEFAULT_TTL, normalizeName } from "./wire-format";

// From the records environments want and the records a zone has, the changes that make the
// zone so — touching only what this installation owns (see ownership.ts). Pure: the DNS sync
// job lists the zone, plans, and hands the groups to applyChanges.
//
// A name belongs to one owner. Its records and its ownership TXT change together in one group,
// so a group is the unit Route 53 applies or refuses. Changes to a record of ours use UPSERT
// (it needs no knowledge of the current values, so a record changed by hand is repaired);
// deletes carry the values exactly as listed, because Route 53 refuses a DELETE whose values
// differ from the current ones.

export interface PlanZoneInput {
  /** The zone's domain. */
  zone: string;
  /** This Corral installation's id: it owns what its ownership TXT records name. */
  installation: string;
  wanted: WantedRecord[];
  /** Every record set in the zone (listZoneRecords). */
  existing: ZoneRecord[];
  /**
   * The owners this plan may change (one environment's sync, or its clean-up step with nothing
   * wanted). Without it, `wanted` is everything this installation wants in the zone, and any
   * owner not in it is gone: its records are deleted.
   */
  only?: string[];
}

interface Slot {
  /** Our ownership TXT record set at `_corral.<name>`. */
  record?: ZoneRecord;
  claims: Claim[];
  /** Why Corral may not touch this name, when the TXT there is not ours alone. */
  foreign?: string;
}

export function planZone(input: PlanZoneInput): ZonePlan {
  const zone = normalizeName(input.zone);
  const plan: ZonePlan = { groups: [], conflicts: [], live: [] };
  const slots = new Map<string, Slot>();
  const recordsAt = new Map<string, ZoneRecord[]>();
  for (const record of input.existing) {
    const name = normalizeName(record.name);
    const target = ownedNameOf(name);
    if (target === undefined) push(recordsAt, name, record);
    else readSlot(slots, target, record, input.installation);
  }

  const only = input.only ? new Set(input.only) : undefined;
  const wantedAt = new Map<string, WantedRecord[]>();
  for (const w of input.wanted) if (!only || only.has(w.owner)) push(wantedAt, normalizeName(w.name), w);
  const names = [...wantedAt.keys(), ...[...slots.keys()].filter((n) => !wantedAt.has(n)).sort()];

  for (const name of names) {
    const wants = wantedAt.get(name) ?? [];
    const owners = unique(wants.map((w) => w.owner));
    const slot = slots.get(name) ?? { claims: [] };
    const holders = unique(slot.claims.map((c) => c.owner));
    const conflict = (owner: string, reason: string) => plan.conflicts.push({ owner, name, reason });

    const refusal = nameRefusal(name, zone) ?? slot.foreign;
    if (refusal) {
      for (const owner of owners) conflict(owner, refusal);
      continue;
    }

    // An owner outside the plan's scope may still want what it holds: its names stay as they are.
    const unknown = only ? holders.find((h) => !only.has(h)) : undefined;
    if (unknown !== undefined) {
      for (const owner of owners) conflict(owner, `${name} is in use by environment ${unknown}`);
      continue;
    }

    // The holder keeps a name it still wants; otherwise the first to ask takes it (a hand-over
    // from a holder that no longer wants it happens in the taker's group, atomically).
    const taker = owners.find((o) => holders.includes(o)) ?? owners[0];
    for (const owner of owners) {
      if (owner === taker) continue;
      conflict(owner, holders.includes(taker!) ? `${name} is in use by environment ${taker}` : `${name} is also wanted by environment ${taker}, which asked first`);
    }

    const records = recordsAt.get(name) ?? [];
    const claimed = new Set(slot.claims.map(setKey));
    const ours = records.filter((r) => claimed.has(setKey(r)));
    const foreign = records.filter((r) => !claimed.has(setKey(r)));

    let desired: DnsRecord[] = [];
    if (taker !== undefined) {
      const chosen = chooseWanted(name, wants.filter((w) => w.owner === taker));
      const problem = "problem" in chosen ? chosen.problem : clashWithForeign(name, chosen.records, foreign);
      if (problem) {
        conflict(taker, problem);
        // What the holder has stays as it is; a holder that no longer wants the name loses it all the same.
        if (holders.includes(taker)) continue;
      } else desired = (chosen as { records: DnsRecord[] }).records;
    }

    const owner = desired.length > 0 ? taker! : (holders[0] ?? taker!);
    const changes = diff(name, ours, desired, slot, { installation: input.installation, owner });
    if (changes.length > 0) plan.groups.push({ owner, name, changes });
    else if (desired.length > 0) plan.live.push({ owner, name });
  }
  return plan;
}

function diff(name: string, ours: ZoneRecord[], desired: DnsRecord[], slot: Slot, who: { installation: string; owner: string }): ChangeGroup["changes"] {
  const deletes: ChangeGroup["changes"] = [];
  const upserts: ChangeGroup["changes"] = [];
  const creates: ChangeGroup["changes"] = [];
  const wantedKeys = new Set(desired.map(setKey));
  for (const r of ours) if (!wantedKeys.has(setKey(r))) deletes.push({ action: "DELETE", record: asDnsRecord(r) });
  for (const d of desired) {
    const current = ours.find((r) => setKey(r) === setKey(d));
    if (!current) creates.push({ action: "CREATE", record: d });
    else if (!sameRecord(current, d)) upserts.push({ action: "UPSERT", record: d });
  }

  const claims = desired.map((d) => formatClaim({ installation: who.installation, owner: who.owner, type: d.type, setIdentifier: d.setIdentifier })).sort();
  const txt: DnsRecord = { name: ownershipName(name), type: "TXT", ttl: OWNERSHIP_TTL, values: claims };
  if (slot.record && claims.length === 0) deletes.push({ action: "DELETE", record: asDnsRecord(slot.record) });
  else if (slot.record && !sameValues(slot.record.values ?? [], claims)) upserts.push({ action: "UPSERT", record: txt });
  else if (!slot.record && claims.length > 0) creates.push({ action: "CREATE", record: txt });
  // Deletes first: a type change (A → CNAME) must remove the A before the CNAME may exist.
  return [...deletes, ...upserts, ...creates];
}

function readSlot(slots: Map<string, Slot>, name: string, record: ZoneRecord, installation: string): void {
  const slot = slots.get(name) ?? { claims: [] };
  slots.set(name, slot);
  const txtName = ownershipName(name);
  if (record.type !== "TXT" || record.setIdentifier !== undefined || record.alias) {
    slot.foreign ??= `${txtName}, where Corral keeps the ownership record for ${name}, holds a ${record.type} record Corral did not write`;
    return;
  }
  const claims = (record.values ?? []).map(parseClaim);
  const other = claims.find((c) => c && c.installation !== installation);
  if (claims.length === 0 || claims.some((c) => c === undefined)) {
    slot.foreign ??= `${txtName}, where Corral keeps the ownership record for ${name}, holds a TXT record Corral did not write`;
  } else if (other) {
    slot.foreign ??= `${name} is held by another Corral installation (${other.installation})`;
  } else {
    slot.record = record;
    slot.claims = claims as Claim[];
  }
}

function nameRefusal(name: string, zone: string): string | undefined {
  if (name !== zone && !name.endsWith(`.${zone}`)) return `${name} is not in the zone ${zone}`;
  if (name.startsWith(OWNERSHIP_PREFIX)) return `${name} begins with ${OWNERSHIP_PREFIX}, where Corral keeps its ownership records`;
  if (name.length + OWNERSHIP_PREFIX.length > 253) return `${name} is too long to carry Corral's ownership record (${OWNERSHIP_PREFIX}${name} is over 253 characters)`;
  return undefined;
}

/** One owner's records for a name, normalised and checked for what Route 53 would refuse anyway. */
function chooseWanted(name: string, wants: WantedRecord[]): { records: DnsRecord[] } | { problem: string } {
  const byKey = new Map<string, DnsRecord>();
  for (const w of wants) {
    const r = normalizeWanted(w);
    const seen = byKey.get(setKey(r));
    if (seen && !sameRecord(seen, r)) return { problem: `${name} is wanted twice as ${describeSet(r)}, with different values` };
    byKey.set(setKey(r), seen ?? r);
  }
  const records = [...byKey.values()];
  for (const r of records) {
    if ((r.setIdentifier === undefined) !== (r.weight === undefined)) return { problem: `${name}'s ${r.type} record needs both a set identifier and a weight, or neither` };
    if (!r.alias && (r.values ?? []).length === 0) return { problem: `${name}'s ${r.type} record has no value` };
    if (r.type === "CNAME" && !r.alias && (r.values ?? []).length > 1) return { problem: `${name} can point at one CNAME target, not ${r.values!.length}` };
  }
  const cnames = records.filter((r) => r.type === "CNAME");
  if (cnames.length > 0 && (cnames.length < records.length || (cnames.length > 1 && cnames.some((r) => r.setIdentifier === undefined)))) {
    return { problem: `${name} cannot have a CNAME and other records at once` };
  }
  for (const r of records) {
    if (records.some((o) => o.type === r.type && (o.setIdentifier === undefined) !== (r.setIdentifier === undefined))) {
      return { problem: `${name} cannot have weighted and plain ${r.type} records at once` };
    }
  }
  return { records };
}

/** Route 53 keeps one record set per name and type, and a CNAME alone at its name. */
function clashWithForeign(name: string, desired: DnsRecord[], foreign: ZoneRecord[]): string | undefined {
  for (const d of desired) {
    const f = foreign.find((x) => x.type === d.type || x.type === "CNAME" || d.type === "CNAME");
    if (f) return `${name} already has ${article(f.type)} ${f.type} record that is not Corral's`;
  }
  return undefined;
}

function normalizeWanted(w: WantedRecord): DnsRecord {
  const weighted = { ...(w.setIdentifier !== undefined ? { setIdentifier: w.setIdentifier } : {}), ...(w.weight !== undefined ? { weight: w.weight } : {}) };
  const name = normalizeName(w.name);
  if (w.alias) {
    const alias = { dnsName: normalizeName(w.alias.dnsName), hostedZoneId: w.alias.hostedZoneId.replace(/^\/?hostedzone\//, ""), evaluateTargetHealth: w.alias.evaluateTargetHealth ?? false };
    return { name, type: w.type, alias, ...weighted };
  }
  return { name, type: w.type, ttl: w.ttl ?? DEFAULT_TTL, values: (w.values ?? []).map((v) => normalizeValue(w.type, v)), ...weighted };
}

function normalizeValue(type: string, value: string): string {
  if (type === "CNAME") return normalizeName(value);
  if (type === "AAAA") return value.toLowerCase();
  return value;
}

function sameRecord(a: ZoneRecord | DnsRecord, b: DnsRecord): boolean {
  if (a.weight !== b.weight) return false;
  if (a.alias || b.alias) {
    return (
      !!a.alias &&
      !!b.alias &&
      normalizeName(a.alias.dnsName) === normalizeName(b.alias.dnsName) &&
      a.alias.hostedZoneId === b.alias.hostedZoneId &&
      (a.alias.evaluateTargetHealth ?? false) === (b.alias.evaluateTargetHealth ?? false)
    );
  }
  return a.ttl === b.ttl && sameValues((a.values ?? []).map((v) => normalizeValue(a.type, v)), b.values ?? []);
}

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

function asDnsRecord(r: ZoneRecord): DnsRecord {
  // Only types Corral writes are ever claimed; the cast records that.
  return { ...r, type: r.type as RecordType };
}

function describeSet(r: DnsRecord): string {
  return r.setIdentifier === undefined ? r.type : `${r.type} (set ${r.setIdentifier})`;
}

/** Record types are read letter by letter: an A, an MX, a CNAME. */
function article(type: string): string {
  return /^[AEFHILMNORSX]/.test(type) ? "an" : "a";
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
