import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeSchema } from "@/sandbox/kube/proto-schema";
import type { Sandbox } from "@/sandbox/index";
import { run, skipReason, startTestSandbox, waitFor } from "./helpers";

const missing = skipReason("kubectl", "kubernetes-client") ?? tooOld();
if (missing) console.warn(`skipping kubectl create tests: ${missing}`);

// kubectl 1.32 sends each of these as application/vnd.kubernetes.protobuf. `what` is the
// `kubectl create` subcommand, `command` what follows its `--`, `get` what reads it back.
const cases: { what: string[]; command?: string[]; get: string[] }[] = [
  { what: ["deployment", "web", "--image=nginx:1.27.0"], get: ["deployment", "web"] },
  { what: ["service", "clusterip", "web", "--tcp=80:8080"], get: ["service", "web"] },
  { what: ["job", "once", "--image=busybox:1.36"], command: ["echo", "hi"], get: ["job", "once"] },
  { what: ["cronjob", "nightly", "--image=busybox:1.36", "--schedule=*/5 * * * *"], command: ["echo", "hi"], get: ["cronjob", "nightly"] },
  { what: ["ingress", "web", "--rule=web.example.com/*=web:80,tls=web-tls", "--class=nginx", "--annotation=team=shop"], get: ["ingress", "web"] },
  { what: ["configmap", "cfg", "--from-literal=a=1", "--from-literal=greeting=hello world"], get: ["configmap", "cfg"] },
  { what: ["secret", "generic", "creds", "--from-literal=password=s3cr3t", "--from-literal=user=shop"], get: ["secret", "creds"] },
  { what: ["serviceaccount", "robot"], get: ["serviceaccount", "robot"] },
  { what: ["role", "reader", "--verb=get,list", "--resource=pods,deployments.apps"], get: ["role", "reader"] },
  { what: ["rolebinding", "reader", "--role=reader", "--serviceaccount=shop:robot", "--user=alice"], get: ["rolebinding", "reader"] },
  { what: ["clusterrole", "health", "--verb=get", "--non-resource-url=/healthz"], get: ["clusterrole", "health"] },
  { what: ["clusterrolebinding", "health", "--clusterrole=health", "--group=devs"], get: ["clusterrolebinding", "health"] },
  { what: ["poddisruptionbudget", "web", "--selector=app=web", "--min-available=50%"], get: ["pdb", "web"] },
  { what: ["priorityclass", "batch-low", "--value=0", "--description=zero is kept"], get: ["priorityclass", "batch-low"] },
  { what: ["quota", "small", "--hard=cpu=1,memory=1Gi,pods=4"], get: ["quota", "small"] },
];

describe.skipIf(missing !== undefined)("kubectl create against the sandbox (protobuf bodies)", () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  const kubectl = (...args: string[]) => run("kubectl", args, env);
  const json = async (...args: string[]) => {
    const r = await kubectl(...args, "-o", "json");
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sandbox-kubectl-create-"));
    sandbox = await startTestSandbox({ configDir: dir });
    env = { KUBECONFIG: sandbox.kubeconfigPath ?? "" };
    expect((await kubectl("create", "namespace", "shop")).stdout).toContain("namespace/shop created");
  });

  afterAll(async () => {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(cases)("kubectl create $what.0 is stored as kubectl meant it", async ({ what, command, get }) => {
    const create = (...flags: string[]) => ["create", ...what, "-n", "shop", ...flags, ...(command ? ["--", ...command] : [])];
    // What kubectl would send, as JSON; the server may add metadata and its own status.
    const dryRun = await kubectl(...create("--dry-run=client", "-o", "json"));
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const sent = JSON.parse(dryRun.stdout);
    const created = await kubectl(...create());
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/ created\n$/);
    const stored = await json("get", ...get, "-n", "shop");
    delete sent.status;
    delete sent.metadata.creationTimestamp;
    expect(stored).toMatchObject(sent);
    expect(stored.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reads back what protobuf carried as bytes, numbers that are zero, and int-or-strings", async () => {
    const secret = await json("get", "secret", "creds", "-n", "shop");
    expect(Buffer.from(secret.data.password, "base64").toString()).toBe("s3cr3t");
    expect((await json("get", "priorityclass", "batch-low")).value).toBe(0);
    expect((await json("get", "pdb", "web", "-n", "shop")).spec.minAvailable).toBe("50%");
    expect((await json("get", "service", "web", "-n", "shop")).spec.ports[0].targetPort).toBe(8080);
  });

  it("runs the kubectl-created deployment: pods, scale, apply, delete", async () => {
    const runningPods = async () => {
      const pods = await json("get", "pods", "-n", "shop", "-l", "app=web");
      return pods.items.filter((p: any) => p.status?.phase === "Running" && !p.metadata.deletionTimestamp);
    };
    await waitFor("the deployment's pod to run", async () => (await runningPods()).length === 1);
    const listed = await kubectl("get", "pods", "-n", "shop", "-l", "app=web");
    expect(listed.stdout).toMatch(/web-\S+\s+\d\/1\s+Running/);

    const scaled = await kubectl("scale", "deployment", "web", "-n", "shop", "--replicas=3");
    expect(scaled.stdout, scaled.stderr).toContain("deployment.apps/web scaled");
    await waitFor("three pods", async () => (await runningPods()).length === 3);

    const live = await json("get", "deployment", "web", "-n", "shop");
    live.spec.template.spec.containers[0].image = "nginx:1.27.1";
    const manifest = path.join(dir, "web.json");
    // As a manifest: without the server's metadata (a stale resourceVersion would conflict) or status.
    const { name, namespace, labels } = live.metadata;
    await writeFile(manifest, JSON.stringify({ apiVersion: live.apiVersion, kind: live.kind, metadata: { name, namespace, labels }, spec: live.spec }));
    const applied = await kubectl("apply", "-f", manifest);
    expect(applied.stdout, applied.stderr).toContain("deployment.apps/web configured");
    const rollout = await kubectl("rollout", "status", "deployment/web", "-n", "shop", "--timeout=30s");
    expect(rollout.stdout, rollout.stderr).toContain('deployment "web" successfully rolled out');
    const images = (await runningPods()).map((p: any) => p.spec.containers[0].image);
    expect(new Set(images)).toEqual(new Set(["nginx:1.27.1"]));

    const deleted = await kubectl("delete", "deployment", "web", "-n", "shop");
    expect(deleted.stdout).toContain('deployment.apps "web" deleted');
    await waitFor("the pods to go", async () => (await json("get", "pods", "-n", "shop", "-l", "app=web")).items.length === 0);
  });

  it("deletes what kubectl created", async () => {
    for (const { get } of cases.filter((c) => c.get[0] !== "deployment")) {
      const r = await kubectl("delete", ...get, "-n", "shop");
      expect(r.stdout, r.stderr).toContain("deleted");
      expect((await kubectl("get", ...get, "-n", "shop")).stderr).toContain("NotFound");
    }
  });

  it("takes protobuf on PUT, as client-go's typed Update sends it, and answers 415 for a kind it has no definition for", async () => {
    await kubectl("create", "configmap", "put-me", "-n", "shop", "--from-literal=v=1");
    const current = await json("get", "configmap", "put-me", "-n", "shop");
    const url = `${sandbox.kube.url}/api/v1/namespaces/shop/configmaps/put-me`;
    const body = protobufBody("v1", "ConfigMap", "k8s.io.api.core.v1.ConfigMap", {
      metadata: { name: "put-me", namespace: "shop", resourceVersion: current.metadata.resourceVersion },
      data: { v: "2" },
    });
    const put = await fetch(url, { method: "PUT", headers: { "content-type": "application/vnd.kubernetes.protobuf" }, body });
    expect(put.status).toBe(200);
    expect((await json("get", "configmap", "put-me", "-n", "shop")).data).toEqual({ v: "2" });

    const widget = protobufBody("example.com/v1", "Widget", "k8s.io.api.core.v1.ConfigMap", { metadata: { name: "w" } });
    const refused = await fetch(`${sandbox.kube.url}/api/v1/namespaces/shop/configmaps`, { method: "POST", headers: { "content-type": "application/vnd.kubernetes.protobuf" }, body: widget });
    expect(refused.status).toBe(415);
    const status = (await refused.json()) as { kind: string; reason: string; message: string };
    expect(status).toMatchObject({ kind: "Status", reason: "UnsupportedMediaType" });
    expect(status.message).toContain("Widget (example.com/v1)");
  });
});

function protobufBody(apiVersion: string, kind: string, typeName: string, object: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  const { root, unknown } = kubeSchema();
  const type = root.lookupType(typeName);
  const raw = type.encode(type.fromObject(object)).finish();
  const envelope = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return new Uint8Array([...Buffer.from("k8s\0", "latin1"), ...envelope]);
}

/** The sandbox is Kubernetes 1.32 and these tests pin what kubectl 1.32 sends; an older kubectl
 *  (Debian bookworm's is 1.20) makes some kinds in versions the sandbox does not serve. */
function tooOld(): string | undefined {
  const out = spawnSync("kubectl", ["version", "--client", "-o", "json"], { encoding: "utf8" }).stdout;
  const minor = Number(/"minor":\s*"(\d+)/.exec(out)?.[1] ?? 0);
  return minor < 32 ? `kubectl 1.${minor} is older than the 1.32 these tests exercise` : undefined;
}
