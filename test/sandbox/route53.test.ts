import {
  type Change,
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  InvalidChangeBatch,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  PriorRequestNotComplete,
  Route53Client,
  waitUntilResourceRecordSetsChanged,
} from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type Sandbox, defaultSandboxZones } from "@/sandbox/index";
import { awsCli } from "./aws-cli";
import { run, skipReason, startTestSandbox, waitFor } from "./helpers";

const aws = awsCli();
const noDig = skipReason("dig", "dnsutils");
if (!aws) console.warn("skipping AWS CLI tests: aws not installed (apt-get install -y awscli)");
if (noDig) console.warn(`skipping dig tests: ${noDig}`);

describe("Route 53 and DNS", () => {
  let sandbox: Sandbox;
  let r53: Route53Client;
  let zoneId: string;
  let localhostZoneId: string;
  const client = (s: Sandbox, maxAttempts?: number) =>
    new Route53Client({ endpoint: s.route53.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" }, ...(maxAttempts ? { maxAttempts } : {}) });
  const zoneIdOf = async (c: Route53Client, name: string) => (await c.send(new ListHostedZonesCommand({}))).HostedZones?.find((z) => z.Name === name)?.Id ?? "";

  beforeAll(async () => {
    sandbox = await startTestSandbox({ route53: { zones: ["corral.test", ...defaultSandboxZones], changeSyncDelayMs: 100 } });
    r53 = client(sandbox);
    zoneId = await zoneIdOf(r53, "corral.test.");
    localhostZoneId = await zoneIdOf(r53, "sandbox.localhost.");
  });

  afterAll(() => sandbox.stop());

  it("creates zones and applies change batches atomically with AWS errors", async () => {
    const created = await r53.send(new CreateHostedZoneCommand({ Name: "other.test", CallerReference: "ref-1" }));
    expect(created.HostedZone?.Name).toBe("other.test.");
    expect(created.DelegationSet?.NameServers?.length).toBe(4);

    const change = await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: "CREATE", ResourceRecordSet: { Name: "app.corral.test", Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.10" }] } }] },
      }),
    );
    expect(change.ChangeInfo?.Status).toBe("PENDING");
    await waitFor("INSYNC", async () => (await r53.send(new GetChangeCommand({ Id: change.ChangeInfo?.Id }))).ChangeInfo?.Status === "INSYNC");

    const failing = r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: "CREATE", ResourceRecordSet: { Name: "new.corral.test", Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.11" }] } },
            { Action: "CREATE", ResourceRecordSet: { Name: "app.corral.test", Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.12" }] } },
          ],
        },
      }),
    );
    await expect(failing).rejects.toBeInstanceOf(InvalidChangeBatch);
    const records = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    expect(records.ResourceRecordSets?.some((r) => r.Name === "new.corral.test.")).toBe(false);
  });

  it("pages record sets and keeps weighted and alias records", async () => {
    const changes = Array.from({ length: 7 }, (_, i) => ({
      Action: "UPSERT" as const,
      ResourceRecordSet: { Name: `w.corral.test`, Type: "A" as const, TTL: 60, SetIdentifier: `s${i}`, Weight: i + 1, ResourceRecords: [{ Value: `127.0.1.${i}` }] },
    }));
    changes.push({ Action: "UPSERT", ResourceRecordSet: { Name: "alias.corral.test", Type: "A", AliasTarget: { HostedZoneId: zoneId, DNSName: "w.corral.test", EvaluateTargetHealth: false } } as never });
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
    const names: string[] = [];
    let start: { StartRecordName?: string; StartRecordType?: "A"; StartRecordIdentifier?: string } = {};
    for (let page = 0; page < 10; page++) {
      const res = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 3, ...start }));
      names.push(...(res.ResourceRecordSets ?? []).map((r) => `${r.Name ?? ""}/${r.Type ?? ""}/${r.SetIdentifier ?? ""}`));
      if (!res.IsTruncated) break;
      start = { StartRecordName: res.NextRecordName, StartRecordType: res.NextRecordType as "A", StartRecordIdentifier: res.NextRecordIdentifier };
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith("w.corral.test./A/"))).toHaveLength(7);
    expect(names).toContain("alias.corral.test./A/");
  });

  it("throttles when a rate limit is configured", async () => {
    const limited = await startTestSandbox({ route53: { rateLimitPerSecond: 2 } });
    try {
      const client = new Route53Client({ endpoint: limited.route53.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" }, maxAttempts: 1 });
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => client.send(new ListHostedZonesCommand({}))));
      const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => (r.reason as { name: string }).name);
      expect(errors).toContain("Throttling");
    } finally {
      await limited.stop();
    }
  });

  it("answers AWS's Throttling to the share of requests the throttleRate fault names", async () => {
    sandbox.setFaults("route53", { throttleRate: 0.5 });
    try {
      const once = client(sandbox, 1);
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => once.send(new ListHostedZonesCommand({}))));
      const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as { name: string; message: string; $metadata: { httpStatusCode: number } });
      expect(errors.length).toBeGreaterThan(4);
      expect(errors.length).toBeLessThan(36);
      for (const e of errors) expect({ name: e.name, message: e.message, status: e.$metadata.httpStatusCode }).toEqual({ name: "Throttling", message: "Rate exceeded", status: 400 });
    } finally {
      sandbox.clearFaults();
    }
  });

  it("refuses batches over AWS's limits: 1,000 records and 32,000 value characters, an UPSERT counting twice", async () => {
    // 250 characters each, quotes included.
    const txt = (i: number) => `"${String(i).padStart(4, "0")}${"x".repeat(244)}"`;
    const txtChange = (action: "CREATE" | "UPSERT", name: string, n: number): Change => ({
      Action: action,
      ResourceRecordSet: { Name: name, Type: "TXT", TTL: 60, ResourceRecords: Array.from({ length: n }, (_, i) => ({ Value: txt(i) })) },
    });
    const aChanges = (action: "CREATE" | "UPSERT", sets: number): Change[] =>
      Array.from({ length: sets }, (_, s) => ({
        Action: action,
        ResourceRecordSet: { Name: `many-${action.toLowerCase()}-${s}.corral.test`, Type: "A", TTL: 60, ResourceRecords: Array.from({ length: 100 }, (_, i) => ({ Value: `10.${s}.${Math.floor(i / 250)}.${i % 250}` })) },
      }));
    const send = (changes: Change[]) => client(sandbox, 1).send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
    const refusal = async (changes: Change[]) => {
      try {
        await send(changes);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidChangeBatch);
        return (err as InvalidChangeBatch).message;
      }
      throw new Error("expected InvalidChangeBatch");
    };

    // 128 × 250 = 32,000 characters: at the limit.
    await send([txtChange("CREATE", "chars-create.corral.test", 128)]);
    expect(await refusal([txtChange("CREATE", "chars-over.corral.test", 129)])).toBe("[RDATA character limit of 32000 exceeded.]");
    await send([txtChange("UPSERT", "chars-upsert.corral.test", 64)]);
    expect(await refusal([txtChange("UPSERT", "chars-upsert.corral.test", 65)])).toBe("[RDATA character limit of 32000 exceeded.]");

    await send(aChanges("CREATE", 10));
    await send(aChanges("UPSERT", 5));
    expect(await refusal(aChanges("UPSERT", 6))).toBe("[Number of records limit of 1000 exceeded.]");
    const records = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: "many-upsert-5.corral.test", StartRecordType: "A", MaxItems: 1 }));
    expect(records.ResourceRecordSets?.[0]?.Name).not.toBe("many-upsert-5.corral.test.");
  });

  describe("with changes that take a while to sync", () => {
    let slow: Sandbox;
    let c: Route53Client;
    let slowZone: string;
    const upsert = (name: string) =>
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: slowZone,
        ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: name, Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.1" }] } }] },
      });

    beforeAll(async () => {
      slow = await startTestSandbox({ route53: { zones: ["slow.test"], changeSyncDelayMs: 2500, rejectWhilePending: true } });
      c = client(slow, 1);
      slowZone = await zoneIdOf(c, "slow.test.");
    });

    afterAll(() => slow.stop());

    it("refuses a change to a zone with PriorRequestNotComplete while its last change is PENDING, and the SDK's waiter sees it go INSYNC", async () => {
      const first = await c.send(upsert("one.slow.test"));
      expect(first.ChangeInfo?.Status).toBe("PENDING");
      const second = c.send(upsert("two.slow.test"));
      await expect(second).rejects.toBeInstanceOf(PriorRequestNotComplete);
      await expect(c.send(upsert("two.slow.test"))).rejects.toMatchObject({
        name: "PriorRequestNotComplete",
        message: "The request was rejected because Route 53 was still processing a prior request.",
        $metadata: { httpStatusCode: 400 },
      });
      // Reads are not held up.
      expect((await c.send(new GetChangeCommand({ Id: first.ChangeInfo?.Id }))).ChangeInfo?.Status).toBe("PENDING");
      const waited = await waitUntilResourceRecordSetsChanged({ client: c, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { Id: first.ChangeInfo?.Id });
      expect(waited.state).toBe("SUCCESS");
      expect((await c.send(upsert("two.slow.test"))).ChangeInfo?.Status).toBe("PENDING");
    });

    it("answers PriorRequestNotComplete to the share of changes the priorRequestRate fault names", async () => {
      const faulty = await startTestSandbox({ route53: { zones: ["prior.test"] }, faults: { route53: { priorRequestRate: 1 } } });
      try {
        const fc = client(faulty, 1);
        const id = await zoneIdOf(fc, "prior.test.");
        const change = fc.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: "x.prior.test", Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.1" }] } }] } }));
        await expect(change).rejects.toBeInstanceOf(PriorRequestNotComplete);
        // The SDK's standard retries ride it out, as it classifies PriorRequestNotComplete as throttling.
        faulty.setFaults("route53", { priorRequestRate: 0.3 });
        const retried = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) =>
            client(faulty, 10).send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: `r${i}.prior.test`, Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.1" }] } }] } })),
          ),
        );
        expect(retried.map((r) => r.status)).toEqual(Array(5).fill("fulfilled"));
      } finally {
        await faulty.stop();
      }
    });

    it.skipIf(!aws)("reports PENDING then INSYNC through the AWS CLI's get-change", async () => {
      // A sandbox of its own whose changes take 12 s: each CLI run starts a Python process, which on
      // a loaded machine takes seconds, and the second call must still find the change PENDING.
      const slower = await startTestSandbox({ route53: { zones: [], changeSyncDelayMs: 12_000 } });
      onTestFinished(() => slower.stop());
      const env = { ...slower.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
      const cli = (...args: string[]) => run(aws ?? "aws", [...args, "--endpoint-url", slower.route53.url, "--output", "json"], env);
      // A zone of its own, with no change pending.
      const zone = JSON.parse((await cli("route53", "create-hosted-zone", "--name", "cli.test", "--caller-reference", "cli-slow")).stdout) as { HostedZone: { Id: string } };
      const batch = JSON.stringify({ Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: "www.cli.test", Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.2" }] } }] });
      const changed = JSON.parse((await cli("route53", "change-resource-record-sets", "--hosted-zone-id", zone.HostedZone.Id, "--change-batch", batch)).stdout) as { ChangeInfo: { Id: string; Status: string } };
      expect(changed.ChangeInfo.Status).toBe("PENDING");
      const status = async () => (JSON.parse((await cli("route53", "get-change", "--id", changed.ChangeInfo.Id)).stdout) as { ChangeInfo: { Status: string } }).ChangeInfo.Status;
      expect(await status()).toBe("PENDING");
      await waitFor("INSYNC through the CLI", async () => (await status()) === "INSYNC", 40_000);
    }, 60_000);
  });

  it("pages 650 record sets with the SDK's MaxItems and the AWS CLI's automatic pagination", async () => {
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: "pages.test", CallerReference: "pages" }));
    const id = zone.HostedZone?.Id ?? "";
    const changes: Change[] = Array.from({ length: 650 }, (_, i) => ({ Action: "CREATE", ResourceRecordSet: { Name: `host-${i}.pages.test`, Type: "A", TTL: 60, ResourceRecords: [{ Value: "127.0.0.1" }] } }));
    changes.push({ Action: "CREATE", ResourceRecordSet: { Name: "*.wild.pages.test", Type: "TXT", TTL: 60, ResourceRecords: [{ Value: '"wild"' }] } });
    await r53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: id, ChangeBatch: { Changes: changes } }));
    const total = 650 + 1 + 2; // with the zone's NS and SOA

    const seen: string[] = [];
    const sizes: number[] = [];
    let start: { StartRecordName?: string; StartRecordType?: "A"; StartRecordIdentifier?: string } = {};
    for (let page = 0; page < 10; page++) {
      const res = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, ...start }));
      sizes.push(res.ResourceRecordSets?.length ?? 0);
      seen.push(...(res.ResourceRecordSets ?? []).map((r) => `${r.Name ?? ""}/${r.Type ?? ""}`));
      if (!res.IsTruncated) break;
      start = { StartRecordName: res.NextRecordName, StartRecordType: res.NextRecordType as "A", StartRecordIdentifier: res.NextRecordIdentifier };
    }
    expect(sizes).toEqual([300, 300, total - 600]);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toContain("\\052.wild.pages.test./TXT");

    // A small page size puts the wildcard on a page boundary somewhere: the escaped name must round-trip.
    const small: string[] = [];
    start = {};
    for (let page = 0; page < 400; page++) {
      const res = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, MaxItems: 2, ...start }));
      small.push(...(res.ResourceRecordSets ?? []).map((r) => `${r.Name ?? ""}/${r.Type ?? ""}`));
      if (!res.IsTruncated) break;
      start = { StartRecordName: res.NextRecordName, StartRecordType: res.NextRecordType as "A" };
    }
    expect(small).toEqual(seen);

    if (!aws) return;
    const env = { ...sandbox.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const cli = (...args: string[]) => run(aws, [...args, "--endpoint-url", sandbox.route53.url, "--output", "json"], env);
    const all = JSON.parse((await cli("route53", "list-resource-record-sets", "--hosted-zone-id", id, "--page-size", "100")).stdout) as { ResourceRecordSets: { Name: string; Type: string }[] };
    expect(all.ResourceRecordSets.map((r) => `${r.Name}/${r.Type}`)).toEqual(seen);
    const first = JSON.parse((await cli("route53", "list-resource-record-sets", "--hosted-zone-id", id, "--max-items", "7")).stdout) as { ResourceRecordSets: unknown[]; NextToken: string };
    expect(first.ResourceRecordSets).toHaveLength(7);
    const rest = JSON.parse((await cli("route53", "list-resource-record-sets", "--hosted-zone-id", id, "--starting-token", first.NextToken)).stdout) as { ResourceRecordSets: { Name: string; Type: string }[] };
    expect(rest.ResourceRecordSets.map((r) => `${r.Name}/${r.Type}`)).toEqual(seen.slice(7));
  });

  it.skipIf(noDig !== undefined)("answers DNS queries from the zones (dig)", async () => {
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: "env-42.corral.test", Type: "A", TTL: 30, ResourceRecords: [{ Value: "127.0.0.42" }] } }] },
      }),
    );
    const out = await run("dig", ["@127.0.0.1", "-p", String(sandbox.dns.port), "env-42.corral.test", "A", "+short"]);
    expect(out.stdout.trim()).toBe("127.0.0.42");
    const nx = await run("dig", ["@127.0.0.1", "-p", String(sandbox.dns.port), "missing.corral.test", "A"]);
    expect(nx.stdout).toContain("status: NXDOMAIN");

    // sandbox.localhost, the zone a browser resolves to loopback by itself, is answered too.
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: localhostZoneId,
        ChangeBatch: {
          Changes: [
            { Action: "UPSERT", ResourceRecordSet: { Name: "web.env-1.sandbox.localhost", Type: "A", TTL: 30, ResourceRecords: [{ Value: "127.0.0.1" }] } },
            { Action: "UPSERT", ResourceRecordSet: { Name: "*.env-2.sandbox.localhost", Type: "CNAME", TTL: 30, ResourceRecords: [{ Value: "web.env-1.sandbox.localhost" }] } },
          ],
        },
      }),
    );
    const local = await run("dig", ["@127.0.0.1", "-p", String(sandbox.dns.port), "web.env-1.sandbox.localhost", "A", "+short"]);
    expect(local.stdout.trim()).toBe("127.0.0.1");
    const wild = await run("dig", ["@127.0.0.1", "-p", String(sandbox.dns.port), "api.env-2.sandbox.localhost", "A", "+short"]);
    expect(wild.stdout.trim().split("\n")).toEqual(["web.env-1.sandbox.localhost.", "127.0.0.1"]);
  });

  it.skipIf(!aws)("works with the AWS CLI", async () => {
    const env = { ...sandbox.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const cli = (...args: string[]) => run(aws ?? "aws", [...args, "--endpoint-url", sandbox.route53.url, "--output", "json"], env);
    const zones = await cli("route53", "list-hosted-zones");
    expect(zones.stderr).toBe("");
    expect(JSON.parse(zones.stdout)).toMatchObject({ HostedZones: expect.arrayContaining([expect.objectContaining({ Name: "corral.test." })]) });
    const batch = JSON.stringify({ Changes: [{ Action: "UPSERT", ResourceRecordSet: { Name: "cli.corral.test", Type: "TXT", TTL: 60, ResourceRecords: [{ Value: '"owner=corral"' }] } }] });
    const changed = await cli("route53", "change-resource-record-sets", "--hosted-zone-id", zoneId, "--change-batch", batch);
    expect(changed.stderr).toBe("");
    expect(JSON.parse(changed.stdout)).toMatchObject({ ChangeInfo: { Status: "PENDING" } });
    const listed = await cli("route53", "list-resource-record-sets", "--hosted-zone-id", zoneId);
    const sets = (JSON.parse(listed.stdout) as { ResourceRecordSets: { Name: string; Type: string }[] }).ResourceRecordSets;
    expect(sets).toEqual(expect.arrayContaining([expect.objectContaining({ Name: "cli.corral.test.", Type: "TXT" })]));
  });
});
