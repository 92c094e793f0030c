import { ChangeResourceRecordSetsCommand, type Change, Route53Client } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DnsProblem } from "@/lib/dns/dns-problem";
import { planZone } from "@/lib/dns/plan-zone";
import { applyChanges, findZone, listZoneRecords, route53Client, waitInSync } from "@/lib/dns/route53";
import type { WantedRecord, ZoneRecord } from "@/lib/dns/types";
import type { Sandbox } from "@/sandbox/index";
import { awsCli } from "../sandbox/aws-cli";
import { run, skipReason, startTestSandbox } from "../sandbox/helpers";
import { eventually } from "../support/eventually";

// The gateway and the planner against the sandbox's Route 53 over HTTP, with the AWS SDK as
// Corral uses it, checked from outside with Debian's AWS CLI and dig on the sandbox's DNS.

const ZONE = "corral.test";
const BULK = "bulk.test";
const INSTALLATION = "it-install";
const aws = awsCli();
const noDig = skipReason("dig", "dnsutils");

let sandbox: Sandbox;
let zoneId: string;
let byHand: Route53Client;

beforeAll(async () => {
  sandbox = await startTestSandbox({ route53: { zones: [ZONE, BULK], changeSyncDelayMs: 100 } });
  // The gateway reads its endpoint and credentials from the SDK's standard environment.
  Object.assign(process.env, sandbox.awsEnv);
  zoneId = (await findZone(ZONE)).id;
  // Someone else in the account, changing the zone behind Corral's back.
  byHand = new Route53Client({ endpoint: sandbox.route53.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
});

afterAll(() => sandbox?.stop());

const a = (owner: string, name: string, ip: string): WantedRecord => ({ owner, name, type: "A", values: [ip] });
const cname = (owner: string, name: string, target: string): WantedRecord => ({ owner, name, type: "CNAME", values: [target] });

/** What the DNS sync job does: list, plan, apply, wait. */
async function sync(wanted: WantedRecord[], id = zoneId, zone = ZONE) {
  const plan = planZone({ zone, installation: INSTALLATION, wanted, existing: await listZoneRecords(id) });
  const result = await applyChanges(id, plan.groups);
  const sync = await waitInSync([...new Set(result.applied.map((x) => x.changeId))], { timeoutMs: 10_000 });
  return { plan, result, sync };
}

async function changeByHand(...changes: Change[]) {
  await byHand.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
}

async function dig(name: string, type: string): Promise<string[]> {
  const out = await run("dig", ["@127.0.0.1", "-p", String(sandbox.dns.port), name, type, "+short"]);
  return out.stdout.trim().split("\n").filter(Boolean);
}

const key = (r: ZoneRecord) => `${r.name} ${r.type} ${r.setIdentifier ?? ""} ${JSON.stringify(r.values ?? r.alias)}`;

// env-a and env-b live in the zone through the file; each test builds on the one before.
const envA = [a("env-a", `a.${ZONE}`, "127.0.0.21"), cname("env-a", `web.a.${ZONE}`, `a.${ZONE}`), a("env-a", `shop.${ZONE}`, "127.0.0.23")];
const envB = [a("env-b", `b.${ZONE}`, "127.0.0.31"), cname("env-b", `api.b.${ZONE}`, `b.${ZONE}`)];

describe("the Route 53 gateway against the sandbox", () => {
  it("finds a zone by its domain or its id, and says so plainly when there is none", async () => {
    expect(await findZone(`${ZONE}.`)).toEqual({ id: zoneId, name: ZONE });
    expect(await findZone(`/hostedzone/${zoneId}`)).toEqual({ id: zoneId, name: ZONE });
    await expect(findZone("missing.test")).rejects.toMatchObject({ kind: "not-found", message: "Route 53 has no hosted zone named missing.test" });
    await expect(findZone("ZNOSUCHZONE1")).rejects.toBeInstanceOf(DnsProblem);
  });

  it("applies a plan: the records and their TXT owners are in Route 53 (AWS CLI) and answer on DNS (dig)", async () => {
    const { plan, result, sync: synced } = await sync([...envA, ...envB]);
    expect(plan.conflicts).toEqual([]);
    expect(result.rejected).toEqual([]);
    expect(result.applied.map((x) => x.name).sort()).toEqual([`a.${ZONE}`, `api.b.${ZONE}`, `b.${ZONE}`, `shop.${ZONE}`, `web.a.${ZONE}`]);
    // Five names and their TXT owners: one request.
    expect(new Set(result.applied.map((x) => x.changeId)).size).toBe(1);
    expect(synced.pending).toEqual([]);

    const again = planZone({ zone: ZONE, installation: INSTALLATION, wanted: [...envA, ...envB], existing: await listZoneRecords(zoneId) });
    expect(again.groups).toEqual([]);
    expect(again.live).toHaveLength(5);

    if (aws) {
      const env = { ...sandbox.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
      const listed = await run(aws, ["route53", "list-resource-record-sets", "--hosted-zone-id", zoneId, "--endpoint-url", sandbox.route53.url, "--output", "json"], env);
      expect(listed.stderr).toBe("");
      const sets = (JSON.parse(listed.stdout) as { ResourceRecordSets: { Name: string; Type: string; ResourceRecords?: { Value: string }[] }[] }).ResourceRecordSets;
      const find = (name: string, type: string) => sets.find((s) => s.Name === name && s.Type === type)?.ResourceRecords?.map((r) => r.Value);
      expect(find(`a.${ZONE}.`, "A")).toEqual(["127.0.0.21"]);
      expect(find(`web.a.${ZONE}.`, "CNAME")).toEqual([`a.${ZONE}`]);
      expect(find(`_corral.a.${ZONE}.`, "TXT")).toEqual([`"heritage=corral,installation=${INSTALLATION},owner=env-a,type=A"`]);
      expect(find(`_corral.web.a.${ZONE}.`, "TXT")).toEqual([`"heritage=corral,installation=${INSTALLATION},owner=env-a,type=CNAME"`]);
      expect(find(`_corral.api.b.${ZONE}.`, "TXT")).toEqual([`"heritage=corral,installation=${INSTALLATION},owner=env-b,type=CNAME"`]);
    } else console.warn("AWS CLI checks skipped: aws not installed (apt-get install -y awscli)");

    if (!noDig) {
      expect(await dig(`web.a.${ZONE}`, "A")).toEqual([`a.${ZONE}.`, "127.0.0.21"]);
      expect(await dig(`_corral.shop.${ZONE}`, "TXT")).toEqual([`"heritage=corral,installation=${INSTALLATION},owner=env-a,type=A"`]);
    } else console.warn(`dig checks skipped: ${noDig}`);
  });

  it("leaves a record that is not Corral's untouched and reports the name", async () => {
    await changeByHand({ Action: "CREATE", ResourceRecordSet: { Name: `taken.${ZONE}`, Type: "A", TTL: 300, ResourceRecords: [{ Value: "192.0.2.1" }] } });
    const wanted = [...envA, ...envB, a("env-b", `taken.${ZONE}`, "127.0.0.32")];
    const { plan, result } = await sync(wanted);
    expect(plan.conflicts).toEqual([{ owner: "env-b", name: `taken.${ZONE}`, reason: `taken.${ZONE} already has an A record that is not Corral's` }]);
    expect(result.applied).toEqual([]);
    const records = await listZoneRecords(zoneId);
    expect(records.filter((r) => r.name.endsWith(`taken.${ZONE}`)).map((r) => [r.name, r.type, r.ttl, r.values])).toEqual([[`taken.${ZONE}`, "A", 300, ["192.0.2.1"]]]);
  });

  it("repairs a record of Corral's deleted by hand, and one changed by hand", async () => {
    await changeByHand(
      { Action: "DELETE", ResourceRecordSet: { Name: `a.${ZONE}`, Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.21" }] } },
      { Action: "UPSERT", ResourceRecordSet: { Name: `b.${ZONE}`, Type: "A", TTL: 5, ResourceRecords: [{ Value: "192.0.2.66" }] } },
    );
    if (!noDig) expect(await dig(`a.${ZONE}`, "A")).toEqual([]);
    const { plan, result } = await sync([...envA, ...envB]);
    expect(plan.groups.map((g) => [g.name, g.changes.map((c) => `${c.action} ${c.record.type}`)])).toEqual([
      [`a.${ZONE}`, ["CREATE A"]],
      [`b.${ZONE}`, ["UPSERT A"]],
    ]);
    expect(result.rejected).toEqual([]);
    if (!noDig) {
      expect(await dig(`a.${ZONE}`, "A")).toEqual(["127.0.0.21"]);
      expect(await dig(`b.${ZONE}`, "A")).toEqual(["127.0.0.31"]);
    }
  });

  it("deletes a destroyed environment's records and TXT owners, and nothing else", async () => {
    const before = await listZoneRecords(zoneId);
    const { plan, result } = await sync(envB);
    expect(plan.groups.every((g) => g.owner === "env-a")).toBe(true);
    expect(result.rejected).toEqual([]);
    const after = await listZoneRecords(zoneId);
    const gone = before.filter((r) => !after.some((x) => key(x) === key(r))).map((r) => `${r.name} ${r.type}`);
    expect(gone.sort()).toEqual([`_corral.a.${ZONE} TXT`, `_corral.shop.${ZONE} TXT`, `_corral.web.a.${ZONE} TXT`, `a.${ZONE} A`, `shop.${ZONE} A`, `web.a.${ZONE} CNAME`]);
    // Everything else is exactly as it was: env-b, the foreign record, NS and SOA.
    expect(after.map(key).sort()).toEqual(before.filter((r) => !gone.includes(`${r.name} ${r.type}`)).map(key).sort());
    if (!noDig) expect(await dig(`taken.${ZONE}`, "A")).toEqual(["192.0.2.1"]);
  });

  it("applies every good group of a batch Route 53 refuses and reports each bad one with its reason", async () => {
    const good = Array.from({ length: 20 }, (_, i) => a("env-c", `c${i}.${ZONE}`, `127.0.1.${i}`));
    const wanted = [...envB, ...good.slice(0, 10), a("env-c", `bad-ip.${ZONE}`, "999.0.0.1"), cname("env-c", `raced.${ZONE}`, `b.${ZONE}`), ...good.slice(10)];
    const plan = planZone({ zone: ZONE, installation: INSTALLATION, wanted, existing: await listZoneRecords(zoneId) });
    expect(plan.groups).toHaveLength(22);
    // Between the listing and the apply, someone puts an A record where the plan creates a CNAME.
    await changeByHand({ Action: "CREATE", ResourceRecordSet: { Name: `raced.${ZONE}`, Type: "A", TTL: 60, ResourceRecords: [{ Value: "192.0.2.2" }] } });

    const result = await applyChanges(zoneId, plan.groups);
    expect(result.applied.map((x) => x.name).sort()).toEqual(good.map((w) => w.name).sort());
    expect(result.rejected).toHaveLength(2);
    expect(result.rejected.find((r) => r.name === `bad-ip.${ZONE}`)?.reason).toMatch(new RegExp(`^Route 53 refused the change to bad-ip\\.corral\\.test: .*not a valid IPv4 address`));
    expect(result.rejected.find((r) => r.name === `raced.${ZONE}`)?.reason).toMatch(/^Route 53 refused the change to raced\.corral\.test: RRSet of type CNAME with DNS name raced\.corral\.test\. is not permitted/);

    const records = await listZoneRecords(zoneId);
    for (const w of good) expect(records.filter((r) => r.name === w.name || r.name === `_corral.${w.name}`)).toHaveLength(2);
    // A refused group left nothing behind: not its record, not its TXT.
    expect(records.filter((r) => r.name.includes("bad-ip"))).toEqual([]);
    expect(records.filter((r) => r.name.includes("raced")).map((r) => r.type)).toEqual(["A"]);
    // The next sync reports the race as what it now is: a name held by a record not Corral's.
    const next = planZone({ zone: ZONE, installation: INSTALLATION, wanted, existing: records });
    expect(next.conflicts.map((c) => c.name)).toEqual([`raced.${ZONE}`]);
  });

  it("splits more than 1,000 records across requests, and deletes them as well", async () => {
    const bulk = await findZone(BULK);
    const wanted = Array.from({ length: 600 }, (_, i) => a(`env-${i % 50}`, `n${i}.${BULK}`, `10.1.${i >> 8}.${i & 255}`));
    const { plan, result, sync: synced } = await sync(wanted, bulk.id, BULK);
    expect(plan.groups).toHaveLength(600);
    expect(result.rejected).toEqual([]);
    expect(result.applied).toHaveLength(600);
    // 1,200 record sets: two requests, none over 1,000.
    expect(new Set(result.applied.map((x) => x.changeId)).size).toBe(2);
    expect(synced.inSync).toHaveLength(2);
    const records = await listZoneRecords(bulk.id);
    expect(records).toHaveLength(1_200 + 2);

    const cleared = await sync([], bulk.id, BULK);
    expect(new Set(cleared.result.applied.map((x) => x.changeId)).size).toBe(2);
    expect((await listZoneRecords(bulk.id)).map((r) => r.type).sort()).toEqual(["NS", "SOA"]);
  });

  it("converges while about half of Route 53's answers are errors or dropped connections", async () => {
    let attempts = 0;
    let failures = 0;
    route53Client().middlewareStack.add(
      (next) => async (args) => {
        attempts++;
        try {
          return await next(args);
        } catch (error) {
          failures++;
          throw error;
        }
      },
      // Inside the SDK's own retries, so every attempt is counted, not only what they gave up on.
      { step: "deserialize", name: "countForTest" },
    );
    const wanted = [...envB, ...Array.from({ length: 40 }, (_, i) => cname(`env-d${i % 4}`, `d${i}.${ZONE}`, `b.${ZONE}`))];
    // Seeded: the run can be replayed, and its first request is dropped (seed 7's first draw).
    sandbox.setFaults("route53", { errorRate: 0.3, dropRate: 0.25, seed: 7 });
    try {
      // As the DNS sync job would be: run again until nothing is left to do.
      await eventually(async () => {
        try {
          const { plan } = await sync(wanted);
          return plan.groups.length === 0 && plan.live.length === wanted.length;
        } catch (error) {
          if (error instanceof DnsProblem && error.kind === "unavailable") return false;
          throw error;
        }
      }, "the zone to converge under faults", 50_000);
    } finally {
      sandbox.clearFaults();
      route53Client().middlewareStack.remove("countForTest");
    }
    // Faults really were met on the way.
    expect(failures).toBeGreaterThan(0);
    expect(attempts).toBeGreaterThan(failures);
    const records = await listZoneRecords(zoneId);
    for (let i = 0; i < 40; i++) {
      expect(records.filter((r) => r.name === `d${i}.${ZONE}`).map((r) => r.values)).toEqual([[`b.${ZONE}`]]);
      expect(records.filter((r) => r.name === `_corral.d${i}.${ZONE}`)).toHaveLength(1);
    }
  });
});
