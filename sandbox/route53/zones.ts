import { randomBytes } from "node:crypto";

export interface AliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface RecordSet {
  name: string;
  type: string;
  ttl?: number;
  setIdentifier?: string;
  weight?: number;
  values?: string[];
  alias?: AliasTarget;
}

export interface HostedZone {
  id: string;
  name: string;
  callerReference: string;
  comment?: string;
  privateZone: boolean;
  records: RecordSet[];
}

export interface Change {
  action: "CREATE" | "DELETE" | "UPSERT";
  record: RecordSet;
}

export interface ChangeInfo {
  id: string;
  submittedAt: string;
  comment?: string;
  insyncAt: number;
}

export interface ZonesSnapshot {
  zones: HostedZone[];
  changes: ChangeInfo[];
}

/** An AWS error in Route 53's terms: code, HTTP status and messages. */
export class Route53Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly messages: string[] = [message],
  ) {
    super(message);
  }
}

/** ResourceRecord elements one ChangeResourceRecordSets may carry; an UPSERT's count twice. */
export const maxRecordsPerBatch = 1000;
/** Characters of all Value elements in one request; an UPSERT's count twice. */
export const maxValueCharactersPerBatch = 32_000;
const typesAllowed = new Set(["A", "AAAA", "CNAME", "TXT", "MX", "NS", "SOA", "SRV", "CAA", "PTR", "SPF", "NAPTR", "DS"]);

/** Hosted zones and their record sets, with the validation and batch semantics of Route 53. */
export class ZoneStore {
  private zones: HostedZone[] = [];
  private changes = new Map<string, ChangeInfo>();
  /** When each zone's latest change goes INSYNC (not persisted: a restart finishes pending work). */
  private readonly zoneInsyncAt = new Map<string, number>();

  constructor(
    private readonly syncDelayMs: () => number,
    private readonly onChange: () => void = () => {},
  ) {}

  list(): HostedZone[] {
    return [...this.zones].sort((a, b) => compareNames(a.name, b.name) || a.id.localeCompare(b.id));
  }

  get(id: string): HostedZone {
    const zone = this.zones.find((z) => z.id === stripPrefix(id));
    if (!zone) throw new Route53Error("NoSuchHostedZone", 404, `No hosted zone found with ID: ${stripPrefix(id)}`);
    return zone;
  }

  create(name: string, callerReference: string, comment: string | undefined, privateZone: boolean): { zone: HostedZone; change: ChangeInfo } {
    if (!callerReference) throw new Route53Error("InvalidInput", 400, "CallerReference is required");
    if (this.zones.some((z) => z.callerReference === callerReference)) {
      throw new Route53Error("HostedZoneAlreadyExists", 409, `A hosted zone has already been created with the specified caller reference.`);
    }
    const fqdn = normalizeName(name);
    const id = `Z${randomBytes(10).toString("hex").toUpperCase().slice(0, 13)}`;
    const ns = nameServers(id);
    const zone: HostedZone = {
      id,
      name: fqdn,
      callerReference,
      comment,
      privateZone,
      records: [
        { name: fqdn, type: "NS", ttl: 172800, values: ns.map((n) => `${n}.`) },
        { name: fqdn, type: "SOA", ttl: 900, values: [`${ns[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
      ],
    };
    this.zones.push(zone);
    this.onChange();
    return { zone, change: this.newChange(undefined) };
  }

  delete(id: string): ChangeInfo {
    const zone = this.get(id);
    if (zone.records.some((r) => !(r.name === zone.name && (r.type === "NS" || r.type === "SOA")))) {
      throw new Route53Error("HostedZoneNotEmpty", 400, "The specified hosted zone contains non-required resource record sets and so cannot be deleted.");
    }
    this.zones = this.zones.filter((z) => z !== zone);
    this.onChange();
    return this.newChange(undefined);
  }

  getChange(id: string): ChangeInfo & { status: "PENDING" | "INSYNC" } {
    const c = this.changes.get(stripPrefix(id));
    if (!c) throw new Route53Error("NoSuchChange", 404, `A change with the specified change ID does not exist.`);
    return { ...c, status: Date.now() >= c.insyncAt ? "INSYNC" : "PENDING" };
  }

  /** True while the zone's latest change is PENDING. */
  hasPendingChange(zoneId: string): boolean {
    return Date.now() < (this.zoneInsyncAt.get(stripPrefix(zoneId)) ?? 0);
  }

  /** Applies a batch atomically: every change is checked against the zone as earlier changes leave it. */
  applyBatch(zoneId: string, changes: Change[], comment: string | undefined): ChangeInfo {
    const zone = this.get(zoneId);
    if (changes.length === 0) throw new Route53Error("InvalidInput", 400, "1 validation error detected: Value null at 'changeBatch.changes' failed to satisfy constraint: Member must not be null");
    const limits = batchLimitProblems(changes);
    if (limits.length > 0) throw new Route53Error("InvalidChangeBatch", 400, limits.join("; "), limits);
    const records = zone.records.map((r) => ({ ...r }));
    const problems: string[] = [];
    for (const change of changes) {
      const r = { ...change.record, name: normalizeName(change.record.name) };
      const problem = validateRecord(zone, r) ?? applyOne(records, change.action, r);
      if (problem) problems.push(problem);
    }
    if (problems.length > 0) throw new Route53Error("InvalidChangeBatch", 400, problems.join("; "), problems);
    zone.records = records;
    this.onChange();
    const change = this.newChange(comment);
    this.zoneInsyncAt.set(zone.id, change.insyncAt);
    return change;
  }

  snapshot(): ZonesSnapshot {
    return { zones: structuredClone(this.zones), changes: [...this.changes.values()] };
  }

  restore(s: ZonesSnapshot): void {
    this.zones = structuredClone(s.zones);
    this.changes = new Map(s.changes.map((c) => [c.id, c]));
  }

  private newChange(comment: string | undefined): ChangeInfo {
    const c: ChangeInfo = { id: `C${randomBytes(10).toString("hex").toUpperCase().slice(0, 13)}`, submittedAt: new Date().toISOString(), comment, insyncAt: Date.now() + this.syncDelayMs() };
    this.changes.set(c.id, c);
    return c;
  }
}

/**
 * Route 53's request limits: at most 1,000 ResourceRecord elements and 32,000 characters of
 * Value elements, each counted twice in an UPSERT (a DELETE and a CREATE for Route 53).
 */
function batchLimitProblems(changes: Change[]): string[] {
  let records = 0;
  let characters = 0;
  for (const c of changes) {
    const weight = c.action === "UPSERT" ? 2 : 1;
    const values = c.record.values ?? [];
    records += values.length * weight;
    characters += values.reduce((n, v) => n + v.length, 0) * weight;
  }
  return [
    ...(records > maxRecordsPerBatch ? [`Number of records limit of ${maxRecordsPerBatch} exceeded.`] : []),
    ...(characters > maxValueCharactersPerBatch ? [`RDATA character limit of ${maxValueCharactersPerBatch} exceeded.`] : []),
  ];
}

function applyOne(records: RecordSet[], action: Change["action"], r: RecordSet): string | undefined {
  const idx = records.findIndex((x) => sameSet(x, r));
  const label = `[name='${r.name}', type='${r.type}'${r.setIdentifier !== undefined ? `, set-identifier='${r.setIdentifier}'` : ""}]`;
  if (action === "DELETE") {
    if (idx < 0) return `Tried to delete resource record set ${label} but it was not found`;
    if (!sameContent(records[idx], r)) return `Tried to delete resource record set ${label} but the values provided do not match the current values`;
    records.splice(idx, 1);
    return undefined;
  }
  if (action === "CREATE" && idx >= 0) return `Tried to create resource record set ${label} but it already exists`;
  const conflict = conflictOf(records, r, idx);
  if (conflict) return conflict;
  if (idx >= 0) records[idx] = r;
  else records.push(r);
  return undefined;
}

function conflictOf(records: RecordSet[], r: RecordSet, selfIdx: number): string | undefined {
  const others = records.filter((x, i) => i !== selfIdx && x.name === r.name);
  if (r.type === "CNAME" && others.some((x) => x.type !== "CNAME" || x.setIdentifier === undefined || r.setIdentifier === undefined)) {
    return `RRSet of type CNAME with DNS name ${r.name} is not permitted as it conflicts with other records with the same DNS name in zone`;
  }
  if (r.type !== "CNAME" && others.some((x) => x.type === "CNAME")) {
    return `RRSet of type ${r.type} with DNS name ${r.name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone`;
  }
  const sameType = others.filter((x) => x.type === r.type);
  if (sameType.some((x) => (x.setIdentifier === undefined) !== (r.setIdentifier === undefined))) {
    return `RRSet with DNS name ${r.name}, type ${r.type} cannot be created as a non-weighted set exists with the same name and type.`;
  }
  return undefined;
}

function validateRecord(zone: HostedZone, r: RecordSet): string | undefined {
  if (!typesAllowed.has(r.type)) return `Invalid type ${r.type}`;
  if (r.name !== zone.name && !r.name.endsWith(`.${zone.name}`)) return `RRSet with DNS name ${r.name} is not permitted in zone ${zone.name}`;
  if ((r.setIdentifier === undefined) !== (r.weight === undefined)) return `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with [Action=..., Name=${r.name}, Type=${r.type}, SetIdentifier=${r.setIdentifier ?? "null"}]`;
  if (r.alias) {
    if (r.ttl !== undefined || (r.values && r.values.length > 0)) return `Invalid Resource Record: FATAL problem: Alias RRSet must not have TTL or ResourceRecords (${r.name})`;
    return undefined;
  }
  if (r.ttl === undefined) return `Invalid Resource Record: FATAL problem: TTL is required for non-alias records (${r.name})`;
  if (!r.values || r.values.length === 0) return `Invalid Resource Record: FATAL problem: ResourceRecords is required for non-alias records (${r.name})`;
  if (r.type === "A" && r.values.some((v) => !/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(v) || v.split(".").some((o) => Number(o) > 255))) {
    return `Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${r.values.join(",")}''`;
  }
  if (r.type === "CNAME" && r.values.length > 1) return `Invalid Resource Record: 'FATAL problem: RRDATAOnlyOneValue (CNAME records can have only one value)'`;
  return undefined;
}

function sameSet(a: RecordSet, b: RecordSet): boolean {
  return a.name === b.name && a.type === b.type && a.setIdentifier === b.setIdentifier;
}

function sameContent(a: RecordSet | undefined, b: RecordSet): boolean {
  if (!a) return false;
  return a.ttl === b.ttl && a.weight === b.weight && JSON.stringify(a.values ?? []) === JSON.stringify(b.values ?? []) && JSON.stringify(a.alias ?? null) === JSON.stringify(b.alias ?? null);
}

/** Lower case, trailing dot, and the `\052` escape AWS uses for a wildcard turned back into `*`. */
export function normalizeName(name: string): string {
  const n = name.trim().toLowerCase().replace(/\\052/g, "*");
  return n.endsWith(".") ? n : `${n}.`;
}

/** AWS lists record sets in order of reversed labels (com.example.www), then type. */
export function compareNames(a: string, b: string): number {
  const ka = a.split(".").reverse().join(".");
  const kb = b.split(".").reverse().join(".");
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function compareRecords(a: RecordSet, b: RecordSet): number {
  return compareNames(a.name, b.name) || a.type.localeCompare(b.type) || (a.setIdentifier ?? "").localeCompare(b.setIdentifier ?? "");
}

export function stripPrefix(id: string): string {
  return id.replace(/^\/?(hostedzone|change)\//, "");
}

function nameServers(id: string): string[] {
  const n = parseInt(id.slice(1, 4), 36) % 2000;
  return [`ns-${n}.awsdns-01.org`, `ns-${n + 1}.awsdns-02.co.uk`, `ns-${n + 2}.awsdns-03.com`, `ns-${n + 3}.awsdns-04.net`];
}
