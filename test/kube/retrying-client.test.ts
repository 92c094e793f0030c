import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
import { startTestSandbox } from "../sandbox/helpers";

// lib/kube's clients against the sandbox's Kubernetes API over HTTP: every call is retried where
// it fails, as lib/kube/retry-policy.ts says — the sandbox counts what reached it.

let sandbox: Sandbox;
let kube: import("@/lib/kube/client").KubeClients;
let lib: {
  toKubeError: typeof import("@/lib/kube/errors").toKubeError;
  applyObjects: typeof import("@/lib/kube/apply").applyObjects;
  ApplyIncomplete: typeof import("@/lib/kube/apply").ApplyIncomplete;
  openContainerLog: typeof import("@/lib/kube/logs").openContainerLog;
};

beforeAll(async () => {
  sandbox = await startTestSandbox({ configDir: await mkdtemp(path.join(tmpdir(), "corral-kube-retry-")) });
  process.env.KUBECONFIG = sandbox.kubeconfigPath;
  const [{ kubeClients }, errors, apply, logs] = await Promise.all([import("@/lib/kube/client"), import("@/lib/kube/errors"), import("@/lib/kube/apply"), import("@/lib/kube/logs")]);
  kube = kubeClients({ id: "retry-test", name: "retry-test", kubeContext: null, inCluster: false });
  lib = { toKubeError: errors.toKubeError, applyObjects: apply.applyObjects, ApplyIncomplete: apply.ApplyIncomplete, openContainerLog: logs.openContainerLog };
  await kube.core.createNamespace({ body: { metadata: { name: "retry" } } });
});

afterAll(() => sandbox?.stop());

beforeEach(() => {
  sandbox.clearFaults();
  sandbox.resetFaultCounts();
});

const requests = () => {
  const c = sandbox.faultCounts().kube;
  return c.pass + c.error + c.drop + c.throttle;
};

describe("a Kubernetes call through lib/kube", () => {
  it("is tried three times in all while the API answers 503, then fails as transient in plain words", async () => {
    sandbox.setFaults("kube", { errorRate: 1 });
    const error = await kube.core.readNamespace({ name: "retry" }).then(
      () => null,
      (e: unknown) => lib.toKubeError(e),
    );
    expect(requests()).toBe(3);
    expect(error?.status).toBe(503);
    expect(error?.transient).toBe(true);
    expect(error?.transientWords).toBe("the cluster's API is answering with errors (503)");
  });

  it("gets through a dropped connection and a 503 on its own", async () => {
    // Seeded: this run's fates are a dropped connection, a 503, then an answer (the sandbox replays them).
    sandbox.setFaults("kube", { errorRate: 0.5, dropRate: 0.3, seed: 12 });
    const ns = await kube.core.readNamespace({ name: "retry" });
    expect(ns.metadata?.name).toBe("retry");
    expect(sandbox.faultCounts().kube).toEqual({ drop: 1, error: 1, pass: 1, throttle: 0 });
  });

  it("waits out a 429's Retry-After before sending the same request again, and says how long the server asked", async () => {
    sandbox.setFaults("kube", { throttleRate: 1, retryAfterSeconds: 1 });
    const error = await kube.core.readNamespace({ name: "retry" }).then(
      () => null,
      (e: unknown) => lib.toKubeError(e),
    );
    expect(requests()).toBe(3);
    expect(error?.status).toBe(429);
    expect(error?.retryAfterSeconds).toBe(1);
    expect(error?.transientWords).toMatch(/throttling Corral \(429/);
    const waits = sandbox.retryAfterStats().kube;
    expect(waits).toMatchObject({ sent: 3, returned: 2, early: 0 });
    expect(waits.minWaitMs).toBeGreaterThanOrEqual(1_000);
  });

  it("does not retry a refusal: one request for an invalid object", async () => {
    const invalid = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Not_A_Name", namespace: "retry" }, data: {} };
    const error = await lib.applyObjects(kube, [invalid]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(lib.ApplyIncomplete);
    expect((error as InstanceType<typeof lib.ApplyIncomplete>).transient).toBe(false);
    expect((error as InstanceType<typeof lib.ApplyIncomplete>).owed).toEqual(["ConfigMap Not_A_Name"]);
    // The discovery of the kind's API the first time, and the one refused apply.
    expect(sandbox.faultCounts().kube.pass).toBeLessThanOrEqual(2);
  });

  it("applies what it can and names what is still owed when one object keeps failing", async () => {
    const good = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "good", namespace: "retry" }, data: { a: "1" } };
    const missingNamespace = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "elsewhere", namespace: "no-such-namespace" }, data: {} };
    const error = (await lib.applyObjects(kube, [good, missingNamespace]).catch((e: unknown) => e)) as InstanceType<typeof lib.ApplyIncomplete>;
    expect(error).toBeInstanceOf(lib.ApplyIncomplete);
    expect(error.applied).toBe(1);
    expect(error.total).toBe(2);
    expect(error.owed).toEqual(["ConfigMap elsewhere"]);
    expect((await kube.core.readNamespacedConfigMap({ namespace: "retry", name: "good" })).data).toEqual({ a: "1" });
  });

  it("retries opening a log stream", async () => {
    await kube.core.createNamespacedPod({ namespace: "retry", body: { metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "nginx:1.27.3" }] } } });
    await eventuallyRunning();
    // Seeded: the first opening is answered 503, the second gets through.
    sandbox.resetFaultCounts();
    sandbox.setFaults("kube", { errorRate: 0.5, seed: 1 });
    let lines = "";
    const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((lines += chunk.toString()), cb()) });
    const finished = new Promise((resolve) => sink.on("finish", resolve));
    await lib.openContainerLog(kube, "retry", "p", "c", sink, { follow: false, tailLines: 1 });
    await finished;
    expect(sandbox.faultCounts().kube).toEqual({ error: 1, pass: 1, drop: 0, throttle: 0 });
    expect(lines.length).toBeGreaterThan(0);
  });
});

async function eventuallyRunning() {
  for (let i = 0; i < 200; i++) {
    const pod = await kube.core.readNamespacedPod({ namespace: "retry", name: "p" });
    if (pod.status?.containerStatuses?.[0]?.state?.running) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the pod never ran");
}
