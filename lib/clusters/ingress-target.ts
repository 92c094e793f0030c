// Where a cluster's ingress answers, as an admin writes it, and the DNS records that point a
// name there: a host name (CNAME), IP addresses (A and AAAA), or a load balancer by alias
// (`alias:<hosted zone id>/<dns name>`, as AWS names ELBs).

export type IngressTarget =
  | { kind: "cname"; host: string }
  | { kind: "addresses"; v4: string[]; v6: string[] }
  | { kind: "alias"; hostedZoneId: string; dnsName: string };

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ZONE_ID = /^[A-Z0-9]{1,32}$/;

export const INGRESS_TARGET_MESSAGE =
  "Ingress target is a DNS name (ingress.example.com), IP addresses separated by commas (10.0.0.5, 10.0.0.6), or alias:<hosted zone id>/<load balancer DNS name>.";

// The form imports this module too, so no node:net: dotted quads by rule, IPv6 by the URL parser.
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

function isIP(text: string): 0 | 4 | 6 {
  if (IPV4.test(text)) return 4;
  if (!text.includes(":") || !/^[0-9a-fA-F:.]+$/.test(text)) return 0;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2 ? 6 : 0;
  } catch {
    return 0;
  }
}

export function isHostname(host: string): boolean {
  return host.length <= 253 && host.split(".").every((label) => HOST_LABEL.test(label));
}

/** The target, or null when the text is none of the three forms. */
export function parseIngressTarget(text: string): IngressTarget | null {
  const value = text.trim();
  const alias = /^alias:([^/]+)\/(.+)$/i.exec(value);
  if (alias) {
    const dnsName = alias[2]!.toLowerCase().replace(/\.$/, "");
    return ZONE_ID.test(alias[1]!) && isHostname(dnsName) ? { kind: "alias", hostedZoneId: alias[1]!, dnsName } : null;
  }
  const parts = value.split(",").map((p) => p.trim());
  if (parts.every((p) => isIP(p) !== 0)) {
    return { kind: "addresses", v4: parts.filter((p) => isIP(p) === 4), v6: parts.filter((p) => isIP(p) === 6) };
  }
  const host = value.toLowerCase().replace(/\.$/, "");
  return parts.length === 1 && isHostname(host) && !/^\d+(\.\d+)*$/.test(host) ? { kind: "cname", host } : null;
}

/** The records that point `name` at the target (without ownership records). */
export function recordsFor(name: string, target: IngressTarget, ttl = 60) {
  switch (target.kind) {
    case "cname":
      return [{ name, type: "CNAME" as const, ttl, values: [target.host] }];
    case "alias":
      return [{ name, type: "A" as const, alias: { dnsName: target.dnsName, hostedZoneId: target.hostedZoneId, evaluateTargetHealth: false } }];
    case "addresses":
      return [
        ...(target.v4.length > 0 ? [{ name, type: "A" as const, ttl, values: target.v4 }] : []),
        ...(target.v6.length > 0 ? [{ name, type: "AAAA" as const, ttl, values: target.v6 }] : []),
      ];
  }
}

/** How the records read on a page: "CNAME", "A", "A+AAAA", "alias". */
export function recordTypeOf(target: IngressTarget): string {
  if (target.kind === "cname") return "CNAME";
  if (target.kind === "alias") return "alias";
  return [target.v4.length > 0 ? "A" : null, target.v6.length > 0 ? "AAAA" : null].filter(Boolean).join("+");
}

/** The target written the one way it is stored. */
export function formatIngressTarget(target: IngressTarget): string {
  if (target.kind === "cname") return target.host;
  if (target.kind === "alias") return `alias:${target.hostedZoneId}/${target.dnsName}`;
  return [...target.v4, ...target.v6].join(", ");
}
