import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { ListHostedZonesCommand, Route53Client } from "@aws-sdk/client-route-53";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSandbox } from "./helpers";

describe("fault injection", () => {
  it("answers injected errors in each service's own format and recovers when cleared", async () => {
    const sandbox = await startTestSandbox({ s3: { buckets: ["f"] } });
    try {
      const control = async (body: unknown) => (await fetch(`${sandbox.control.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(body) })).json();
      await control({ service: "kube", errorRate: 1 });
      const kube = await fetch(`${sandbox.kube.url}/api/v1/namespaces`);
      expect(kube.status).toBe(503);
      expect(await kube.json()).toMatchObject({ kind: "Status", reason: "ServiceUnavailable" });

      sandbox.setFaults("route53", { errorRate: 1 });
      const r53 = new Route53Client({ endpoint: sandbox.route53.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" }, maxAttempts: 1 });
      await expect(r53.send(new ListHostedZonesCommand({}))).rejects.toMatchObject({ name: "ServiceUnavailable" });

      sandbox.setFaults("s3", { dropRate: 1 });
      const s3 = new S3Client({ endpoint: sandbox.s3.url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "x", secretAccessKey: "y" }, maxAttempts: 1 });
      await expect(s3.send(new ListBucketsCommand({}))).rejects.toThrow();

      await control({ clear: true });
      expect((await fetch(`${sandbox.kube.url}/api/v1/namespaces`)).status).toBe(200);
      expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(["f"]);
      const status = (await (await fetch(`${sandbox.control.url}/_sandbox/status`)).json()) as { openLogStreams: number };
      expect(status.openLogStreams).toBe(0);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("persistence", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sandbox-state-"));
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("keeps the cluster and zones across a restart", async () => {
    const stateFile = path.join(dir, "state.json");
    const first = await startTestSandbox({ stateFile, route53: { zones: ["kept.test"] } });
    const kc = new KubeConfig();
    kc.loadFromString(first.kubeconfig);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "kept", labels: { owner: "qa" } } } });
    await first.stop();

    const second = await startTestSandbox({ stateFile, route53: { zones: ["kept.test"] } });
    try {
      const kc2 = new KubeConfig();
      kc2.loadFromString(second.kubeconfig);
      const ns = await kc2.makeApiClient(CoreV1Api).readNamespace({ name: "kept" });
      expect(ns.metadata?.labels?.["owner"]).toBe("qa");
      const r53 = new Route53Client({ endpoint: second.route53.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
      const zones = await r53.send(new ListHostedZonesCommand({}));
      expect(zones.HostedZones?.map((z) => z.Name)).toEqual(["kept.test."]);
    } finally {
      await second.stop();
    }
  });
});
