import type { DnsRecord, ZoneRecord } from "./types";

// How record names and values look on Route 53's wire, and back. Route 53 lists names with a
// trailing dot and escapes every character outside a-z, 0-9, '-', '_' and '.' as a three-digit
// octal code (`*` comes back as `\052`); a TXT value is one or more quoted strings of at most 255
// bytes, with `"` and `\` escaped and other bytes outside printable ASCII as octal codes.

export const DEFAULT_TTL = 60;
const TXT_STRING_BYTES = 255;

/** A name as Corral keeps it: lower case, no trailing dot, escapes decoded. */
export function normalizeName(name: string): string {
  return decodeOctal(name.trim()).toLowerCase().replace(/\.$/, "");
}

/** The values Route 53 is sent for a record: TXT quoted and split, the rest as they are. */
export function wireValuesOf(record: Pick<ZoneRecord, "type" | "values" | "wireValues">): string[] {
  if (record.wireValues) return record.wireValues;
  const values = record.values ?? [];
  return record.type === "TXT" ? values.map(encodeTxt) : values;
}

/** The characters of a record's Value elements, as Route 53 counts them against its 32,000 per request. */
export function valueCharacters(record: Pick<ZoneRecord, "type" | "values" | "wireValues">): number {
  return wireValuesOf(record).reduce((sum, v) => sum + v.length, 0);
}

/** One TXT value as Route 53 takes it: quoted strings of at most 255 bytes each. */
export function encodeTxt(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const strings: string[] = [];
  for (let start = 0; start < bytes.length || strings.length === 0; start += TXT_STRING_BYTES) {
    let s = "";
    for (const b of bytes.subarray(start, start + TXT_STRING_BYTES)) {
      if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
      else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
      else s += `\\${b.toString(8).padStart(3, "0")}`;
    }
    strings.push(`"${s}"`);
  }
  return strings.join(" ");
}

/** A TXT value as Route 53 lists it, back to its text (several strings are one text, joined). */
export function decodeTxt(value: string): string {
  const bytes: number[] = [];
  let i = 0;
  const push = (s: string) => bytes.push(...Buffer.from(s, "utf8"));
  while (i < value.length) {
    const c = value[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const quoted = c === '"';
    if (quoted) i++;
    while (i < value.length) {
      const ch = value[i]!;
      if (quoted ? ch === '"' : ch === " " || ch === "\t") break;
      if (ch === "\\" && /^[0-7]{3}$/.test(value.slice(i + 1, i + 4))) {
        bytes.push(parseInt(value.slice(i + 1, i + 4), 8));
        i += 4;
      } else if (ch === "\\" && i + 1 < value.length) {
        push(value[i + 1]!);
        i += 2;
      } else {
        push(ch);
        i++;
      }
    }
    if (quoted) i++;
  }
  return Buffer.from(bytes).toString("utf8");
}

/** A record set from ListResourceRecordSets, in Corral's terms, keeping Route 53's own text of the values for deletes. */
export function fromWire(set: {
  Name?: string;
  Type?: string;
  TTL?: number;
  SetIdentifier?: string;
  Weight?: number;
  ResourceRecords?: { Value?: string }[];
  AliasTarget?: { HostedZoneId?: string; DNSName?: string; EvaluateTargetHealth?: boolean };
}): ZoneRecord {
  const type = set.Type ?? "";
  const wire = (set.ResourceRecords ?? []).map((r) => r.Value ?? "");
  const record: ZoneRecord = { name: normalizeName(set.Name ?? ""), type };
  if (set.TTL !== undefined) record.ttl = set.TTL;
  if (set.SetIdentifier !== undefined) record.setIdentifier = set.SetIdentifier;
  if (set.Weight !== undefined) record.weight = set.Weight;
  if (set.AliasTarget) {
    record.alias = {
      dnsName: normalizeName(set.AliasTarget.DNSName ?? ""),
      hostedZoneId: (set.AliasTarget.HostedZoneId ?? "").replace(/^\/?hostedzone\//, ""),
      evaluateTargetHealth: set.AliasTarget.EvaluateTargetHealth ?? false,
    };
  }
  if (wire.length > 0) {
    record.wireValues = wire;
    record.values = wire.map((v) => (type === "TXT" ? decodeTxt(v) : type === "CNAME" ? normalizeName(v) : type === "AAAA" ? v.toLowerCase() : v));
  }
  return record;
}

/** The record set Route 53 is sent for a change. */
export function toWire(record: DnsRecord) {
  return {
    Name: record.name,
    Type: record.type,
    ...(record.setIdentifier !== undefined ? { SetIdentifier: record.setIdentifier, Weight: record.weight } : {}),
    ...(record.alias
      ? { AliasTarget: { DNSName: record.alias.dnsName, HostedZoneId: record.alias.hostedZoneId, EvaluateTargetHealth: record.alias.evaluateTargetHealth ?? false } }
      : { TTL: record.ttl ?? DEFAULT_TTL, ResourceRecords: wireValuesOf(record).map((Value) => ({ Value })) }),
  };
}

function decodeOctal(s: string): string {
  if (!s.includes("\\")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else bytes.push(...Buffer.from(s[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
