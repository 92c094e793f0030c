import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, Log, PatchStrategy, type V1ConfigMap, type V1Deployment, type V1Pod, Watch, makeInformer } from "@kubernetes/client-node";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
import { startTestSandbox, waitFor } from "./helpers";

function deployment(ns: string, name: string, image: string, replicas = 2): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns, labels: { "corral.dev/managed-by": "corral" } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
    },
  };
}

interface ApiError {
  code?: number;
  body?: string;
}

async function errorOf(p: Promise<unknown>): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as ApiError;
    return { code: e.code ?? 0, status: JSON.parse(e.body ?? "{}") as Record<string, unknown> };
  }
  throw new Error("expected the call to fail");
}

describe("@kubernetes/client-node against the sandbox", () => {
  let sandbox: Sandbox;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ logs: { linesPerSecond: 200 } });
    kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });

  afterAll(() => sandbox.stop());

  it("answers CRUD with metadata and Status errors", async () => {
    const ns = await core.createNamespace({ body: { metadata: { name: "crud" } } });
    expect(ns.metadata?.uid).toBeTruthy();
    expect(ns.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(ns.status?.phase).toBe("Active");
    const dup = await errorOf(core.createNamespace({ body: { metadata: { name: "crud" } } }));
    expect(dup).toMatchObject({ code: 409, status: { kind: "Status", reason: "AlreadyExists", code: 409 } });
    expect(await errorOf(core.readNamespacedConfigMap({ name: "nope", namespace: "crud" }))).toMatchObject({ code: 404, status: { reason: "NotFound" } });

    const cm = await core.createNamespacedConfigMap({ namespace: "crud", body: { metadata: { name: "c" }, data: { a: "1" } } });
    const updated = await core.replaceNamespacedConfigMap({ namespace: "crud", name: "c", body: { ...cm, data: { a: "2" } } });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    const stale = await errorOf(core.replaceNamespacedConfigMap({ namespace: "crud", name: "c", body: { ...cm, data: { a: "3" } } }));
    expect(stale).toMatchObject({ code: 409, status: { reason: "Conflict" } });

    const invalid = await errorOf(apps.createNamespacedDeployment({ namespace: "crud", body: { metadata: { name: "Bad_Name" }, spec: { selector: { matchLabels: { a: "b" } }, template: { spec: { containers: [] } } } } }));
    expect(invalid.code).toBe(422);
    expect(invalid.status["reason"]).toBe("Invalid");
    const causes = (invalid.status["details"] as { causes: { field: string }[] }).causes.map((c) => c.field);
    expect(causes).toEqual(expect.arrayContaining(["metadata.name", "spec.template.spec.containers"]));
  });

  it("lists with selectors and pages with limit/continue", async () => {
    await core.createNamespace({ body: { metadata: { name: "paging" } } });
    for (let i = 0; i < 5; i++) {
      await core.createNamespacedConfigMap({ namespace: "paging", body: { metadata: { name: `cm-${i}`, labels: { parity: i % 2 ? "odd" : "even" } } } });
    }
    const even = await core.listNamespacedConfigMap({ namespace: "paging", labelSelector: "parity=even" });
    expect(even.items.map((c) => c.metadata?.name)).toEqual(["cm-0", "cm-2", "cm-4"]);
    const byName = await core.listNamespacedConfigMap({ namespace: "paging", fieldSelector: "metadata.name=cm-3" });
    expect(byName.items).toHaveLength(1);
    const first = await core.listNamespacedConfigMap({ namespace: "paging", limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?.remainingItemCount).toBe(3);
    const rest = await core.listNamespacedConfigMap({ namespace: "paging", limit: 10, _continue: first.metadata?._continue });
    expect(rest.items.map((c) => c.metadata?.name)).toEqual(["cm-2", "cm-3", "cm-4"]);
    sandbox.compactKubeHistory();
    expect(await errorOf(core.listNamespacedConfigMap({ namespace: "paging", limit: 2, _continue: first.metadata?._continue }))).toMatchObject({ code: 410, status: { reason: "Expired" } });
  });

  it("runs deployments with a real status and rolling updates", async () => {
    await core.createNamespace({ body: { metadata: { name: "roll" } } });
    await apps.createNamespacedDeployment({ namespace: "roll", body: deployment("roll", "api", "shop/api:1.0", 3) });
    const ready = await waitFor("the deployment to be available", async () => {
      const d = await apps.readNamespacedDeployment({ name: "api", namespace: "roll" });
      return d.status?.availableReplicas === 3 && d.status.updatedReplicas === 3 ? d : undefined;
    });
    expect(ready.status?.observedGeneration).toBe(ready.metadata?.generation);
    expect(ready.status?.conditions?.find((c) => c.type === "Available")?.status).toBe("True");
    expect(ready.status?.conditions?.find((c) => c.type === "Progressing")?.reason).toBe("NewReplicaSetAvailable");
    const oldPods = (await core.listNamespacedPod({ namespace: "roll", labelSelector: "app=api" })).items.map((p) => p.metadata?.name);
    const oldHash = (await core.listNamespacedPod({ namespace: "roll" })).items[0]?.metadata?.labels?.["pod-template-hash"];

    await apps.patchNamespacedDeployment(
      { name: "api", namespace: "roll", body: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "shop/api:2.0" }] },
    );
    const rolled = await waitFor("the rollout to finish", async () => {
      const d = await apps.readNamespacedDeployment({ name: "api", namespace: "roll" });
      const pods = (await core.listNamespacedPod({ namespace: "roll", labelSelector: "app=api" })).items;
      const done = d.status?.updatedReplicas === 3 && d.status.availableReplicas === 3 && d.status.replicas === 3 && pods.length === 3;
      return done && d.status?.observedGeneration === 2 ? pods : undefined;
    });
    expect(rolled.every((p) => p.spec?.containers[0]?.image === "shop/api:2.0")).toBe(true);
    expect(rolled.every((p) => p.metadata?.labels?.["pod-template-hash"] !== oldHash)).toBe(true);
    expect(rolled.some((p) => oldPods.includes(p.metadata?.name))).toBe(false);
    const rs = await apps.listNamespacedReplicaSet({ namespace: "roll" });
    expect(rs.items).toHaveLength(2);
  });

  it("simulates failing images: pull errors, crash loops and slow readiness", async () => {
    await core.createNamespace({ body: { metadata: { name: "fail" } } });
    await apps.createNamespacedDeployment({ namespace: "fail", body: deployment("fail", "nopull", "shop/api:9.9", 1) });
    await apps.createNamespacedDeployment({ namespace: "fail", body: deployment("fail", "crash", "shop/api:crashloop", 1) });
    await apps.createNamespacedDeployment({ namespace: "fail", body: deployment("fail", "slow", "shop/api:slow", 1) });
    const waiting = (p: V1Pod) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    const podOf = async (app: string) => (await core.listNamespacedPod({ namespace: "fail", labelSelector: `app=${app}` })).items[0];

    await waitFor("ImagePullBackOff", async () => waiting((await podOf("nopull")) ?? {}) === "ImagePullBackOff");
    const events = await core.listNamespacedEvent({ namespace: "fail" });
    expect(events.items.map((e) => e.reason)).toEqual(expect.arrayContaining(["Failed", "BackOff"]));
    expect(events.items.some((e) => e.message?.includes("ErrImagePull"))).toBe(true);

    const crashed = await waitFor("CrashLoopBackOff with restarts", async () => {
      const p = await podOf("crash");
      return p && waiting(p) === "CrashLoopBackOff" && (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? p : undefined;
    });
    const previous = await core.readNamespacedPodLog({ name: crashed.metadata?.name ?? "", namespace: "fail", previous: true });
    expect(previous).toContain("FATAL");

    const slow = await waitFor("the slow pod to run", async () => {
      const p = await podOf("slow");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    expect(slow.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("False");
    await waitFor("the slow pod to become ready", async () => (await podOf("slow"))?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True");
  });

  it("applies server-side through KubernetesObjectApi, idempotently", async () => {
    const client = KubernetesObjectApi.makeApiClient(kc);
    await core.createNamespace({ body: { metadata: { name: "ssa" } } });
    const cm: V1ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "ssa" }, data: { mode: "fast" } };
    const first = await client.patch(cm, undefined, undefined, "corral", true, PatchStrategy.ServerSideApply);
    const second = await client.patch(cm, undefined, undefined, "corral", true, PatchStrategy.ServerSideApply);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(second.metadata?.managedFields?.[0]).toMatchObject({ manager: "corral", operation: "Apply" });

    const spec = { ...deployment("ssa", "web", "shop/web:1.0"), metadata: { name: "web", namespace: "ssa", labels: { a: "1", b: "2" } } };
    await client.patch(spec, undefined, undefined, "corral", true, PatchStrategy.ServerSideApply);
    const third = await client.patch({ ...spec, metadata: { ...spec.metadata, labels: { a: "1" } } }, undefined, undefined, "corral", true, PatchStrategy.ServerSideApply);
    expect(third.metadata?.labels).toEqual({ a: "1" });
    const merged = await client.patch({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "ssa", labels: { c: "3" } } }, undefined, undefined, undefined, undefined, PatchStrategy.MergePatch);
    expect(merged.metadata?.labels).toEqual({ a: "1", c: "3" });
  });

  it("streams watch events, resumes from a resourceVersion, sends bookmarks and answers 410 for expired versions", async () => {
    await core.createNamespace({ body: { metadata: { name: "watch" } } });
    const seen: string[] = [];
    let bookmarks = 0;
    const watch = new Watch(kc);
    const req = await watch.watch(
      "/api/v1/namespaces/watch/configmaps",
      { allowWatchBookmarks: true },
      (type: string, obj: { metadata?: { name?: string } }) => {
        if (type === "BOOKMARK") bookmarks++;
        else seen.push(`${type} ${obj.metadata?.name ?? ""}`);
      },
      () => undefined,
    );
    const created = await core.createNamespacedConfigMap({ namespace: "watch", body: { metadata: { name: "w1" } } });
    await core.patchNamespacedConfigMap({ namespace: "watch", name: "w1", body: [{ op: "add", path: "/data", value: { x: "1" } }] });
    await core.deleteNamespacedConfigMap({ namespace: "watch", name: "w1" });
    await waitFor("three events and a bookmark", () => seen.length >= 3 && bookmarks > 0);
    expect(seen).toEqual(["ADDED w1", "MODIFIED w1", "DELETED w1"]);
    req.abort();

    const resumed: string[] = [];
    const req2 = await watch.watch("/api/v1/namespaces/watch/configmaps", { resourceVersion: created.metadata?.resourceVersion }, (type: string) => resumed.push(type), () => undefined);
    await waitFor("replayed events", () => resumed.length >= 2);
    expect(resumed).toEqual(["MODIFIED", "DELETED"]);
    req2.abort();

    sandbox.compactKubeHistory();
    let errorStatus: { code?: number; reason?: string } | undefined;
    let ended = false;
    await watch.watch("/api/v1/namespaces/watch/configmaps", { resourceVersion: created.metadata?.resourceVersion }, (type: string, obj: { code?: number; reason?: string }) => {
      if (type === "ERROR") errorStatus = obj;
    }, () => (ended = true));
    await waitFor("the expired watch to end", () => ended);
    expect(errorStatus).toMatchObject({ code: 410, reason: "Expired" });
  });

  it("keeps an informer in sync across watch ends", async () => {
    await core.createNamespace({ body: { metadata: { name: "inf" } } });
    await core.createNamespacedConfigMap({ namespace: "inf", body: { metadata: { name: "before" } } });
    const informer = makeInformer(kc, "/api/v1/namespaces/inf/configmaps", () => core.listNamespacedConfigMap({ namespace: "inf" }));
    const added: string[] = [];
    informer.on("add", (o) => added.push(o.metadata?.name ?? ""));
    informer.on("error", () => undefined);
    await informer.start();
    await waitFor("the initial list", () => added.includes("before"));
    await core.createNamespacedConfigMap({ namespace: "inf", body: { metadata: { name: "during" } } });
    await waitFor("a watched add", () => added.includes("during"));
    sandbox.closeWatches();
    await waitFor("the informer to watch again", () => sandbox.openWatches() > 0);
    await core.createNamespacedConfigMap({ namespace: "inf", body: { metadata: { name: "after" } } });
    await waitFor("an add after the resume", () => added.includes("after"));
    expect(added.filter((n) => n === "before")).toHaveLength(1);
    await informer.stop();
  });

  it("serves pod logs with tailLines, timestamps, limitBytes and follow through the Log helper", async () => {
    await core.createNamespace({ body: { metadata: { name: "logs" } } });
    await apps.createNamespacedDeployment({ namespace: "logs", body: deployment("logs", "app", "shop/app:1.0", 1) });
    const pod = await waitFor("a running pod", async () => (await core.listNamespacedPod({ namespace: "logs" })).items.find((p) => p.status?.phase === "Running"));
    const name = pod.metadata?.name ?? "";
    await waitFor("some log lines", async () => (await core.readNamespacedPodLog({ name, namespace: "logs" })).split("\n").length > 20);
    const tail = await core.readNamespacedPodLog({ name, namespace: "logs", tailLines: 3, timestamps: true });
    const lines = tail.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    expect((await core.readNamespacedPodLog({ name, namespace: "logs", limitBytes: 10 })).length).toBe(10);

    const out = new PassThrough();
    let text = "";
    let ended = false;
    out.on("data", (d: Buffer) => (text += d.toString()));
    out.on("end", () => (ended = true));
    await new Log(kc).log("logs", name, "app", out, { follow: true, tailLines: 1 });
    await waitFor("followed lines", () => text.split("\n").length > 10);
    expect(sandbox.openLogStreams()).toBe(1);
    // A follow stream ends when its container stops.
    await core.deleteNamespacedPod({ name, namespace: "logs" });
    await waitFor("the follow stream to end", () => ended && sandbox.openLogStreams() === 0);
  });

  it("closes the upstream log stream when the reader goes away", async () => {
    await core.createNamespace({ body: { metadata: { name: "logs2" } } });
    await apps.createNamespacedDeployment({ namespace: "logs2", body: deployment("logs2", "app", "shop/app:1.0", 1) });
    const pod = await waitFor("a running pod", async () => (await core.listNamespacedPod({ namespace: "logs2" })).items.find((p) => p.status?.phase === "Running"));
    const reader = new AbortController();
    const res = await fetch(`${sandbox.kube.url}/api/v1/namespaces/logs2/pods/${pod.metadata?.name ?? ""}/log?follow=true`, { signal: reader.signal });
    const body = res.body?.getReader();
    await body?.read();
    expect(sandbox.openLogStreams()).toBe(1);
    reader.abort();
    await waitFor("the server to close the stream", () => sandbox.openLogStreams() === 0);
  });

  it("terminates namespaces after a delay, removing their contents", async () => {
    await core.createNamespace({ body: { metadata: { name: "doomed" } } });
    await core.createNamespacedConfigMap({ namespace: "doomed", body: { metadata: { name: "x" } } });
    await core.deleteNamespace({ name: "doomed" });
    const ns = await core.readNamespace({ name: "doomed" });
    expect(ns.status?.phase).toBe("Terminating");
    expect(await errorOf(core.createNamespacedConfigMap({ namespace: "doomed", body: { metadata: { name: "y" } } }))).toMatchObject({ code: 403 });
    await waitFor("the namespace to go", async () => (await errorOf(core.readNamespace({ name: "doomed" }))).code === 404);
    expect((await core.listConfigMapForAllNamespaces({ fieldSelector: "metadata.namespace=doomed" })).items).toHaveLength(0);
  });

  it("deletes dependents according to propagationPolicy", async () => {
    await core.createNamespace({ body: { metadata: { name: "gc" } } });
    await apps.createNamespacedDeployment({ namespace: "gc", body: deployment("gc", "a", "shop/a:1", 1) });
    await apps.createNamespacedDeployment({ namespace: "gc", body: deployment("gc", "b", "shop/b:1", 1) });
    await waitFor("pods", async () => (await core.listNamespacedPod({ namespace: "gc" })).items.length === 2);
    await apps.deleteNamespacedDeployment({ name: "a", namespace: "gc", propagationPolicy: "Orphan" });
    await apps.deleteNamespacedDeployment({ name: "b", namespace: "gc", propagationPolicy: "Foreground" });
    await waitFor("b's pods to go", async () => (await core.listNamespacedPod({ namespace: "gc", labelSelector: "app=b" })).items.length === 0);
    const rs = await apps.listNamespacedReplicaSet({ namespace: "gc" });
    expect(rs.items.map((r) => r.metadata?.labels?.["app"])).toEqual(["a"]);
    expect(rs.items[0]?.metadata?.ownerReferences ?? []).toHaveLength(0);
  });
});
