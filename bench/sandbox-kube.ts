import { writeFile } from "node:fs/promises";
import { Agent, type IncomingMessage, createServer, request } from "node:http";
import path from "node:path";
import { startSandbox } from "../sandbox/index";

// Measures the sandbox's Kubernetes API against a bare node:http server answering the same
// JSON, so the figure says how much the sandbox itself costs. Loopback only, bounded loops.
const gets = Number(process.env["BENCH_GETS"] ?? 20_000);
const concurrency = Number(process.env["BENCH_CONCURRENCY"] ?? 32);
const watchers = Number(process.env["BENCH_WATCHERS"] ?? 100);
const watchUpdates = Number(process.env["BENCH_WATCH_UPDATES"] ?? 200);

async function main(): Promise<void> {
  const sandbox = await startSandbox({ logs: { linesPerSecond: 1 } });
  const kube = new URL(sandbox.kube.url);
  const port = Number(kube.port);
  await send(port, "POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ metadata: { name: "bench" }, data: { k: "v" } }));
  const body = await send(port, "GET", "/api/v1/namespaces/default/configmaps/bench");

  const baseline = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => baseline.listen(0, "127.0.0.1", r));
  const baselinePort = (baseline.address() as { port: number }).port;

  // Warm up both servers so the JIT state is comparable.
  await getLoop(port, 2000);
  await getLoop(baselinePort, 2000);
  const sandboxRate = await getLoop(port, gets);
  const baselineRate = await getLoop(baselinePort, gets);

  const watch = await watchRun(port);
  baseline.close();
  await sandbox.stop();

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    gets: { requests: gets, concurrency, sandboxPerSecond: Math.round(sandboxRate), baselinePerSecond: Math.round(baselineRate), ratio: round(sandboxRate / baselineRate) },
    watch: { watchers, updates: watchUpdates, eventsDelivered: watch.delivered, eventsExpected: watchers * watchUpdates, seconds: round(watch.seconds), eventsPerSecond: Math.round(watch.delivered / watch.seconds) },
    targets: { getsPerSecond: 2000, watchers: 100 },
  };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(path.resolve("bench", "results", "sandbox-kube.json"), JSON.stringify(result, null, 2) + "\n");
  if (sandboxRate < 2000 || watch.delivered !== watchers * watchUpdates) process.exitCode = 1;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(port: number, method: string, path: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, agent, headers: body ? { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" } : {} }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function getLoop(port: number, total: number): Promise<number> {
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued++;
      await send(port, "GET", "/api/v1/namespaces/default/configmaps/bench");
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

async function watchRun(port: number): Promise<{ delivered: number; seconds: number }> {
  const watchAgent = new Agent({ keepAlive: false, maxSockets: watchers + 10 });
  let delivered = 0;
  const expected = watchers * watchUpdates;
  let opened = 0;
  let onAllOpen: () => void = () => {};
  const allOpen = new Promise<void>((r) => (onAllOpen = r));
  let onDone: () => void = () => {};
  const done = new Promise<void>((r) => (onDone = r));
  const reqs = Array.from({ length: watchers }, () => {
    const req = request({ host: "127.0.0.1", port, path: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${0}&fieldSelector=metadata.name%3Dwatched`, agent: watchAgent }, (res) => {
      if (++opened === watchers) onAllOpen();
      let buffered = "";
      res.on("data", (c: Buffer) => {
        buffered += c.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          if (line.includes('"MODIFIED"')) delivered++;
        }
        if (delivered >= expected) onDone();
      });
      res.on("error", () => undefined);
    });
    req.on("error", () => undefined);
    req.end();
    return req;
  });
  await allOpen;
  await send(port, "POST", "/api/v1/namespaces/default/configmaps", JSON.stringify({ metadata: { name: "watched" }, data: { n: "0" } }));
  const started = performance.now();
  for (let i = 1; i <= watchUpdates; i++) {
    await send(port, "PATCH", "/api/v1/namespaces/default/configmaps/watched", JSON.stringify({ data: { n: String(i) } }));
  }
  const deadline = setTimeout(onDone, 30_000);
  await done;
  clearTimeout(deadline);
  const seconds = (performance.now() - started) / 1000;
  for (const r of reqs) r.destroy();
  return { delivered, seconds };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
