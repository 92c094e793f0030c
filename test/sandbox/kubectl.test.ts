import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
import { run, runUntil, skipReason, startTestSandbox, waitFor } from "./helpers";

const missing = skipReason("kubectl", "kubernetes-client");
if (missing) console.warn(`skipping kubectl tests: ${missing}`);

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
`;

describe.skipIf(missing !== undefined)("kubectl against the sandbox", () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: Record<string, string>;
  const kubectl = (...args: string[]) => run("kubectl", args, env);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "sandbox-kubectl-"));
    sandbox = await startTestSandbox({ configDir: dir });
    env = { KUBECONFIG: sandbox.kubeconfigPath ?? "" };
  });

  afterAll(async () => {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("creates, lists and deletes namespaces", async () => {
    expect((await kubectl("create", "namespace", "kc-ns")).stdout).toContain("namespace/kc-ns created");
    const listed = await kubectl("get", "namespaces");
    expect(listed.stdout).toMatch(/kc-ns\s+Active/);
    const again = await kubectl("create", "namespace", "kc-ns");
    expect(again.stderr).toContain("AlreadyExists");
    expect((await kubectl("delete", "namespace", "kc-ns")).stdout).toContain('namespace "kc-ns" deleted');
    expect((await kubectl("get", "namespace", "kc-ns")).stderr).toContain("NotFound");
  });

  it("applies a manifest server-side, rolls it out and follows logs", async () => {
    await kubectl("create", "namespace", "shop");
    const manifest = path.join(dir, "web.yaml");
    await writeFile(manifest, deployment("shop/web:1.0"));
    const applied = await kubectl("apply", "--server-side", "-f", manifest);
    expect(applied.stdout, applied.stderr).toContain("deployment.apps/web serverside-applied");
    const rollout = await kubectl("rollout", "status", "deployment/web", "-n", "shop", "--timeout=20s");
    expect(rollout.stdout, rollout.stderr).toContain('deployment "web" successfully rolled out');

    const watched = runUntil("kubectl", ["get", "pods", "-n", "shop", "-w"], env, (out) => /web-\S+\s+1\/1\s+Running/.test(out) && /2\.0/.test(out) === false && out.includes("Terminating"));
    await writeFile(manifest, deployment("shop/web:2.0"));
    await kubectl("apply", "--server-side", "-f", manifest);
    expect(await watched).toMatch(/Terminating/);
    const second = await kubectl("rollout", "status", "deployment/web", "-n", "shop", "--timeout=20s");
    expect(second.stdout).toContain("successfully rolled out");

    await waitFor("old pods to be gone", async () => (await kubectl("get", "pods", "-n", "shop", "--no-headers")).stdout.trim().split("\n").length === 2);
    const logs = await runUntil("kubectl", ["logs", "-f", "-n", "shop", "deployment/web"], env, (out) => out.includes("listening on 0.0.0.0:8080") && out.split("\n").length > 6);
    expect(logs).toContain("starting shop/web version 2.0");
    await waitFor("the followed log stream to close", () => sandbox.openLogStreams() === 0);
  });

  it("watches deployments until the expected line appears", async () => {
    await kubectl("create", "namespace", "watch");
    const manifest = path.join(dir, "w.yaml");
    await writeFile(manifest, deployment("shop/api:1.0").replace("namespace: shop", "namespace: watch"));
    const watched = runUntil("kubectl", ["get", "deploy", "-n", "watch", "-w"], env, (out) => /web\s+2\/2\s+2\s+2/.test(out));
    await waitFor("the watch to be open", () => sandbox.openWatches() > 0);
    await kubectl("apply", "--server-side", "-f", manifest);
    expect(await watched).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
  });
});
