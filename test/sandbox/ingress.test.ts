import { AppsV1Api, CoreV1Api, KubeConfig, Log, NetworkingV1Api, type V1Ingress, type V1IngressRule } from "@kubernetes/client-node";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
import { run, skipReason, startTestSandbox, waitFor } from "./helpers";
import type { PageFacts } from "@/sandbox/ingress/web-container";

const noKubectl = skipReason("kubectl", "kubernetes-client");
if (noKubectl) console.warn(`skipping kubectl logs check: ${noKubectl}`);
const noCurl = skipReason("curl", "curl");
if (noCurl) console.warn(`skipping curl check: ${noCurl}`);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  reusedSocket: boolean;
}

type PageJson = PageFacts;

describe("the sandbox ingress", () => {
  let sandbox: Sandbox;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let net: NetworkingV1Api;
  let kc: KubeConfig;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  /** A request to the ingress naming `host`, over a kept-alive connection. */
  function call(host: string, target: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const url = new URL(sandbox.ingress.url);
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: target, method: opts.method ?? "GET", agent, headers: { host, ...opts.headers } }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reusedSocket: req.reusedSocket }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  /** A request written byte for byte, for header values Node's client refuses to send. */
  function rawCall(lines: string[]): Promise<string> {
    const url = new URL(sandbox.ingress.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end([...lines, "Connection: close", "", ""].join("\r\n"), "latin1"));
      let out = "";
      socket.on("data", (d: Buffer) => (out += d.toString("latin1")));
      socket.on("end", () => resolve(out));
      socket.on("error", reject);
    });
  }

  const json = async (host: string, target: string): Promise<PageJson> => {
    const a = await call(host, target, { headers: { accept: "application/json" } });
    expect(a.status, a.body).toBe(200);
    return JSON.parse(a.body) as PageJson;
  };

  /** A Deployment and a Service (port 80 → the container's port "http", 8080) named `name`, waited on until its pods are Ready. */
  async function deployWeb(ns: string, name: string, image: string, replicas = 1, wait = true): Promise<void> {
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name },
        spec: {
          replicas,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image, ports: [{ name: "http", containerPort: 8080 }] }] } },
        },
      },
    });
    await core.createNamespacedService({ namespace: ns, body: { metadata: { name }, spec: { selector: { app: name }, ports: [{ name: "http", port: 80, targetPort: "http" as never }] } } });
    if (wait) await waitFor(`${ns}/${name} ready`, async () => (await apps.readNamespacedDeployment({ namespace: ns, name })).status?.readyReplicas === replicas);
  }

  const rule = (host: string | undefined, paths: { path: string; pathType: string; service: string; port?: number }[]): V1IngressRule => ({
    ...(host ? { host } : {}),
    http: { paths: paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: { service: { name: p.service, port: { number: p.port ?? 80 } } } })) },
  });

  const ingress = (ns: string, name: string, spec: V1Ingress["spec"]) => net.createNamespacedIngress({ namespace: ns, body: { metadata: { name }, spec } });

  beforeAll(async () => {
    // Slow images stay unready for the whole run: the 503 check must not race them.
    sandbox = await startTestSandbox({ logs: { linesPerSecond: 5 }, timings: { slowReadyDelayMs: 120_000 } });
    kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    net = kc.makeApiClient(NetworkingV1Api);
    await core.createNamespace({ body: { metadata: { name: "env-a" } } });
    await deployWeb("env-a", "web", "registry.sandbox.corral.test/shop/web:1.2.1", 2);
    await deployWeb("env-a", "api", "registry.sandbox.corral.test/shop/api@sha256:" + "ab".repeat(32));
    await ingress("env-a", "web", { rules: [rule("web.env-a.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "web" }])] });
    await ingress("env-a", "api", { rules: [rule("api.env-a.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "api" }])] });
  });

  afterAll(async () => {
    agent.destroy();
    await sandbox.stop();
  });

  it("answers each host with its own service's pods and versions", async () => {
    const web = await json("web.env-a.sandbox.localhost", "/catalog?page=2");
    expect(web).toMatchObject({ namespace: "env-a", container: "web", image: "registry.sandbox.corral.test/shop/web:1.2.1", version: "1.2.1", path: "/catalog", method: "GET" });
    expect(web.pod).toMatch(/^web-/);
    // The port is not part of the host, and host names are case-insensitive.
    const api = await json("API.Env-A.sandbox.localhost:17080", "/");
    expect(api).toMatchObject({ namespace: "env-a", image: expect.stringContaining("shop/api@sha256:") as unknown, version: `sha256:${"ab".repeat(32)}` });
    expect(api.pod).toMatch(/^api-/);

    const html = await call("web.env-a.sandbox.localhost", "/");
    expect(html.status).toBe(200);
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.body).toContain("1.2.1");
    expect(html.body).toContain(String(html.headers["x-sandbox-pod"]));
    expect(html.body).toContain("env-a");

    // Two Ready replicas share the requests.
    const pods = new Set<string>();
    for (let i = 0; i < 4; i++) pods.add((await json("web.env-a.sandbox.localhost", "/")).pod);
    expect(pods.size).toBe(2);
    const pods2 = await core.listNamespacedPod({ namespace: "env-a", labelSelector: "app=web" });
    expect([...pods].sort()).toEqual(pods2.items.map((p) => p.metadata?.name).sort());
  });

  // curl (≥ 7.78), like Chromium, resolves every *.localhost name to loopback by itself: no Host header, no DNS.
  it.skipIf(noCurl !== undefined)("opens by name under sandbox.localhost with curl", async () => {
    const out = await run("curl", ["-sS", "--max-time", "10", "-H", "Accept: application/json", `http://web.env-a.sandbox.localhost:${sandbox.ingress.port}/from-curl`]);
    expect(out.stderr).toBe("");
    expect(JSON.parse(out.stdout)).toMatchObject({ host: "web.env-a.sandbox.localhost", version: "1.2.1", path: "/from-curl" });
  });

  it("keeps connections alive and answers HEAD without a body", async () => {
    await call("web.env-a.sandbox.localhost", "/");
    const again = await call("web.env-a.sandbox.localhost", "/");
    expect(again.reusedSocket).toBe(true);
    const head = await call("web.env-a.sandbox.localhost", "/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(Number(head.headers["content-length"])).toBe(Buffer.byteLength(again.body));
  });

  it("routes by path: Exact, Prefix by path element, ImplementationSpecific as a string prefix, longest first, then the default backend", async () => {
    await ingress("env-a", "paths", {
      defaultBackend: { service: { name: "web", port: { name: "http" } } },
      rules: [
        rule("paths.sandbox.localhost", [
          { path: "/", pathType: "Prefix", service: "web" },
          { path: "/api/", pathType: "Prefix", service: "api" },
          { path: "/exact", pathType: "Exact", service: "api" },
          { path: "/impl", pathType: "ImplementationSpecific", service: "api" },
        ]),
        rule("only.sandbox.localhost", [{ path: "/only", pathType: "Prefix", service: "api" }]),
      ],
    });
    const who = async (host: string, target: string) => (await json(host, target)).pod.split("-")[0];
    const h = "paths.sandbox.localhost";
    expect(await who(h, "/api")).toBe("api");
    expect(await who(h, "/api/items/7")).toBe("api");
    expect(await who(h, "/apix")).toBe("web");
    expect(await who(h, "/exact")).toBe("api");
    expect(await who(h, "/exact/more")).toBe("web");
    expect(await who(h, "/implementation")).toBe("api");
    expect(await who(h, "/elsewhere")).toBe("web");
    // A host whose paths miss goes to its Ingress's defaultBackend.
    expect(await who("only.sandbox.localhost", "/only/x")).toBe("api");
    expect(await who("only.sandbox.localhost", "/other")).toBe("web");
  });

  it("matches a wildcard host on exactly one label", async () => {
    await ingress("env-a", "wild", { rules: [rule("*.wild.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "api" }])] });
    expect((await json("pr-12.wild.sandbox.localhost", "/")).pod).toMatch(/^api-/);
    const deeper = await call("a.pr-12.wild.sandbox.localhost", "/");
    expect(deeper.status).toBe(404);
    expect(deeper.body).toContain("no ingress for a.pr-12.wild.sandbox.localhost");
    expect((await call("wild.sandbox.localhost", "/")).status).toBe(404);
  });

  it("answers 404 for unknown hosts, 503 without ready endpoints and 502 for a crash-looping container", async () => {
    const unknown = await call("nowhere.sandbox.localhost", "/", { headers: { accept: "application/json" } });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ status: 404, message: "no ingress for nowhere.sandbox.localhost" });

    await core.createNamespace({ body: { metadata: { name: "env-b" } } });
    await core.createNamespacedService({ namespace: "env-b", body: { metadata: { name: "empty" }, spec: { selector: { app: "nothing" }, ports: [{ port: 80 }] } } });
    await deployWeb("env-b", "crash", "shop/api:crashloop", 1, false);
    await deployWeb("env-b", "slow", "shop/api:2.0-slow", 1, false);
    await ingress("env-b", "all", {
      rules: [
        rule("empty.env-b.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "empty" }]),
        rule("gone.env-b.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "missing" }]),
        rule("crash.env-b.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "crash" }]),
        rule("slow.env-b.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "slow" }]),
      ],
    });
    const empty = await call("empty.env-b.sandbox.localhost", "/");
    expect(empty.status).toBe(503);
    expect(empty.body).toContain("service &quot;env-b/empty&quot; has no ready endpoints");
    const gone = await call("gone.env-b.sandbox.localhost", "/", { headers: { accept: "application/json" } });
    expect(gone.status).toBe(503);
    expect(JSON.parse(gone.body)).toMatchObject({ message: 'service "env-b/missing" not found' });
    // Running but not yet Ready: not an endpoint.
    await waitFor("the slow pod running", async () => (await core.listNamespacedPod({ namespace: "env-b", labelSelector: "app=slow" })).items[0]?.status?.phase === "Running");
    expect((await call("slow.env-b.sandbox.localhost", "/")).status).toBe(503);
    const crash = await waitFor("a 502 from the crash loop", async () => {
      const a = await call("crash.env-b.sandbox.localhost", "/", { headers: { accept: "application/json" } });
      return a.status === 502 ? a : undefined;
    });
    expect((JSON.parse(crash.body) as { message: string }).message).toMatch(/container "web" of pod "env-b\/crash-\S+" is not running \((CrashLoopBackOff|Error)\)/);
    expect(sandbox.ingress.counters()).toMatchObject({ notFound: expect.any(Number) as unknown, badGateway: expect.any(Number) as unknown });
    expect(sandbox.ingress.counters().badGateway).toBeGreaterThan(0);
  });

  it("writes an access-log line to the answering pod's log: log API, follow stream and kubectl logs", async () => {
    await core.createNamespace({ body: { metadata: { name: "env-logs" } } });
    await deployWeb("env-logs", "web", "shop/web:1.3.0");
    await ingress("env-logs", "web", { rules: [rule("web.env-logs.sandbox.localhost", [{ path: "/", pathType: "Prefix", service: "web" }])] });
    const pod = (await core.listNamespacedPod({ namespace: "env-logs" })).items[0]?.metadata?.name ?? "";

    // A follow stream opened before the request sees the line arrive.
    const stream = new PassThrough();
    let followed = "";
    let ended = false;
    stream.on("data", (d: Buffer) => (followed += d.toString()));
    stream.on("end", () => (ended = true));
    await new Log(kc).log("env-logs", pod, "web", stream, { follow: true });
    try {
      await waitFor("the follow stream to start", () => followed.includes("listening on 0.0.0.0:8080"));
      const answer = await call("web.env-logs.sandbox.localhost", "/checkout?step=2", { headers: { "user-agent": "ingress-test/1.0", referer: "http://example.test/" } });
      expect(answer.status).toBe(200);
      const line = new RegExp(`^127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "GET /checkout\\?step=2 HTTP/1\\.1" 200 ${Buffer.byteLength(answer.body)} "http://example\\.test/" "ingress-test/1\\.0"$`, "m");
      await waitFor("the access line in the follow stream", () => line.test(followed));

      // The same line in a plain read of the log, with the kubelet's timestamps.
      const read = await core.readNamespacedPodLog({ namespace: "env-logs", name: pod, container: "web", timestamps: true });
      expect(read).toMatch(/^\S+Z 127\.0\.0\.1 - - \[.*\] "GET \/checkout\?step=2 HTTP\/1\.1" 200/m);

      // A request cannot fake fields or write raw bytes into the log (Node itself refuses control characters).
      const evil = await rawCall(['GET /q"x HTTP/1.1', "Host: web.env-logs.sandbox.localhost", 'User-Agent: evil" 500 "agent\u00e9']);
      expect(evil).toMatch(/^HTTP\/1\.1 200/);
      await waitFor("the escaped line", () => followed.includes('"GET /q\\x22x HTTP/1.1" 200') && followed.includes('"evil\\x22 500 \\x22agent\\xE9"'));

      if (!noKubectl) {
        const dir = await mkdtemp(path.join(tmpdir(), "sandbox-ingress-kubectl-"));
        try {
          const kubeconfig = path.join(dir, "kubeconfig");
          await writeFile(kubeconfig, sandbox.kubeconfig);
          const out = await run("kubectl", ["logs", "-n", "env-logs", "deployment/web"], { KUBECONFIG: kubeconfig });
          expect(out.stdout).toMatch(/"GET \/checkout\?step=2 HTTP\/1\.1" 200 \d+ "http:\/\/example\.test\/" "ingress-test\/1\.0"/);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
    } finally {
      // Ends the follow stream the way the kubelet does: the container stops.
      await core.deleteNamespacedPod({ namespace: "env-logs", name: pod });
      await waitFor("the follow stream to end", () => ended);
    }
  });

  it("takes faults and tells clients where it is", async () => {
    sandbox.setFaults("ingress", { errorRate: 1 });
    try {
      expect((await call("web.env-a.sandbox.localhost", "/")).status).toBe(503);
    } finally {
      sandbox.clearFaults();
    }
    expect((await call("web.env-a.sandbox.localhost", "/")).status).toBe(200);
    expect(sandbox.awsEnv).toMatchObject({ SANDBOX_INGRESS_URL: sandbox.ingress.url, SANDBOX_INGRESS_PORT: String(sandbox.ingress.port) });
    const status = (await (await fetch(`${sandbox.control.url}/_sandbox/status`)).json()) as { endpoints: { ingressUrl: string }; ingress: { served: number } };
    expect(status.endpoints.ingressUrl).toBe(sandbox.ingress.url);
    expect(status.ingress.served).toBeGreaterThan(0);
  });
});
