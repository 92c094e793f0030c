import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type IncomingMessage, request } from "node:http";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { type Sandbox, startSandbox } from "../sandbox/index";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { freePort } from "../test/support/free-port";
import { runBench } from "./support/run-bench";
import { FAST_TIMINGS } from "../test/support/world";
import { cpuSeconds } from "./support/process-stats";
import { BENCH_RUN_ENV } from "./support/run-env";
import { frameParser } from "../test/support/sse";

// Issue 6's figures for container logs, each beside a baseline measured in the same run:
//  1. throughput of one followed stream end to end — a sandbox container logging at a high
//     configured rate, read through Corral's real route (`next start`, production build, API
//     token) by a client that parses the SSE frames — against the same stream read straight
//     from the sandbox's Kubernetes API (pods/{pod}/log?follow=true&timestamps=true) by the same
//     kind of client. Also at a rate above what anything here can take, which shows each
//     path's ceiling (the direct one is the sandbox's own).
//  2. memory of the serving process with 50 followers at a realistic rate, and with a few slow
//     readers on fast streams (backpressure), against the same process with 0 followers.
//  3. latency from a line's creation (the sandbox stamps each line with the time it is written)
//     to its arrival in the client, through Corral and straight from the sandbox, on the same pod
//     at the same time.
// The sandboxes and the clients run in this process; the web server is its own process, so
// its memory and CPU are its own (/proc/<pid>). Loopback only; every loop is bounded.

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const FAST_RATE = num("BENCH_LOGS_RATE", 50_000);
const SATURATE_RATE = num("BENCH_LOGS_SATURATE_RATE", 2_000_000);
const THROUGHPUT_SECONDS = num("BENCH_LOGS_THROUGHPUT_SECONDS", 10);
const SATURATE_SECONDS = num("BENCH_LOGS_SATURATE_SECONDS", 5);
const FOLLOWERS = num("BENCH_LOGS_FOLLOWERS", 50);
const FOLLOW_RATE = num("BENCH_LOGS_FOLLOW_RATE", 200);
const FOLLOW_PODS = 10;
const MEMORY_SECONDS = num("BENCH_LOGS_MEMORY_SECONDS", 20);
const IDLE_SECONDS = 5;
const SLOW_READERS = num("BENCH_LOGS_SLOW_READERS", 4);
const SLOW_READ_BYTES = 16 * 1024;
const SLOW_READ_EVERY_MS = 100;
const LATENCY_SECONDS = num("BENCH_LOGS_LATENCY_SECONDS", 10);
const WARMUP_SECONDS = 1;
const SAMPLE_MS = 250;
const BUFFER_LINES = 5_000_000; // nothing is stored (lines are computed), so a long history costs nothing
const GOAL_LINES_PER_SECOND = 20_000;

const RUN_ENV = BENCH_RUN_ENV;
Object.assign(process.env, RUN_ENV);

// The sandbox's fast timings, as the tests use them: environments are ready within a second.
const TIMINGS = FAST_TIMINGS;

const cleanups: { name: string; run: () => Promise<void> }[] = [];
const children = new Set<ChildProcess>();
const streams = new Set<{ close: () => void }>();

interface Target {
  /** Which sandbox, for reading pods directly. */
  sandbox: Sandbox;
  environmentId: string;
  namespace: string;
  pods: string[];
}

async function main(): Promise<void> {
  await ensureLocalPostgres();
  const database = await makeDatabase();
  process.env.DATABASE_URL = database.url;

  // Three sandboxes, because the log rate is per sandbox: one a little faster than the goal,
  // one faster than anything can read, and one at a realistic rate for many followers.
  console.log("setting up: 3 sandboxes, a database, 3 environments provisioned by the worker…");
  const sandboxes = {
    fast: await makeSandbox(FAST_RATE),
    saturate: await makeSandbox(SATURATE_RATE),
    moderate: await makeSandbox(FOLLOW_RATE),
  };
  const dir = await mkdtemp(path.join(tmpdir(), "corral-bench-logs-"));
  cleanups.push({ name: "remove kubeconfig", run: () => rm(dir, { recursive: true, force: true }) });
  const kubeconfigPath = path.join(dir, "kubeconfig");
  await writeFile(kubeconfigPath, mergedKubeconfig(sandboxes), { mode: 0o600 });
  process.env.KUBECONFIG = kubeconfigPath;

  const { db } = await import("@/lib/db/client");
  const { createApiToken } = await import("@/lib/auth/api-tokens");
  const { createEnvironment } = await import("@/lib/environments/create-environment");
  for (const name of Object.keys(sandboxes)) {
    await db.cluster.create({ data: { name: `bench-${name}`, kubeContext: `bench-${name}`, isDefault: name === "moderate" } });
  }
  const user = await db.user.create({ data: { email: "bench-logs@example.com", name: "Bench", role: "developer" } });
  const actor = { ...user, via: "session" as const, scopes: null };
  const token = (await createApiToken(actor, { name: "bench-logs", scopes: ["environments:read"], expiresInDays: 1 })).token;
  const specs = { fast: 2, saturate: 1, moderate: FOLLOW_PODS } as const;
  const created: Record<string, { id: string; name: string }> = {};
  for (const [name, replicas] of Object.entries(specs)) {
    created[name] = await createEnvironment(actor, { name: `logs-${name}`, cluster: `bench-${name}`, components: [{ name: "web", image: "nginx:1.27.3", replicas }] });
  }
  const { startWorker } = await import("@/lib/jobs/worker");
  const { stopBoss } = await import("@/lib/jobs/queue");
  const worker = await startWorker();
  await waitUntil("environments ready", async () => (await db.environment.count({ where: { status: "ready" } })) === 3, 60_000, 100);
  await worker.stop();
  await stopBoss();

  const targets = {} as Record<keyof typeof sandboxes, Target>;
  for (const key of Object.keys(sandboxes) as (keyof typeof sandboxes)[]) {
    const sandbox = sandboxes[key];
    const kc = new KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    const env = created[key]!;
    const pods = (await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: env.name })).items.map((p) => p.metadata!.name!).sort();
    if (pods.length !== specs[key]) throw new Error(`${key}: ${pods.length} pods, expected ${specs[key]}`);
    targets[key] = { sandbox, environmentId: env.id, namespace: env.name, pods };
  }

  const server = await startServer(kubeconfigPath, database.url);
  console.log(`web server: next start on 127.0.0.1:${server.port}, serving process pid ${server.servingPid} (spawned pid ${server.spawnedPid})`);
  const corral = (t: Target, pod: string): Source => ({
    kind: "sse",
    url: `http://127.0.0.1:${server.port}/api/v1/environments/${t.environmentId}/logs?pod=${pod}&tailLines=1`,
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
  });
  const direct = (t: Target, pod: string): Source => ({
    kind: "raw",
    url: `${t.sandbox.kube.url}/api/v1/namespaces/${t.namespace}/pods/${pod}/log?container=web&follow=true&timestamps=true&tailLines=1`,
    headers: {},
  });

  // Warm the route (compiles nothing in production, but loads modules and opens the DB pool).
  for (let i = 0; i < 3; i++) {
    const s = follow(corral(targets.moderate, targets.moderate.pods[0]!), {});
    await sleep(500);
    s.close();
  }
  await sleep(1_000);

  // Figure 2 first, so nothing else has grown the server's heap before the 0-follower sample.
  console.log(`[2/3] memory: 0 followers for ${IDLE_SECONDS} s, then ${FOLLOWERS} followers at ${FOLLOW_RATE} lines/s for ${MEMORY_SECONDS} s, then ${SLOW_READERS} slow readers at ${FAST_RATE} lines/s…`);
  const memory = await memoryFigure(server.servingPid, targets.moderate, targets.fast, corral);

  console.log(`[1/3] throughput: one stream at ${FAST_RATE} lines/s for ${THROUGHPUT_SECONDS} s, direct then Corral; then at ${SATURATE_RATE} lines/s for ${SATURATE_SECONDS} s…`);
  const throughput = {
    configured: await throughputPair(server.servingPid, targets.fast, FAST_RATE, THROUGHPUT_SECONDS, corral, direct),
    saturated: await throughputPair(server.servingPid, targets.saturate, SATURATE_RATE, SATURATE_SECONDS, corral, direct),
  };

  console.log(`[3/3] latency: one pod at ${FOLLOW_RATE} lines/s, Corral and direct side by side for ${LATENCY_SECONDS} s…`);
  const latency = await latencyFigure(targets.moderate, corral, direct);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    setup: {
      server: "next start (production build), API token, GET /api/v1/environments/:id/logs?pod=…&tailLines=1, SSE frames parsed (JSON) by the client",
      direct: "GET {sandbox}/api/v1/namespaces/:ns/pods/:pod/log?follow=true&timestamps=true&tailLines=1, lines split and timestamps parsed by the client",
      sandboxBufferLines: BUFFER_LINES,
    },
    throughput,
    memory,
    latency,
    targets: { linesPerSecond: GOAL_LINES_PER_SECOND },
  };
  printTable(result);
  await writeFile(path.join(ROOT, "bench", "results", "logs.json"), JSON.stringify(result, null, 2) + "\n");
  console.log("\nwrote bench/results/logs.json");
  if (throughput.configured.corral.linesPerSecond < GOAL_LINES_PER_SECOND || !memory.followers.bounded || !memory.slowReaders.bounded) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// A log-following client: the same for both paths except for the framing it parses.

interface Source {
  kind: "sse" | "raw";
  url: string;
  headers: Record<string, string>;
}

interface Follower {
  lines: number;
  bytes: number;
  frames: number;
  /** Arrival minus line time (ms), when asked to record it. */
  latencies: number[];
  /** Time (epoch ms) of the newest line seen. */
  newest: number;
  status: number | undefined;
  error: string | undefined;
  /** For a paused follower: take up to `n` characters from what has arrived. */
  readSome(n: number): void;
  close(): void;
}

function follow(source: Source, opts: { recordLatency?: () => boolean; paused?: boolean }): Follower {
  const f: Follower = {
    lines: 0,
    bytes: 0,
    frames: 0,
    latencies: [],
    newest: 0,
    status: undefined,
    error: undefined,
    readSome: (n) => void response?.read(n),
    close: () => {
      req.destroy();
      streams.delete(f);
    },
  };
  let response: IncomingMessage | undefined;
  const accept = (time: string, arrival: number, record: boolean) => {
    const t = stampMs(time);
    f.lines++;
    if (t > f.newest) f.newest = t;
    if (record) f.latencies.push(arrival - t);
  };
  const req = request(source.url, { headers: source.headers, agent: false }, (res) => {
    response = res;
    f.status = res.statusCode;
    if (opts.paused) res.pause();
    res.setEncoding("utf8");
    let buffer = "";
    // The arrival and recording of the chunk being parsed, for the frames it completes.
    let arrival = 0;
    let record = false;
    const feed = frameParser((frame) => {
      if (frame.event !== "lines" || frame.data === undefined) return;
      f.frames++;
      for (const l of (JSON.parse(frame.data) as { lines: [string, string, string][] }).lines) accept(l[1], arrival, record);
    });
    res.on("data", (chunk: string) => {
      arrival = performance.timeOrigin + performance.now();
      record = opts.recordLatency?.() ?? false;
      f.bytes += Buffer.byteLength(chunk);
      if (source.kind === "raw") {
        buffer += chunk;
        let start = 0;
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n", start)) {
          const space = buffer.indexOf(" ", start);
          if (space > start && space < nl) accept(buffer.slice(start, space), arrival, record);
          start = nl + 1;
        }
        buffer = buffer.slice(start);
        return;
      }
      feed(chunk);
    });
    res.on("error", () => undefined);
  });
  req.on("error", (e) => (f.error = e.message));
  req.end();
  streams.add(f);
  return f;
}

/** Epoch ms (fractional) of an RFC 3339 timestamp with up to nanoseconds, as the sandbox writes them. */
function stampMs(time: string): number {
  const dot = time.indexOf(".");
  if (dot < 0) return Date.parse(time);
  const whole = Date.parse(`${time.slice(0, dot)}Z`);
  const fraction = time.slice(dot + 1, time.length - 1);
  return whole + Number(`0.${fraction}`) * 1000;
}

// ---------------------------------------------------------------------------------------------
// Figure 1: one stream's throughput.

async function throughputPair(pid: number, t: Target, rate: number, seconds: number, corral: (t: Target, pod: string) => Source, direct: (t: Target, pod: string) => Source) {
  const pod = t.pods[0]!;
  const d = await throughputRun(pid, direct(t, pod), seconds);
  const c = await throughputRun(pid, corral(t, pod), seconds);
  return {
    configuredLinesPerSecond: rate,
    seconds,
    corral: c,
    direct: d,
    ratio: round(c.linesPerSecond / d.linesPerSecond),
  };
}

async function throughputRun(pid: number, source: Source, seconds: number) {
  const f = follow(source, {});
  await sleep(WARMUP_SECONDS * 1000);
  const l0 = f.lines;
  const b0 = f.bytes;
  const fr0 = f.frames;
  const c0 = { server: cpuSeconds(pid), self: cpuSeconds(process.pid) };
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const lines = f.lines - l0;
  const serverCpu = cpuSeconds(pid) - c0.server;
  const selfCpu = cpuSeconds(process.pid) - c0.self;
  const lagMs = Date.now() - f.newest;
  const rssMB = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
  f.close();
  if (f.status !== 200) throw new Error(`${source.url}: status ${f.status} ${f.error ?? ""}`);
  await sleep(500);
  return {
    linesPerSecond: Math.round(lines / elapsed),
    megabytesPerSecond: round(((f.bytes - b0) / elapsed) / 1e6),
    linesPerFrame: source.kind === "sse" ? Math.round(lines / Math.max(1, f.frames - fr0)) : null,
    /** How far behind the newest line read was when the window closed: grows when the path cannot keep up. */
    lagAtEndMs: Math.round(lagMs),
    webServerCpuPercentOfOneCore: source.kind === "sse" ? round((serverCpu / elapsed) * 100) : 0,
    webServerCpuMicrosecondsPerLine: source.kind === "sse" ? round((serverCpu * 1e6) / Math.max(1, lines)) : null,
    benchProcessCpuPercentOfOneCore: round((selfCpu / elapsed) * 100),
    webServerRssAtEndMB: source.kind === "sse" ? round(rssMB) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Figure 2: memory of the serving process.

async function memoryFigure(pid: number, moderate: Target, fast: Target, corral: (t: Target, pod: string) => Source) {
  const idle = await sampleRss(pid, IDLE_SECONDS);

  // 50 followers, spread over the pods (each has its own upstream request either way).
  const latencyOn = { value: false };
  const followers = Array.from({ length: FOLLOWERS }, (_, i) => follow(corral(moderate, moderate.pods[i % moderate.pods.length]!), { recordLatency: () => latencyOn.value }));
  await waitUntil("every follower to get lines", async () => followers.every((f) => f.lines > 0), 30_000, 100);
  const openUpstream = moderate.sandbox.openLogStreams();
  const cpu0 = cpuSeconds(pid);
  const l0 = sum(followers.map((f) => f.lines));
  latencyOn.value = true;
  const busy = await sampleRss(pid, MEMORY_SECONDS);
  latencyOn.value = false;
  const cpu = cpuSeconds(pid) - cpu0;
  const delivered = sum(followers.map((f) => f.lines)) - l0;
  const lat = followers.flatMap((f) => f.latencies);
  for (const f of followers) f.close();
  if (followers.some((f) => f.status !== 200)) throw new Error(`a follower got ${followers.find((f) => f.status !== 200)?.status}`);
  await sleep(2_000);
  const after = await sampleRss(pid, 3);

  // Slow readers: fast streams (the sandbox would write FAST_RATE lines a second each), each
  // read 16 KB at a time every 100 ms (~160 KB/s, a browser on a poor link) and never faster.
  // Without backpressure the server would hold everything they do not take.
  const slow = Array.from({ length: SLOW_READERS }, (_, i) => follow(corral(fast, fast.pods[i % fast.pods.length]!), { paused: true }));
  await sleep(500);
  const slowCpu0 = cpuSeconds(pid);
  let slowTicks = 0;
  const slowTimer = setInterval(() => {
    slowTicks++;
    for (const s of slow) s.readSome(SLOW_READ_BYTES);
  }, SLOW_READ_EVERY_MS);
  const s0 = sum(slow.map((s) => s.lines));
  const slowBusy = await sampleRss(pid, MEMORY_SECONDS);
  clearInterval(slowTimer);
  const slowCpu = cpuSeconds(pid) - slowCpu0;
  const slowLines = sum(slow.map((s) => s.lines)) - s0;
  const slowLag = Math.round(Date.now() - Math.min(...slow.map((s) => s.newest)));
  const slowStatus = slow.map((s) => s.status);
  const upstreamDuringSlow = fast.sandbox.openLogStreams();
  for (const s of slow) s.close();
  if (slowStatus.some((s) => s !== 200)) throw new Error(`a slow reader got ${slowStatus.join(",")}`);
  await sleep(2_000);
  const afterSlow = await sampleRss(pid, 3);
  // If the server buffered what slow readers do not take, it would hold this much.
  const unreadLines = SLOW_READERS * FAST_RATE * MEMORY_SECONDS - slowLines;

  return {
    idle: { followers: 0, seconds: IDLE_SECONDS, ...summary(idle) },
    followers: {
      followers: FOLLOWERS,
      linesPerSecondEach: FOLLOW_RATE,
      pods: moderate.pods.length,
      openUpstreamStreams: openUpstream,
      seconds: MEMORY_SECONDS,
      ...summary(busy),
      rssOverIdleMB: round(max(busy.map((s) => s.rssMB)) - mean(idle.map((s) => s.rssMB))),
      deliveredLinesPerSecond: Math.round(delivered / MEMORY_SECONDS),
      expectedLinesPerSecond: FOLLOWERS * FOLLOW_RATE,
      webServerCpuPercentOfOneCore: round((cpu / MEMORY_SECONDS) * 100),
      latencyMs: percentiles(lat),
      bounded: bounded(busy),
    },
    afterFollowersLeft: summary(after),
    slowReaders: {
      readers: SLOW_READERS,
      sourceLinesPerSecondEach: FAST_RATE,
      reading: `${SLOW_READ_BYTES} bytes every ${SLOW_READ_EVERY_MS} ms, paused otherwise`,
      seconds: MEMORY_SECONDS,
      readWindows: slowTicks,
      ...summary(slowBusy),
      rssOverIdleMB: round(max(slowBusy.map((s) => s.rssMB)) - mean(idle.map((s) => s.rssMB))),
      deliveredLinesPerSecond: Math.round(slowLines / MEMORY_SECONDS),
      linesNotTakenByReaders: unreadLines,
      newestLineLagAtEndMs: slowLag,
      upstreamStreamsOpen: upstreamDuringSlow,
      webServerCpuPercentOfOneCore: round((slowCpu / MEMORY_SECONDS) * 100),
      bounded: bounded(slowBusy),
    },
    afterSlowReadersLeft: summary(afterSlow),
  };
}

interface RssSample {
  at: number;
  rssMB: number;
  hwmMB: number;
}

async function sampleRss(pid: number, seconds: number): Promise<RssSample[]> {
  const samples: RssSample[] = [];
  const t0 = performance.now();
  for (let i = 0; i <= (seconds * 1000) / SAMPLE_MS; i++) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    samples.push({ at: (performance.now() - t0) / 1000, rssMB: kb("VmRSS") / 1024, hwmMB: kb("VmHWM") / 1024 });
    await sleep(SAMPLE_MS);
  }
  return samples;
}

function summary(samples: RssSample[]) {
  const half = Math.floor(samples.length / 2);
  const rss = samples.map((s) => s.rssMB);
  return {
    rssMeanMB: round(mean(rss)),
    rssMaxMB: round(max(rss)),
    rssFirstHalfMeanMB: round(mean(rss.slice(0, half))),
    rssSecondHalfMeanMB: round(mean(rss.slice(half))),
    rssSlopeMBPerMinute: round(slope(samples) * 60),
    vmHwmMB: round(samples.at(-1)!.hwmMB),
  };
}

/** No sustained upward trend: the second half of the window averages at most 5 MB above the first (the slope is reported beside it). */
function bounded(samples: RssSample[]): boolean {
  const s = summary(samples);
  return s.rssSecondHalfMeanMB <= s.rssFirstHalfMeanMB + 5;
}

function slope(samples: RssSample[]): number {
  const mx = mean(samples.map((s) => s.at));
  const my = mean(samples.map((s) => s.rssMB));
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.at - mx) * (s.rssMB - my);
    den += (s.at - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

// ---------------------------------------------------------------------------------------------
// Figure 3: latency, both paths on the same pod at the same time.

async function latencyFigure(t: Target, corral: (t: Target, pod: string) => Source, direct: (t: Target, pod: string) => Source) {
  const pod = t.pods[0]!;
  const on = { value: false };
  const c = follow(corral(t, pod), { recordLatency: () => on.value });
  const d = follow(direct(t, pod), { recordLatency: () => on.value });
  await sleep(WARMUP_SECONDS * 1000);
  on.value = true;
  await sleep(LATENCY_SECONDS * 1000);
  on.value = false;
  c.close();
  d.close();
  const corralP = percentiles(c.latencies);
  const directP = percentiles(d.latencies);
  return {
    linesPerSecond: FOLLOW_RATE,
    seconds: LATENCY_SECONDS,
    corral: corralP,
    direct: directP,
    addedByCorralMs: { p50: round(corralP.p50 - directP.p50), p95: round(corralP.p95 - directP.p95), p99: round(corralP.p99 - directP.p99) },
    ratio: { p50: round(corralP.p50 / directP.p50), p95: round(corralP.p95 / directP.p95), p99: round(corralP.p99 / directP.p99) },
  };
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN);
  return { samples: sorted.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: round(sorted.at(-1) ?? NaN) };
}

// ---------------------------------------------------------------------------------------------
// The web server: `next start` as crash.test.ts runs it, and the process that serves.

async function startServer(kubeconfig: string, databaseUrl: string) {
  const port = await freePort();
  const proc = spawn(path.join(BIN, "next"), ["start", "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ROOT,
    env: { ...process.env, ...RUN_ENV, CORRAL_BASE_URL: `http://127.0.0.1:${port}`, KUBECONFIG: kubeconfig, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  const output: string[] = [];
  for (const s of [proc.stdout, proc.stderr]) s.on("data", (c: Buffer) => (output.push(c.toString("utf8")), output.length > 50 && output.shift()));
  proc.on("exit", () => children.delete(proc));
  cleanups.push({ name: "stop web server", run: () => stopTree(proc) });
  try {
    await waitUntil("the web server", async () => (await fetch(`http://127.0.0.1:${port}/api/readyz`).catch(() => null))?.ok === true, 60_000, 200);
  } catch (e) {
    throw new Error(`${String(e)}\n${output.join("")}`);
  }
  const servingPid = listeningPid(port, descendants(proc.pid!));
  return { port, spawnedPid: proc.pid!, servingPid };
}

/** The pid, among `pids`, holding the socket that listens on `port` (from /proc/net/tcp). */
function listeningPid(port: number, pids: number[]): number {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const row of readFileSync(table, "utf8").split("\n").slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length < 10) continue;
      if (parseInt(f[1]!.split(":")[1]!, 16) === port && f[3] === "0A") inodes.add(f[9]!);
    }
  }
  for (const pid of pids) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`, "utf8") as string);
        if (m && inodes.has(m[1]!)) return pid;
      }
    } catch {
      // gone
    }
  }
  throw new Error(`no process of ${pids.join(",")} listens on ${port}`);
}

/** `pid` and every process below it. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of parents) if (parent === out[i]) out.push(child);
  return out;
}

/** SIGTERM to the spawned process, then SIGKILL to it and to anything still left below it, each by pid. */
async function stopTree(proc: ChildProcess): Promise<void> {
  const pids = descendants(proc.pid!);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
  await Promise.race([new Promise((r) => proc.once("exit", r)), sleep(5_000)]);
  for (const pid of pids.reverse()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function makeDatabase() {
  const name = `corral_bench_logs_${process.pid}`;
  const url = await freshDatabase(name);
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(url);
  cleanups.push({ name: `drop database ${name}`, run: () => dropDatabase(name) });
  return { name, url };
}

async function makeSandbox(linesPerSecond: number): Promise<Sandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), "corral-bench-logs-sandbox-"));
  const sandbox = await startSandbox({ configDir: dir, timings: TIMINGS, logs: { linesPerSecond, bufferLines: BUFFER_LINES } });
  cleanups.push({ name: "stop sandbox", run: () => sandbox.stop().finally(() => rm(dir, { recursive: true, force: true })) });
  return sandbox;
}

function mergedKubeconfig(sandboxes: Record<string, Sandbox>): string {
  const names = Object.keys(sandboxes);
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: names.map((n) => ({ name: `bench-${n}`, cluster: { server: sandboxes[n]!.kube.url, "insecure-skip-tls-verify": true } })),
    users: [{ name: "bench", user: { token: "sandbox-token" } }],
    contexts: names.map((n) => ({ name: `bench-${n}`, context: { cluster: `bench-${n}`, user: "bench", namespace: "default" } })),
    "current-context": `bench-${names[0]}`,
  });
}

async function cleanup(): Promise<void> {
  for (const s of [...streams]) s.close();
  const { stopBoss } = await import("@/lib/jobs/queue").catch(() => ({ stopBoss: async () => {} }));
  await stopBoss().catch(() => {});
  const { db } = await import("@/lib/db/client").catch(() => ({ db: null }));
  await db?.$disconnect().catch(() => {});
  for (const c of cleanups.reverse()) await c.run().catch((e: unknown) => console.error(`cleanup (${c.name}) failed: ${String(e)}`));
  cleanups.length = 0;
  for (const child of [...children]) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : NaN);
const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -Infinity);
const round = (n: number) => Math.round(n * 100) / 100;

interface Result {
  throughput: { configured: Awaited<ReturnType<typeof throughputPair>>; saturated: Awaited<ReturnType<typeof throughputPair>> };
  memory: Awaited<ReturnType<typeof memoryFigure>>;
  latency: Awaited<ReturnType<typeof latencyFigure>>;
}

function printTable(r: Result) {
  const row = (cells: (string | number | boolean | null)[]) => console.log(cells.map((x, k) => String(x ?? "-").padEnd(k === 0 ? 46 : 14)).join(""));
  console.log(`\n1. throughput of one followed stream (goal: ≥ ${GOAL_LINES_PER_SECOND} lines/s through Corral)`);
  row(["", "Corral", "direct", "ratio"]);
  for (const [label, t] of [[`configured ${r.throughput.configured.configuredLinesPerSecond} lines/s, ${r.throughput.configured.seconds} s`, r.throughput.configured], [`configured ${r.throughput.saturated.configuredLinesPerSecond} lines/s (saturated), ${r.throughput.saturated.seconds} s`, r.throughput.saturated]] as const) {
    console.log(`   ${label}`);
    row(["   delivered lines/s", t.corral.linesPerSecond, t.direct.linesPerSecond, t.ratio]);
    row(["   MB/s on the wire", t.corral.megabytesPerSecond, t.direct.megabytesPerSecond, round(t.corral.megabytesPerSecond / t.direct.megabytesPerSecond)]);
    row(["   newest line's lag at end (ms)", t.corral.lagAtEndMs, t.direct.lagAtEndMs, ""]);
    row(["   bench process CPU (% of a core)", t.corral.benchProcessCpuPercentOfOneCore, t.direct.benchProcessCpuPercentOfOneCore, ""]);
    console.log(`      web server: ${t.corral.webServerCpuPercentOfOneCore}% of a core, ${t.corral.webServerCpuMicrosecondsPerLine} µs CPU per line, ${t.corral.linesPerFrame} lines per SSE frame, RSS at the end ${t.corral.webServerRssAtEndMB} MB`);
  }
  const m = r.memory;
  console.log(`\n2. memory of the serving process (VmRSS, MB, sampled every ${SAMPLE_MS} ms)`);
  row(["", "mean", "max", "1st half", "2nd half", "slope MB/min", "bounded"]);
  row([`0 followers (${m.idle.seconds} s)`, m.idle.rssMeanMB, m.idle.rssMaxMB, m.idle.rssFirstHalfMeanMB, m.idle.rssSecondHalfMeanMB, m.idle.rssSlopeMBPerMinute, ""]);
  row([`${m.followers.followers} followers × ${m.followers.linesPerSecondEach} lines/s (${m.followers.seconds} s)`, m.followers.rssMeanMB, m.followers.rssMaxMB, m.followers.rssFirstHalfMeanMB, m.followers.rssSecondHalfMeanMB, m.followers.rssSlopeMBPerMinute, m.followers.bounded]);
  row(["after they left (3 s)", m.afterFollowersLeft.rssMeanMB, m.afterFollowersLeft.rssMaxMB, "", "", "", ""]);
  row([`${m.slowReaders.readers} slow readers of ${m.slowReaders.sourceLinesPerSecondEach} lines/s (${m.slowReaders.seconds} s)`, m.slowReaders.rssMeanMB, m.slowReaders.rssMaxMB, m.slowReaders.rssFirstHalfMeanMB, m.slowReaders.rssSecondHalfMeanMB, m.slowReaders.rssSlopeMBPerMinute, m.slowReaders.bounded]);
  row(["after they left (3 s)", m.afterSlowReadersLeft.rssMeanMB, m.afterSlowReadersLeft.rssMaxMB, "", "", "", ""]);
  console.log(`   peak over 0 followers: ${m.followers.rssOverIdleMB} MB with ${m.followers.followers} followers, ${m.slowReaders.rssOverIdleMB} MB with slow readers (ratio peak/idle ${round(m.followers.rssMaxMB / m.idle.rssMeanMB)} and ${round(m.slowReaders.rssMaxMB / m.idle.rssMeanMB)}); VmHWM at the end ${m.afterSlowReadersLeft.vmHwmMB} MB`);
  console.log(`   followers: ${m.followers.deliveredLinesPerSecond} of ${m.followers.expectedLinesPerSecond} lines/s delivered, ${m.followers.openUpstreamStreams} upstream streams open, web server ${m.followers.webServerCpuPercentOfOneCore}% of a core, latency p50/p95/p99 ${m.followers.latencyMs.p50}/${m.followers.latencyMs.p95}/${m.followers.latencyMs.p99} ms`);
  console.log(`   slow readers (${m.slowReaders.reading}): ${m.slowReaders.deliveredLinesPerSecond} lines/s taken; ${m.slowReaders.linesNotTakenByReaders} lines the sandbox would have written that nobody read (not buffered: held back upstream); web server ${m.slowReaders.webServerCpuPercentOfOneCore}% of a core`);
  const l = r.latency;
  console.log(`\n3. latency, line written in the sandbox → parsed by the client (ms), ${l.linesPerSecond} lines/s, same pod, side by side`);
  row(["", "Corral", "direct", "ratio", "added"]);
  for (const p of ["p50", "p95", "p99"] as const) row([p, l.corral[p], l.direct[p], l.ratio[p], l.addedByCorralMs[p]]);
  row(["max", l.corral.max, l.direct.max, "", ""]);
  row(["samples", l.corral.samples, l.direct.samples, "", ""]);
}

runBench(main, cleanup);
