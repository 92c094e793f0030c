import type { HostedZone, RecordSet } from "../route53/zones";
import { normalizeName } from "../route53/zones";

export interface DnsRecord {
  name: string;
  type: string;
  ttl: number;
  value: string;
}

export interface Resolution {
  rcode: "NOERROR" | "NXDOMAIN" | "REFUSED";
  answers: DnsRecord[];
  authority: DnsRecord[];
}

/**
 * Answers a question from the hosted zones as Route 53 would: longest matching zone, wildcard
 * fallback, CNAME chasing inside our zones, aliases resolved to their target's records and one
 * weighted set chosen in proportion to its weight.
 */
export function resolve(zones: HostedZone[], qname: string, qtype: string, random: () => number = Math.random, depth = 0): Resolution {
  const name = normalizeName(qname);
  const zone = zones.filter((z) => name === z.name || name.endsWith(`.${z.name}`)).sort((a, b) => b.name.length - a.name.length)[0];
  if (!zone) return { rcode: "REFUSED", answers: [], authority: [] };
  const soa = zone.records.find((r) => r.type === "SOA" && r.name === zone.name);
  const authority = soa ? toRecords(soa, zone.name).slice(0, 1) : [];
  let atName = zone.records.filter((r) => r.name === name);
  if (atName.length === 0) {
    const wildcard = `*.${name.split(".").slice(1).join(".")}`;
    atName = zone.records.filter((r) => r.name === wildcard);
  }
  if (atName.length === 0) {
    const hasDescendants = zone.records.some((r) => r.name.endsWith(`.${name}`));
    return { rcode: hasDescendants ? "NOERROR" : "NXDOMAIN", answers: [], authority };
  }
  const cname = pickWeighted(atName.filter((r) => r.type === "CNAME"), random);
  if (cname && qtype !== "CNAME") {
    const answers = toRecords(cname, name);
    const target = answers[0]?.value;
    if (target && depth < 8) {
      const chased = resolve(zones, target, qtype, random, depth + 1);
      if (chased.rcode !== "REFUSED") return { rcode: "NOERROR", answers: [...answers, ...chased.answers], authority: chased.answers.length ? [] : chased.authority };
    }
    return { rcode: "NOERROR", answers, authority: [] };
  }
  const chosen = pickWeighted(atName.filter((r) => r.type === qtype), random);
  if (!chosen) return { rcode: "NOERROR", answers: [], authority };
  if (chosen.alias) {
    if (depth >= 8) return { rcode: "NOERROR", answers: [], authority };
    const target = resolve(zones, chosen.alias.dnsName, qtype, random, depth + 1);
    return { rcode: "NOERROR", answers: target.answers.map((a) => ({ ...a, name })), authority: target.answers.length ? [] : authority };
  }
  return { rcode: "NOERROR", answers: toRecords(chosen, name), authority: [] };
}

function pickWeighted(sets: RecordSet[], random: () => number): RecordSet | undefined {
  if (sets.length <= 1) return sets[0];
  const total = sets.reduce((n, s) => n + (s.weight ?? 0), 0);
  if (total === 0) return sets[Math.floor(random() * sets.length)];
  let x = random() * total;
  for (const s of sets) {
    x -= s.weight ?? 0;
    if (x < 0) return s;
  }
  return sets[sets.length - 1];
}

function toRecords(r: RecordSet, name: string): DnsRecord[] {
  return (r.values ?? []).map((value) => ({ name, type: r.type, ttl: r.ttl ?? 60, value }));
}
