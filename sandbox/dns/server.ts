import { type Socket, createSocket } from "node:dgram";
import dnsPacket from "dns-packet";
import type { FaultBoard } from "../faults";
import type { ZoneStore } from "../route53/zones";
import { type DnsRecord, resolve } from "./resolve";

const rcodes = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** A UDP DNS server on loopback answering from the Route 53 zones. */
export async function startDnsServer(zones: ZoneStore, faults: FaultBoard, host: string, port: number): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket("udp4");
  socket.on("message", (msg, rinfo) => {
    void (async () => {
      let query: dnsPacket.DecodedPacket;
      try {
        query = dnsPacket.decode(msg);
      } catch {
        return;
      }
      const outcome = await faults.decide("dns");
      if (outcome === "drop") return;
      const question = query.questions?.[0];
      let rcode: number = rcodes.SERVFAIL;
      let answers: dnsPacket.Answer[] = [];
      let authorities: dnsPacket.Answer[] = [];
      if (outcome !== "error" && question) {
        const r = resolve(zones.list(), question.name, question.type);
        rcode = rcodes[r.rcode];
        answers = r.answers.flatMap(toAnswer);
        authorities = r.authority.flatMap(toAnswer);
      }
      const recursionDesired = query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
      const response = dnsPacket.encode({
        type: "response",
        id: query.id,
        flags: dnsPacket.AUTHORITATIVE_ANSWER | recursionDesired | rcode,
        questions: query.questions,
        answers,
        authorities,
      });
      socket.send(response, rinfo.port, rinfo.address);
    })();
  });
  await new Promise<void>((resolveBind, reject) => {
    socket.once("error", reject);
    socket.bind(port, host, () => {
      socket.off("error", reject);
      resolveBind();
    });
  });
  return { socket, port: socket.address().port };
}

function toAnswer(r: DnsRecord): dnsPacket.Answer[] {
  const name = r.name.replace(/\.$/, "");
  switch (r.type) {
    case "A":
    case "AAAA":
    case "NS":
    case "PTR":
      return [{ type: r.type, name, ttl: r.ttl, data: r.value.replace(/\.$/, "") }];
    case "CNAME":
      return [{ type: "CNAME", name, ttl: r.ttl, data: r.value.replace(/\.$/, "") }];
    case "TXT":
      return [{ type: "TXT", name, ttl: r.ttl, data: unquote(r.value) }];
    case "MX": {
      const [pref, exchange] = r.value.split(/\s+/);
      return [{ type: "MX", name, ttl: r.ttl, data: { preference: Number(pref), exchange: (exchange ?? "").replace(/\.$/, "") } }];
    }
    case "SOA": {
      const [mname = "", rname = "", serial, refresh, retry, expire, minimum] = r.value.split(/\s+/);
      return [
        {
          type: "SOA",
          name,
          ttl: r.ttl,
          data: { mname: mname.replace(/\.$/, ""), rname: rname.replace(/\.$/, ""), serial: Number(serial), refresh: Number(refresh), retry: Number(retry), expire: Number(expire), minimum: Number(minimum) },
        },
      ];
    }
    default:
      return [];
  }
}

function unquote(v: string): string[] {
  const parts = [...v.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? "").replace(/\\(.)/g, "$1"));
  return parts.length > 0 ? parts : [v];
}
