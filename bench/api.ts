import { Agent, request } from "node:http";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { freePort } from "../test/support/free-port";
import { killGroup, spawnServer } from "../test/support/production-server";
import { runBench } from "./support/run-bench";
import { BENCH_RUN_ENV, benchNumber } from "./support/run-env";

// Issue 10's read figures: authenticated reads on the production server (scripts/serve.mjs,
// `npm start`'s server) against /api/healthz on the same server in the same run, as a ratio
// of throughput, with p95 latency, at 20 concurrent keep-alive connections from a client in
// another process (this one). 1,000 environments of three components, a lead's API token.
//   list      GET /api/v1/environments?limit=50
//   detail    GET /api/v1/environments/:id
//   templates GET /api/v1/templates
// Rounds alternate the endpoints so that drift on a noisy machine lands on all of them.

const ROOT = path.resolve(import.meta.dirname, "..");
const num = benchNumber;
const CONCURRENCY = num("BENCH_API_CONCURRENCY", 20);
const SECONDS = num("BENCH_API_SECONDS", 5);
const ROUNDS = num("BENCH_API_ROUNDS", 3);
const ENVIRONMENTS = num("BENCH_API_ENVIRONMENTS", 1_000);
const DATABASE = `corral_bench_api_${process.pid}`;

Object.assign(process.env, BENCH_RUN_ENV);
const cleanups: (() => Promise<void>)[] = [];

interface Sample {
  requests: number;
  seconds: number;
  latenciesMs: number[];
  errors: number;
}

runBench(main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  await ensureLocalPostgres();
  const url = await freshDatabase(DATABASE);
  cleanups.push(() => dropDatabase(DATABASE));
  process.env.DATABASE_URL = url;
  const { migrate } = await import("../lib/db/migrate");
  await migrate(url);
  const { db } = await import("../lib/db/client");
  cleanups.push(() => db.$disconnect());
  const { token, detailId } = await seed(db);

  const started = await startServer(url, {});
  const base = started.base;
  const auth = { authorization: `Bearer ${token}` };
  const targets = {
    healthz: { path: "/api/healthz", headers: {} },
    list: { path: "/api/v1/environments?limit=50", headers: auth },
    detail: { path: `/api/v1/environments/${detailId}`, headers: auth },
    templates: { path: "/api/v1/templates", headers: auth },
  } as const;
  type Name = keyof typeof targets | "listChanging" | "listUncached";
  // Warm each route once (code loaded, caches primed), then measure.
  for (const t of Object.values(targets)) await load(base, t, 10, 1);
  const samples: Record<Name, Sample[]> = { healthz: [], list: [], detail: [], templates: [], listChanging: [], listUncached: [] };
  // BENCH_API_ONLY=list (say) measures that one and healthz, for profiling.
  const only = process.env.BENCH_API_ONLY;
  const measured = (Object.keys(targets) as (keyof typeof targets)[]).filter((n) => !only || n === only || n === "healthz");
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of measured) samples[name].push(await load(base, targets[name], CONCURRENCY, SECONDS));
    // The list while 20 environments change a second (each change empties the page cache).
    samples.listChanging.push(await withChanges(db, 20, () => load(base, targets.list, CONCURRENCY, SECONDS)));
  }
  await started.stop();
  // The list with no page cache at all: every request reads the database.
  const uncached = await startServer(url, { CORRAL_LIST_CACHE_SECONDS: "0" });
  await load(uncached.base, targets.list, 10, 1);
  for (let round = 0; round < ROUNDS; round++) samples.listUncached.push(await load(uncached.base, targets.list, CONCURRENCY, SECONDS));
  await uncached.stop();
  for (const name of Object.keys(samples) as Name[]) if (samples[name].length === 0) samples[name].push({ requests: 0, seconds: 1, latenciesMs: [], errors: 0 });

  const summary = Object.fromEntries(
    (Object.keys(samples) as Name[]).map((name) => {
      const all = samples[name];
      const requests = all.reduce((n, s) => n + s.requests, 0);
      const seconds = all.reduce((n, s) => n + s.seconds, 0);
      const latencies = all.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
      return [name, { requestsPerSecond: round1(requests / seconds), p50Ms: round1(pct(latencies, 0.5)), p95Ms: round1(pct(latencies, 0.95)), p99Ms: round1(pct(latencies, 0.99)), errors: all.reduce((n, s) => n + s.errors, 0) }];
    }),
  ) as Record<Name, { requestsPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number; errors: number }>;
  const ratio = (name: Name) => round2(summary[name].requestsPerSecond / summary.healthz.requestsPerSecond);
  const result = {
    bench: "api",
    at: new Date().toISOString(),
    setup: { concurrency: CONCURRENCY, secondsPerRound: SECONDS, rounds: ROUNDS, environments: ENVIRONMENTS, server: "scripts/serve.mjs (production build), API token of a lead" },
    results: summary,
    ratios: { list: ratio("list"), listChanging: ratio("listChanging"), listUncached: ratio("listUncached"), detail: ratio("detail"), templates: ratio("templates") },
    goal: "list of 50 (of 1,000): at least 0.60 of /api/healthz's throughput, p95 under 50 ms at 20 concurrent",
    met: ratio("list") >= 0.6 && summary.list.p95Ms < 50,
  };
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "api.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nAPI reads at ${CONCURRENCY} concurrent, ${ROUNDS}×${SECONDS} s each, 1 server process:`);
  for (const name of Object.keys(samples) as Name[]) {
    const s = summary[name];
    console.log(`  ${name.padEnd(13)} ${String(s.requestsPerSecond).padStart(8)} req/s   p50 ${s.p50Ms} ms   p95 ${s.p95Ms} ms   p99 ${s.p99Ms} ms${name === "healthz" ? "" : `   ratio to healthz ${ratio(name)}`}${s.errors ? `   ${s.errors} errors` : ""}`);
  }
  console.log(`  goal: ${result.goal} — ${result.met ? "met" : "NOT met"}`);
}

/** Environments changing meanwhile: `perSecond` change notices, as the worker sends them. */
async function withChanges<T>(db: typeof import("../lib/db/client").db, perSecond: number, work: () => Promise<T>): Promise<T> {
  const envs = await db.environment.findMany({ select: { id: true, status: true }, take: 50 });
  let i = 0;
  const timer = setInterval(() => {
    const e = envs[i++ % envs.length]!;
    void db.$executeRaw`SELECT pg_notify('corral_environment', ${JSON.stringify({ id: e.id, status: e.status, at: new Date().toISOString() })})`;
  }, 1000 / perSecond);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

async function startServer(url: string, extra: Record<string, string>) {
  const port = await freePort();
  const server = spawnServer(port, {
    ...process.env,
    ...BENCH_RUN_ENV,
    DATABASE_URL: url,
    CORRAL_BASE_URL: `http://127.0.0.1:${port}`,
    CORRAL_RATE_LIMIT_MUTATIONS: "1000000",
    CORRAL_RATE_LIMIT_STREAMS: "1000000",
    // BENCH_API_PROFILE=dir: the server writes a V8 CPU profile there when it stops.
    ...(process.env.BENCH_API_PROFILE ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_API_PROFILE}` } : {}),
    ...extra,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!process.env.BENCH_API_PROFILE) return killGroup(server);
    // A profile is written on a clean exit only.
    server.kill("SIGINT");
    await new Promise((resolve) => server.once("exit", resolve));
  };
  cleanups.push(stop);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/api/healthz`);
  return { base, stop };
}

async function seed(db: typeof import("../lib/db/client").db) {
  const lead = await db.user.create({ data: { email: "lead@bench.example", name: "Lead", role: "lead" } });
  const owners = await Promise.all(Array.from({ length: 20 }, (_, i) => db.user.create({ data: { email: `dev${i}@bench.example`, name: `Dev ${i}`, role: "developer" } })));
  const cluster = await db.cluster.create({ data: { name: "bench", isDefault: true } });
  for (let t = 0; t < 5; t++) {
    await db.template.create({
      data: {
        name: `stack-${t}`,
        description: "web, api and worker",
        components: { create: ["web", "api", "worker"].map((name) => ({ name, repository: `acme/${name}`, defaultTag: "1.0.0", port: name === "worker" ? null : 8080, public: name === "web" })) },
      },
    });
  }
  const template = await db.template.findFirstOrThrow();
  const statuses = ["ready", "ready", "ready", "degraded", "updating"] as const;
  for (let start = 0; start < ENVIRONMENTS; start += 100) {
    await db.$transaction(
      Array.from({ length: Math.min(100, ENVIRONMENTS - start) }, (_, k) => {
        const i = start + k;
        const name = `env-${String(i).padStart(4, "0")}`;
        return db.environment.create({
          data: {
            name,
            liveName: name,
            ownerId: owners[i % owners.length]!.id,
            templateId: template.id,
            clusterId: cluster.id,
            status: statuses[i % statuses.length],
            phase: statuses[i % statuses.length],
            desiredGeneration: 1,
            appliedGeneration: 1,
            appliedAt: new Date(),
            components: { create: ["web", "api", "worker"].map((c) => ({ name: c, repository: `acme/${c}`, tag: `1.${i % 7}.0`, port: c === "worker" ? null : 8080 })) },
          },
        });
      }),
    );
  }
  const { createApiToken } = await import("../lib/auth/api-tokens");
  const token = await createApiToken({ ...lead, via: "session", scopes: null }, { name: "bench", scopes: ["environments:read", "templates:read"], expiresInDays: 1 });
  const detail = await db.environment.findFirstOrThrow({ where: { name: "env-0500" } });
  return { token: token.token, detailId: detail.id };
}

/** `concurrency` loops of keep-alive GETs for `seconds`; every latency recorded. */
async function load(base: string, target: { path: string; headers: Record<string, string> }, concurrency: number, seconds: number): Promise<Sample> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const status = await get(`${base}${target.path}`, target.headers, agent);
        latenciesMs.push(performance.now() - t0);
        if (status !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: latenciesMs.length, seconds: elapsed, latenciesMs, errors };
}

function get(url: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

async function waitFor(url: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

function pct(sorted: number[], p: number) {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
