import { writeFile } from "node:fs/promises";
import { Agent, type IncomingMessage, createServer, request } from "node:http";
import path from "node:path";
import { startSandbox } from "../sandbox/index";

// Requests a second through the sandbox's ingress (Host routing over every environment's
// Ingress, Service, Ready pods, the simulated page and its access-log line) against a bare
// node:http server answering the same page, so the figure says what the ingress itself costs.
const requests = Number(process.env["BENCH_REQUESTS"] ?? 20_000);
const concurrency = Number(process.env["BENCH_CONCURRENCY"] ?? 32);
// Other environments in the cluster, so routing and endpoint lookups are not trivially small.
const environments = Number(process.env["BENCH_ENVIRONMENTS"] ?? 100);
const rounds = 5;
const host = "web.env-0.sandbox.localhost";

async function main(): Promise<void> {
  const sandbox = await startSandbox({ timings: { podScheduleDelayMs: 1, podStartDelayMs: 1, podReadyDelayMs: 1 }, logs: { linesPerSecond: 1 } });
  const kubePort = Number(new URL(sandbox.kube.url).port);
  const ingressPort = sandbox.ingress.port;
  for (let i = 0; i < environments; i++) await createEnvironment(kubePort, `env-${i}`, i === 0 ? 2 : 1);
  await until(async () => (await send(ingressPort, "GET", "/", { host })).status === 200);
  const page = (await send(ingressPort, "GET", "/", { host })).body;

  const baseline = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(page), "cache-control": "no-store" });
    res.end(page);
  });
  await new Promise<void>((r) => baseline.listen(0, "127.0.0.1", r));
  const baselinePort = (baseline.address() as { port: number }).port;

  // Warm up both so the JIT state is comparable, then alternate rounds so that load from
  // elsewhere on the machine falls on both; the medians are compared.
  await loop(ingressPort, 2000);
  await loop(baselinePort, 2000);
  const ingressRates: number[] = [];
  const baselineRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ingressRates.push(await loop(ingressPort, requests / rounds));
    baselineRates.push(await loop(baselinePort, requests / rounds));
  }
  const ingressRate = median(ingressRates);
  const baselineRate = median(baselineRates);
  const counters = sandbox.ingress.counters();
  baseline.close();
  await sandbox.stop();

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    requests,
    concurrency,
    environments,
    ingressPerSecond: Math.round(ingressRate),
    baselinePerSecond: Math.round(baselineRate),
    ratio: Math.round((ingressRate / baselineRate) * 100) / 100,
    served: counters.served,
    notServed: counters.requests - counters.served,
    target: { ingressPerSecond: 2000 },
  };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(path.resolve("bench", "results", "sandbox-ingress.json"), JSON.stringify(result, null, 2) + "\n");
  if (ingressRate < 2000 || result.notServed > 0) process.exitCode = 1;
}

async function createEnvironment(port: number, ns: string, replicas: number): Promise<void> {
  const post = (p: string, body: unknown) => send(port, "POST", p, { "content-type": "application/json" }, JSON.stringify(body));
  await post("/api/v1/namespaces", { metadata: { name: ns } });
  const labels = { app: "web" };
  await post(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    metadata: { name: "web" },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "registry.sandbox.corral.test/shop/web:1.2.1", ports: [{ name: "http", containerPort: 8080 }] }] } } },
  });
  await post(`/api/v1/namespaces/${ns}/services`, { metadata: { name: "web" }, spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
  await post(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`, {
    metadata: { name: "web" },
    spec: { rules: [{ host: `web.${ns}.sandbox.localhost`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] },
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path: target, agent, headers }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function loop(port: number, total: number): Promise<number> {
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued++;
      await send(port, "GET", "/", { host });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the bench environment did not become ready");
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
