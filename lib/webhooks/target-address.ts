import { BlockList, isIP } from "node:net";

// Where Corral may send a webhook. A subscription's URL is chosen by a person but requested by
// Corral's servers, inside the company's network: without a check it reaches the cloud's metadata
// service, the cluster's API or a database's HTTP port (server-side request forgery). So by
// default only public addresses are allowed; CORRAL_WEBHOOKS_ALLOW_PRIVATE=true lifts that (the
// quick start and the tests, whose receivers are on loopback; an installation whose receivers
// are all internal). The check is made when a URL is saved (its literal address, or what its name
// resolves to then) and again on every connection, on the addresses the name resolves to at that
// moment, so a name that later resolves to 10.0.0.5 (DNS rebinding) is refused too.

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local: cloud metadata services live here
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv6");
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the internet (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** The host of a URL as a resolver or a socket takes it: IPv6 without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Why Corral will not send to this (well-formed http(s)) URL because of where it points, or
 * null. Names are judged here only when they are loopback by definition; others when resolved.
 */
export function privateTargetProblem(raw: string): string | null {
  const host = hostOf(new URL(raw)).toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || (isIP(host) !== 0 && isPrivateAddress(host))) return privateRefusal(host);
  return null;
}

export function privateRefusal(what: string): string {
  return `${what} is a private or loopback address, which webhooks may not reach unless an admin sets CORRAL_WEBHOOKS_ALLOW_PRIVATE=true.`;
}
