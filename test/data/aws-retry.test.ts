import { ListObjectsV2Command, PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE53_SDK_RETRY, S3_RETRY } from "@/lib/aws-retry";
import { s3ClientFor } from "@/lib/data/s3/s3-client";
import { planZone } from "@/lib/dns/plan-zone";
import { applyChanges, findZone, listZoneRecords, route53Client } from "@/lib/dns/route53";
import type { Sandbox } from "@/sandbox/index";
import { startTestSandbox } from "../sandbox/helpers";

// The AWS clients' retries as lib/aws-retry.ts states them, against the sandbox's S3 and Route 53
// answering throttles, errors and dropped connections on the wire: S3 in the SDK's adaptive mode,
// Route 53 with the SDK's retries off and the gateway's own paced loop.

const ZONE = "retry.test";
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ s3: { buckets: ["retry"] }, route53: { zones: [ZONE], changeSyncDelayMs: 50 } });
  Object.assign(process.env, sandbox.awsEnv);
});

afterAll(() => sandbox?.stop());

describe("S3 in adaptive retry mode", () => {
  const location = () => ({ endpoint: sandbox.s3.url, region: "us-east-1", accessKeyId: "any", secretAccessKey: "any", bucket: "retry", prefix: "", forcePathStyle: true });

  it("is configured from the one place, adaptive, five tries", async () => {
    const client = s3ClientFor(location());
    expect(S3_RETRY).toEqual({ retryMode: "adaptive", maxAttempts: 5 });
    const strategy = await client.config.retryStrategy();
    expect((strategy as { mode?: string }).mode).toBe("adaptive");
    expect(await client.config.maxAttempts()).toBe(5);
  });

  it("gets every request through while S3 throttles (SlowDown), fails and drops connections", async () => {
    const client = s3ClientFor(location());
    sandbox.resetFaultCounts();
    sandbox.setFaults("s3", { throttleRate: 0.25, errorRate: 0.15, dropRate: 0.05, seed: 3 });
    try {
      for (let i = 0; i < 30; i++) await client.send(new PutObjectCommand({ Bucket: "retry", Key: `k/${i}`, Body: `value ${i}` }));
      const listed = await client.send(new ListObjectsV2Command({ Bucket: "retry", Prefix: "k/" }));
      expect(listed.KeyCount).toBe(30);
      const got = await client.send(new GetObjectCommand({ Bucket: "retry", Key: "k/7" }));
      expect(await got.Body?.transformToString()).toBe("value 7");
    } finally {
      sandbox.clearFaults();
    }
    const counts = sandbox.faultCounts().s3;
    // The faults were met, and retried: more requests arrived than the 32 sent.
    expect(counts.throttle).toBeGreaterThan(0);
    expect(counts.error + counts.drop).toBeGreaterThan(0);
    expect(counts.pass).toBe(32);
  });
});

describe("Route 53 through the gateway's own retries", () => {
  it("sends one request a try (the SDK's retries are off) and converges while Route 53 throttles and fails", async () => {
    expect(ROUTE53_SDK_RETRY).toEqual({ maxAttempts: 1 });
    expect(await route53Client().config.maxAttempts()).toBe(1);
    sandbox.resetFaultCounts();
    sandbox.setFaults("route53", { throttleRate: 0.3, errorRate: 0.15, dropRate: 0.05, seed: 5 });
    try {
      const zone = await findZone(ZONE);
      const wanted = Array.from({ length: 10 }, (_, i) => ({ owner: `env-${i}`, name: `n${i}.${ZONE}`, type: "A" as const, values: [`10.0.0.${i + 1}`] }));
      const plan = planZone({ zone: ZONE, installation: "retry-test", wanted, existing: await listZoneRecords(zone.id) });
      const result = await applyChanges(zone.id, plan.groups);
      expect(result.rejected).toEqual([]);
      const records = await listZoneRecords(zone.id);
      for (let i = 0; i < 10; i++) expect(records.find((r) => r.name === `n${i}.${ZONE}`)?.values).toEqual([`10.0.0.${i + 1}`]);
    } finally {
      sandbox.clearFaults();
    }
    const counts = sandbox.faultCounts().route53;
    expect(counts.throttle).toBeGreaterThan(0);
  });
});
