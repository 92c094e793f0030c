import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type FaultBoard, applyHttpFaults } from "../faults";
import { readBody, sendText } from "../http-util";
import { type XmlContent, type XmlElement, type XmlPair, childEl, childEls, childText, parseXml, toXml } from "../xml";
import { type Change, type ChangeInfo, type HostedZone, type RecordSet, Route53Error, type ZoneStore, compareRecords, normalizeName } from "./zones";

const xmlns = "https://route53.amazonaws.com/doc/2013-04-01/";

export interface Route53ServerDeps {
  zones: ZoneStore;
  faults: FaultBoard;
  /** Requests per second before answering Throttling; 0 turns the limit off. */
  rateLimitPerSecond: () => number;
  /** Refuse a change to a zone whose previous change is still PENDING (PriorRequestNotComplete). */
  rejectWhilePending: () => boolean;
}

const throttled = () => new Route53Error("Throttling", 400, "Rate exceeded");

/** Route 53's REST/XML API (2013-04-01), the operations Corral uses. */
export function createRoute53Server(deps: Route53ServerDeps): Server {
  const bucket = new TokenBucket();
  return createServer((req, res) => {
    void (async () => {
      const faulted = await applyHttpFaults(
        deps.faults,
        "route53",
        req,
        res,
        (r) => sendError(r, new Route53Error("ServiceUnavailable", 503, "The sandbox injected a fault")),
        (r) => sendError(r, throttled()),
      );
      if (faulted) return;
      const limit = deps.rateLimitPerSecond();
      if (limit > 0 && !bucket.take(limit)) throw throttled();
      await route(deps, req, res);
    })().catch((err: unknown) => {
      const e = err instanceof Route53Error ? err : new Route53Error("InternalFailure", 500, err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendError(res, e);
      else res.end();
    });
  });
}

async function route(deps: Route53ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox");
  const path = url.pathname.replace(/\/+$/, "");
  const q = url.searchParams;
  const method = req.method ?? "GET";
  const { zones } = deps;
  let m: RegExpExecArray | null;

  if (path === "/2013-04-01/hostedzone" && method === "POST") {
    const doc = await readXml(req);
    const config = childEl(doc, "HostedZoneConfig");
    const { zone, change } = zones.create(childText(doc, "Name") ?? "", childText(doc, "CallerReference") ?? "", childText(config, "Comment"), childText(config, "PrivateZone") === "true");
    res.setHeader("location", `/2013-04-01/hostedzone/${zone.id}`);
    sendXml(res, 201, "CreateHostedZoneResponse", [["HostedZone", zoneXml(zone)], ["ChangeInfo", changeXml(change, "PENDING")], ["DelegationSet", delegationXml(zone)]]);
    return;
  }
  if (path === "/2013-04-01/hostedzone" && method === "GET") {
    const all = zones.list();
    const max = Number(q.get("maxitems") ?? "100") || 100;
    const start = q.get("marker") ? all.findIndex((z) => z.id === q.get("marker")) : 0;
    const page = all.slice(Math.max(0, start), Math.max(0, start) + max);
    const next = all[Math.max(0, start) + max];
    sendXml(res, 200, "ListHostedZonesResponse", [
      ["HostedZones", page.map((z): XmlPair => ["HostedZone", zoneXml(z)])],
      ...(q.get("marker") ? [["Marker", q.get("marker") ?? ""] as XmlPair] : []),
      ["IsTruncated", next !== undefined],
      ...(next ? [["NextMarker", next.id] as XmlPair] : []),
      ["MaxItems", max],
    ]);
    return;
  }
  if (path === "/2013-04-01/hostedzonesbyname" && method === "GET") {
    const dnsName = q.get("dnsname") ? normalizeName(q.get("dnsname") ?? "") : undefined;
    const max = Number(q.get("maxitems") ?? "100") || 100;
    const all = zones.list();
    const start = dnsName ? all.findIndex((z) => z.name >= dnsName || z.name === dnsName) : 0;
    const page = start < 0 ? [] : all.slice(start, start + max);
    const next = start < 0 ? undefined : all[start + max];
    sendXml(res, 200, "ListHostedZonesByNameResponse", [
      ["HostedZones", page.map((z): XmlPair => ["HostedZone", zoneXml(z)])],
      ...(dnsName ? [["DNSName", dnsName] as XmlPair] : []),
      ["IsTruncated", next !== undefined],
      ...(next ? [["NextDNSName", next.name] as XmlPair, ["NextHostedZoneId", next.id] as XmlPair] : []),
      ["MaxItems", max],
    ]);
    return;
  }
  if ((m = /^\/2013-04-01\/hostedzone\/([^/]+)$/.exec(path))) {
    const id = m[1] ?? "";
    if (method === "GET") {
      const zone = zones.get(id);
      sendXml(res, 200, "GetHostedZoneResponse", [["HostedZone", zoneXml(zone)], ["DelegationSet", delegationXml(zone)]]);
      return;
    }
    if (method === "DELETE") {
      sendXml(res, 200, "DeleteHostedZoneResponse", [["ChangeInfo", changeXml(zones.delete(id), "PENDING")]]);
      return;
    }
  }
  if ((m = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset$/.exec(path))) {
    const zone = zones.get(m[1] ?? "");
    if (method === "GET") {
      listRecordSets(res, zone, q);
      return;
    }
    if (method === "POST") {
      const doc = await readXml(req);
      const batch = childEl(doc, "ChangeBatch");
      const changes = childEls(childEl(batch, "Changes"), "Change").map(parseChange);
      const priorRate = deps.faults.get("route53").priorRequestRate;
      if ((priorRate > 0 && Math.random() < priorRate) || (deps.rejectWhilePending() && zones.hasPendingChange(zone.id))) {
        throw new Route53Error("PriorRequestNotComplete", 400, "The request was rejected because Route 53 was still processing a prior request.");
      }
      const info = zones.applyBatch(zone.id, changes, childText(batch, "Comment"));
      sendXml(res, 200, "ChangeResourceRecordSetsResponse", [["ChangeInfo", changeXml(info, "PENDING")]]);
      return;
    }
  }
  if ((m = /^\/2013-04-01\/change\/([^/]+)$/.exec(path)) && method === "GET") {
    const c = zones.getChange(m[1] ?? "");
    sendXml(res, 200, "GetChangeResponse", [["ChangeInfo", changeXml(c, c.status)]]);
    return;
  }
  throw new Route53Error("InvalidAction", 400, `Unsupported operation ${method} ${path}`);
}

function listRecordSets(res: ServerResponse, zone: HostedZone, q: URLSearchParams): void {
  const max = Math.min(300, Number(q.get("maxitems") ?? "300") || 300);
  const all = [...zone.records].sort(compareRecords);
  const startName = q.get("name");
  const startType = q.get("type");
  const startId = q.get("identifier");
  let start = 0;
  if (startName) {
    const probe: RecordSet = { name: normalizeName(startName), type: startType ?? "", setIdentifier: startId ?? undefined };
    start = all.findIndex((r) => compareRecords(r, probe) >= 0);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + max);
  const next = all[start + max];
  sendXml(res, 200, "ListResourceRecordSetsResponse", [
    ["ResourceRecordSets", page.map((r): XmlPair => ["ResourceRecordSet", recordXml(r)])],
    ["IsTruncated", next !== undefined],
    ...(next
      ? ([["NextRecordName", escapeName(next.name)], ["NextRecordType", next.type], ...(next.setIdentifier !== undefined ? [["NextRecordIdentifier", next.setIdentifier]] : [])] as XmlPair[])
      : []),
    ["MaxItems", max],
  ]);
}

function parseChange(el: XmlElement): Change {
  const action = childText(el, "Action");
  if (action !== "CREATE" && action !== "DELETE" && action !== "UPSERT") throw new Route53Error("InvalidInput", 400, `Invalid action ${String(action)}`);
  const rr = childEl(el, "ResourceRecordSet");
  const alias = childEl(rr, "AliasTarget");
  const ttl = childText(rr, "TTL");
  const weight = childText(rr, "Weight");
  const values = childEls(childEl(rr, "ResourceRecords"), "ResourceRecord").map((r) => childText(r, "Value") ?? "");
  return {
    action,
    record: {
      name: childText(rr, "Name") ?? "",
      type: childText(rr, "Type") ?? "",
      ...(ttl !== undefined ? { ttl: Number(ttl) } : {}),
      ...(childText(rr, "SetIdentifier") !== undefined ? { setIdentifier: childText(rr, "SetIdentifier") } : {}),
      ...(weight !== undefined ? { weight: Number(weight) } : {}),
      ...(values.length > 0 ? { values } : {}),
      ...(alias
        ? { alias: { hostedZoneId: childText(alias, "HostedZoneId") ?? "", dnsName: normalizeName(childText(alias, "DNSName") ?? ""), evaluateTargetHealth: childText(alias, "EvaluateTargetHealth") === "true" } }
        : {}),
    },
  };
}

function zoneXml(z: HostedZone): XmlContent {
  return [
    ["Id", `/hostedzone/${z.id}`],
    ["Name", z.name],
    ["CallerReference", z.callerReference],
    ["Config", [...(z.comment !== undefined ? [["Comment", z.comment] as XmlPair] : []), ["PrivateZone", z.privateZone]]],
    ["ResourceRecordSetCount", z.records.length],
  ];
}

function delegationXml(z: HostedZone): XmlContent {
  const ns = z.records.find((r) => r.type === "NS" && r.name === z.name)?.values ?? [];
  return [["NameServers", ns.map((n): XmlPair => ["NameServer", n.replace(/\.$/, "")])]];
}

function changeXml(c: ChangeInfo, status: string): XmlContent {
  return [["Id", `/change/${c.id}`], ["Status", status], ["SubmittedAt", c.submittedAt], ...(c.comment !== undefined ? [["Comment", c.comment] as XmlPair] : [])];
}

function recordXml(r: RecordSet): XmlContent {
  return [
    ["Name", escapeName(r.name)],
    ["Type", r.type],
    ...(r.setIdentifier !== undefined ? [["SetIdentifier", r.setIdentifier] as XmlPair] : []),
    ...(r.weight !== undefined ? [["Weight", r.weight] as XmlPair] : []),
    ...(r.ttl !== undefined ? [["TTL", r.ttl] as XmlPair] : []),
    ...(r.values ? [["ResourceRecords", r.values.map((v): XmlPair => ["ResourceRecord", [["Value", v]]])] as XmlPair] : []),
    ...(r.alias ? [["AliasTarget", [["HostedZoneId", r.alias.hostedZoneId], ["DNSName", r.alias.dnsName], ["EvaluateTargetHealth", r.alias.evaluateTargetHealth]]] as XmlPair] : []),
  ];
}

function escapeName(n: string): string {
  return n.replace(/\*/g, "\\052");
}

async function readXml(req: IncomingMessage): Promise<XmlElement> {
  const body = (await readBody(req, 32 * 1024 * 1024)).toString("utf8");
  try {
    return parseXml(body);
  } catch (err) {
    throw new Route53Error("InvalidInput", 400, `Could not parse request body: ${(err as Error).message}`);
  }
}

function sendXml(res: ServerResponse, status: number, root: string, content: XmlContent): void {
  res.setHeader("x-amzn-requestid", randomUUID());
  sendText(res, status, toXml(root, content, xmlns), "text/xml");
}

function sendError(res: ServerResponse, e: Route53Error): void {
  const type = e.status >= 500 ? "Receiver" : "Sender";
  const requestId = randomUUID();
  res.setHeader("x-amzn-requestid", requestId);
  // Route 53 lists every problem of a refused batch in the one Message, bracketed and comma-separated.
  const message = e.code === "InvalidChangeBatch" ? `[${e.messages.join(", ")}]` : e.message;
  sendText(res, e.status, toXml("ErrorResponse", [["Error", [["Type", type], ["Code", e.code], ["Message", message]]], ["RequestId", requestId]], xmlns), "text/xml");
}

/** A token bucket refilled continuously, one bucket for the whole "account" as in AWS. */
class TokenBucket {
  private tokens = -1;
  private last = Date.now();

  take(ratePerSecond: number): boolean {
    const now = Date.now();
    if (this.tokens < 0) this.tokens = ratePerSecond;
    this.tokens = Math.min(ratePerSecond, this.tokens + ((now - this.last) / 1000) * ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
