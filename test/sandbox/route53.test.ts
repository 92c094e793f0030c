import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, GetChangeCommand, InvalidChangeBatch, ListHostedZonesCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
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

  beforeAll(async () => {
    sandbox = await startTestSandbox({ route53: { zones: ["corral.test"], changeSyncDelayMs: 100 } });
    r53 = new Route53Client({ endpoint: sandbox.route53.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
    const zones = await r53.send(new ListHostedZonesCommand({}));
    zoneId = zones.HostedZones?.[0]?.Id ?? "";
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
