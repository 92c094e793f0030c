import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type V1Pod } from "@kubernetes/client-node";
import pg from "pg";
import { type Sandbox, startSandbox } from "../sandbox/index";
import { defaultTimings } from "../sandbox/kube/timings";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { FIVE_COMPONENTS, ONE_COMPONENT, OWNER_EMAIL, pool, reconcileConcurrency, ROOT, specFor } from "./environments-shared";
import { runBench } from "./support/run-bench";
import { cpuSeconds } from "./support/process-stats";
import { BENCH_RUN_ENV } from "./support/run-env";

// Issue 5's figures, each beside a baseline measured in the same run:
//  1. create → all manifests applied (Environment.appliedAt) for 200 environments of 5
//     components, created all at once through the real createEnvironment service and provisioned
//     by the real worker (scripts/worker.ts) in its own process, queue included — against the
//     same manifests applied directly with server-side apply at the worker's concurrency, with
//     no database and no queue (bench/environments-children.ts direct, also its own process).
//  2. the worker's CPU while 1,000 idle environments are watched — against polling (listing
//     every managed deployment and pod once a second, bench/environments-children.ts poll) and
//     against a worker with nothing to watch, all three sampled over the same window.
// The sandbox runs in this process with its lifelike (default) timings; the worker, the direct
// applier and the poller are child processes, so their CPU is theirs alone (/proc/<pid>/stat).
const COUNT = Number(process.env["BENCH_ENVIRONMENTS"] ?? 200);
const WARMUP = Number(process.env["BENCH_WARMUP"] ?? 10);
const IDLE_COUNT = Number(process.env["BENCH_IDLE_ENVIRONMENTS"] ?? 1000);
const WINDOW_SECONDS = Number(process.env["BENCH_IDLE_WINDOW_SECONDS"] ?? 20);
const PROBE_COUNT = Number(process.env["BENCH_PROBE_ENVIRONMENTS"] ?? 100);
const IDLE_CPU_TARGET_PERCENT = 5;

const RUN_ENV = BENCH_RUN_ENV;
Object.assign(process.env, RUN_ENV);

const cleanups: { name: string; run: () => Promise<void> }[] = [];
const children = new Set<ChildProcess>();

async function main(): Promise<void> {
  await ensureLocalPostgres();
  const create = await createFigure();
  const idle = await idleFigure();

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    sandbox: { timings: "lifelike (sandbox defaults)", podReadyAfterMs: defaultTimings.podScheduleDelayMs + defaultTimings.podStartDelayMs + defaultTimings.podReadyDelayMs },
    create,
    idle,
    targets: { idleWorkerCpuPercentOfOneCore: IDLE_CPU_TARGET_PERCENT },
  };
  printTable(result);
  await writeFile(path.resolve(ROOT, "bench", "results", "environments.json"), JSON.stringify(result, null, 2) + "\n");
  console.log(`\nwrote bench/results/environments.json`);
  if (create.corral.applied !== COUNT || idle.worker.cpuPercentOfOneCore >= IDLE_CPU_TARGET_PERCENT) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// Figure 1: create → applied.

async function createFigure() {
  const concurrency = reconcileConcurrency();
  const database = await makeDatabase("create");
  process.env.DATABASE_URL = database.url;

  // Baseline first, on a sandbox of its own that is stopped before Corral's starts.
  console.log(`[1/2] direct server-side apply of ${COUNT}×${FIVE_COMPONENTS.length}-component environments, ${concurrency} at once…`);
  const directSandbox = await makeSandbox();
  const direct = startNode("direct", "bench/environments-children.ts", ["direct"], {
    KUBECONFIG: directSandbox.sandbox.kubeconfigPath!,
    BENCH_COUNT: String(COUNT),
    BENCH_WARMUP: String(WARMUP),
  });
  const directLine = await direct.waitFor(/^RESULT /, 180_000);
  const directResult = JSON.parse(directLine.slice("RESULT ".length)) as { latenciesMs: number[]; totalMs: number; cpuMs: number; objectsPerEnvironment: number };
  await direct.exited;
  await directSandbox.dispose();

  console.log(`[1/2] Corral: ${COUNT} createEnvironment calls at once, worker in its own process…`);
  const { sandbox } = await makeSandbox();
  const worker = startNode("worker", "scripts/worker.ts", [], { DATABASE_URL: database.url, KUBECONFIG: sandbox.kubeconfigPath! });
  await worker.waitFor(/Corral worker running/, 60_000);

  const { db } = await import("@/lib/db/client");
  const { createEnvironment } = await import("@/lib/environments/create-environment");
  const { createEnvironmentSchema } = await import("@/lib/environments/schemas");
  const user = await db.user.create({ data: { email: OWNER_EMAIL, name: "Bench", role: "developer" } });
  const actor = { ...user, via: "session" as const, scopes: null };
  const input = (name: string) =>
    createEnvironmentSchema.parse({ name, components: FIVE_COMPONENTS.map((c) => ({ name: c.name, image: c.image, ...(c.port ? { port: c.port } : {}) })) });
  const countWhere = async (prefix: string, where: object) => db.environment.count({ where: { name: { startsWith: prefix }, ...where } });
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}\n${worker.tail()}`);
  };

  // Warm-up: the worker's clients, JIT and pools, as the direct applier warms up too.
  await Promise.all(Array.from({ length: WARMUP }, (_, i) => createEnvironment(actor, input(`warm-${i}`))));
  await until("the warm-up environments to be Ready", async () => (await countWhere("warm-", { status: "ready" })) === WARMUP, 60_000);

  const names = Array.from({ length: COUNT }, (_, i) => `bench-${String(i).padStart(3, "0")}`);
  const requestedAt = new Map<string, number>();
  const acceptedAt = new Map<string, number>();
  const cpu0 = cpuSeconds(worker.pid);
  const started = Date.now();
  await Promise.all(
    names.map(async (name) => {
      requestedAt.set(name, Date.now());
      await createEnvironment(actor, input(name));
      acceptedAt.set(name, Date.now());
    }),
  );
  await until(`${COUNT} environments applied`, async () => (await countWhere("bench-", { appliedAt: { not: null } })) === COUNT, 240_000);
  const cpu1 = cpuSeconds(worker.pid);

  const rows = await db.environment.findMany({ where: { name: { startsWith: "bench-" } }, select: { id: true, name: true, appliedAt: true } });
  const jobs = await db.$queryRaw<{ id: string; created: number; started: number | null }[]>`
    SELECT DISTINCT ON (data->>'environmentId') data->>'environmentId' AS id,
      (extract(epoch FROM created_on) * 1000)::float8 AS created, (extract(epoch FROM started_on) * 1000)::float8 AS started
    FROM pgboss.job WHERE name = 'environment-reconcile' ORDER BY data->>'environmentId', created_on`;
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  const latencies = rows.map((r) => r.appliedAt!.getTime() - requestedAt.get(r.name)!);
  const accepted = names.map((n) => acceptedAt.get(n)! - requestedAt.get(n)!);
  const queueWait: number[] = [];
  const reconcile: number[] = [];
  for (const r of rows) {
    const job = jobById.get(r.id);
    if (!job?.started) continue;
    queueWait.push(job.started - job.created);
    reconcile.push(r.appliedAt!.getTime() - job.started);
  }
  const lastApplied = Math.max(...rows.map((r) => r.appliedAt!.getTime()));
  const corralSeconds = (lastApplied - started) / 1000;

  // Not part of the figure, but what the same run says about the status tracker: time to Ready,
  // and how many writes the worker made per environment on the way.
  await until(`${COUNT} environments Ready`, async () => (await countWhere("bench-", { status: "ready" })) === COUNT, 120_000);
  const readyEvents = await db.historyEntry.findMany({ where: { toStatus: "ready", environment: { name: { startsWith: "bench-" } } }, select: { createdAt: true, environment: { select: { name: true } } } });
  const firstReady = new Map<string, number>();
  for (const e of readyEvents) {
    const t = e.createdAt.getTime();
    if (!firstReady.has(e.environment.name) || t < firstReady.get(e.environment.name)!) firstReady.set(e.environment.name, t);
  }
  const toReady = [...firstReady].map(([name, t]) => t - requestedAt.get(name)!);
  const events = await db.historyEntry.count();
  const reconcileJobs = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'environment-reconcile'`;
  await worker.stop(); // its backends exit, so Postgres' table statistics hold all its writes
  const { stopBoss } = await import("@/lib/jobs/queue");
  await stopBoss();
  await db.$disconnect();
  const stats = await tableStats(database.url);
  const environments = COUNT + WARMUP;

  const corral = {
    applied: rows.length,
    medianMs: Math.round(quantile(latencies, 0.5)),
    p95Ms: Math.round(quantile(latencies, 0.95)),
    maxMs: Math.round(Math.max(...latencies)),
    seconds: round(corralSeconds),
    environmentsPerSecond: round(COUNT / corralSeconds),
    workerCpuSeconds: round(cpu1 - cpu0),
    breakdown: {
      createCallMedianMs: Math.round(quantile(accepted, 0.5)),
      createCallP95Ms: Math.round(quantile(accepted, 0.95)),
      queueWaitMedianMs: Math.round(quantile(queueWait, 0.5)),
      queueWaitP95Ms: Math.round(quantile(queueWait, 0.95)),
      reconcileMedianMs: Math.round(quantile(reconcile, 0.5)),
      reconcileP95Ms: Math.round(quantile(reconcile, 0.95)),
    },
  };
  const directSeconds = directResult.totalMs / 1000;
  const baseline = {
    applied: directResult.latenciesMs.length,
    medianMs: Math.round(quantile(directResult.latenciesMs, 0.5)),
    p95Ms: Math.round(quantile(directResult.latenciesMs, 0.95)),
    maxMs: Math.round(Math.max(...directResult.latenciesMs)),
    seconds: round(directSeconds),
    environmentsPerSecond: round(COUNT / directSeconds),
    cpuSeconds: round(directResult.cpuMs / 1000),
  };
  return {
    environments: COUNT,
    componentsEach: FIVE_COMPONENTS.length,
    objectsEach: directResult.objectsPerEnvironment,
    submitted: "all at once (each latency runs from its own createEnvironment call)",
    entry: "in-process createEnvironment service (as the API route calls it); worker = scripts/worker.ts in its own process",
    concurrency,
    warmupEnvironments: WARMUP,
    corral,
    direct: baseline,
    ratio: {
      median: round(corral.medianMs / baseline.medianMs),
      p95: round(corral.p95Ms / baseline.p95Ms),
      throughput: round(corral.environmentsPerSecond / baseline.environmentsPerSecond),
      cpu: round(corral.workerCpuSeconds / baseline.cpuSeconds),
    },
    tracker: {
      toReadyMedianMs: Math.round(quantile(toReady, 0.5)),
      toReadyP95Ms: Math.round(quantile(toReady, 0.95)),
      environmentRowUpdatesPerEnvironment: round(stats.environmentUpdates / environments),
      statusEventsPerEnvironment: round(events / environments),
      reconcileJobsPerEnvironment: round(reconcileJobs[0]!.n / environments),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Figure 2: the worker's CPU with 1,000 idle environments watched.

async function idleFigure() {
  console.log(`[2/2] ${IDLE_COUNT} one-component environments applied directly, rows inserted as applied…`);
  const [full, empty] = await Promise.all([makeDatabase("idle"), makeDatabase("empty")]);
  const [{ sandbox }, { sandbox: emptySandbox }] = await Promise.all([makeSandbox(), makeSandbox()]);
  // The empty worker: same code, nothing to watch. Started now, so it has long settled by the window.
  const emptyWorker = startNode("empty-worker", "scripts/worker.ts", [], { DATABASE_URL: empty.url, KUBECONFIG: emptySandbox.kubeconfigPath! });

  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  const kube = { config: kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), objects: KubernetesObjectApi.makeApiClient(kc) };
  const { applyObjects } = await import("@/lib/kube/apply");
  const { environmentManifests } = await import("@/lib/kube/manifests");
  const idOf = (i: number) => `idle${String(i).padStart(5, "0")}`;
  const nameOf = (i: number) => `idle-${String(i).padStart(4, "0")}`;
  let t = Date.now();
  await pool(IDLE_COUNT, 16, (i) => applyObjects(kube, environmentManifests(specFor(idOf(i), nameOf(i), ONE_COMPONENT))));
  const applySeconds = (Date.now() - t) / 1000;
  const readyPods = async () => (await kube.core.listPodForAllNamespaces({ labelSelector: "corral.dev/managed-by=corral" })).items.filter(isReady).length;
  await waitUntil("every pod Ready", async () => (await readyPods()) >= IDLE_COUNT, 120_000, 1000);

  const client = new pg.Client({ connectionString: full.url });
  await client.connect();
  try {
    const context = kc.getCurrentContext();
    const now = `(now() AT TIME ZONE 'UTC')`;
    await client.query(`INSERT INTO "User" (id, email, name, role, "updatedAt") VALUES ('bench-owner', $1, 'Bench', 'developer', ${now})`, [OWNER_EMAIL]);
    await client.query(`INSERT INTO "Cluster" (id, name, "kubeContext", "isDefault", "updatedAt") VALUES ('bench-cluster', $1, $2, true, ${now})`, [
      context.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "sandbox",
      context,
    ]);
    // Exactly what the reconciler leaves behind: applied = desired, status Ready.
    await client.query(
      `INSERT INTO "Environment" (id, name, "liveName", "ownerId", "clusterId", status, phase, "desiredGeneration", "appliedGeneration", "appliedAt", "updatedAt")
       SELECT 'idle' || lpad(i::text, 5, '0'), 'idle-' || lpad(i::text, 4, '0'), 'idle-' || lpad(i::text, 4, '0'), 'bench-owner', 'bench-cluster', 'ready', 'ready', 1, 1, ${now}, ${now}
       FROM generate_series(0, $1 - 1) AS i`,
      [IDLE_COUNT],
    );
    await client.query(
      `INSERT INTO "Component" (id, "environmentId", name, repository, tag, replicas, "updatedAt")
       SELECT 'comp' || lpad(i::text, 5, '0'), 'idle' || lpad(i::text, 5, '0'), $2, $3, $4, 1, ${now} FROM generate_series(0, $1 - 1) AS i`,
      [IDLE_COUNT, ONE_COMPONENT[0].name, ...ONE_COMPONENT[0].image.split(":")],
    );

    // The worker starts on a cluster that already holds everything: its informers list it all
    // and the tracker records each environment's observation once, then everything is quiet.
    console.log(`[2/2] worker starting on ${IDLE_COUNT} environments…`);
    t = Date.now();
    const worker = startNode("worker", "scripts/worker.ts", [], { DATABASE_URL: full.url, KUBECONFIG: sandbox.kubeconfigPath! });
    await worker.waitFor(/Corral worker running/, 60_000);
    const q = async (sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows[0] as Record<string, number>;
    await waitUntil(
      "every environment observed and Ready",
      async () => (await q(`SELECT count(*)::int AS n FROM "Environment" WHERE status = 'ready' AND observed ? 'components'`)).n === IDLE_COUNT,
      120_000,
      250,
    );
    const observedSeconds = (Date.now() - t) / 1000;
    await waitUntil("the database to be quiet for 3 s", async () => (await q(`SELECT count(*)::int AS n FROM "Environment" WHERE "updatedAt" > ${now} - interval '3 seconds'`)).n === 0, 60_000, 250);
    const startupCpuSeconds = cpuSeconds(worker.pid);
    const startupEvents = await q(`SELECT count(*)::int AS n, count(*) FILTER (WHERE "toStatus" = 'degraded')::int AS degraded FROM "HistoryEntry"`);
    const settleSeconds = (Date.now() - t) / 1000;
    const quietAt = Date.now();

    const poller = startNode("poller", "bench/environments-children.ts", ["poll"], { KUBECONFIG: sandbox.kubeconfigPath!, BENCH_POLL_MAX_TICKS: String(WINDOW_SECONDS + 30) });
    const pollingLine = await poller.waitFor(/^POLLING /, 30_000);
    // Postgres may hold an idle backend's counters for up to 10 s: start the window once the
    // startup's writes are surely counted, so the commits/s figure is the window's own.
    await sleep(Math.max(2_000, quietAt + 8_000 - Date.now()));

    console.log(`[2/2] sampling CPU over ${WINDOW_SECONDS} s: worker (${IDLE_COUNT} environments), empty worker, poller…`);
    const windowStart = String((await q(`SELECT ${now}::text AS t`)).t);
    const xact0 = [await xactCommits(client), await xactCommitsOf(empty.url)];
    const pids = { worker: worker.pid, empty: emptyWorker.pid, poller: poller.pid };
    const first = sampleCpu(pids);
    const perSecond: { worker: number; empty: number; poller: number }[] = [];
    let previous = first;
    for (let s = 0; s < WINDOW_SECONDS; s++) {
      await sleep(1000);
      const now2 = sampleCpu(pids);
      perSecond.push({ worker: percent(now2.worker - previous.worker, now2.at - previous.at), empty: percent(now2.empty - previous.empty, now2.at - previous.at), poller: percent(now2.poller - previous.poller, now2.at - previous.at) });
      previous = now2;
    }
    const last = previous;
    const seconds = (last.at - first.at) / 1000;
    await sleep(1_500); // Postgres publishes a backend's counters within a second or so of its last transaction
    const xact1 = [await xactCommits(client), await xactCommitsOf(empty.url)];
    const writesInWindow = await q(
      `SELECT (SELECT count(*)::int FROM "Environment" WHERE "updatedAt" >= $1::timestamp) AS environments, (SELECT count(*)::int FROM "HistoryEntry" WHERE "createdAt" >= $1::timestamp) AS events`,
      [windowStart],
    );
    await poller.stop();

    // Probe: a change to a watched object that changes nothing Corral shows (an annotation on a
    // deployment). The tracker is meant to write only when the observation changed.
    const probeStart = String((await q(`SELECT ${now}::text AS t`)).t);
    const probeCpu0 = cpuSeconds(worker.pid);
    await pool(Math.min(PROBE_COUNT, IDLE_COUNT), 16, async (i) => {
      await kube.objects.patch(
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: ONE_COMPONENT[0].name, namespace: nameOf(i), annotations: { "bench.corral.dev/probe": probeStart } } },
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.MergePatch,
      );
    });
    await sleep(3_000);
    const probe = await q(
      `SELECT (SELECT count(*)::int FROM "Environment" WHERE "updatedAt" >= $1::timestamp) AS environments, (SELECT count(*)::int FROM "HistoryEntry" WHERE "createdAt" >= $1::timestamp) AS events`,
      [probeStart],
    );
    const probeCpuSeconds = cpuSeconds(worker.pid) - probeCpu0;
    await worker.stop();
    await emptyWorker.stop();
    const stats = await tableStats(full.url);

    const cpu = (k: keyof typeof pids) => round(percent(last[k] - first[k], last.at - first.at));
    const max = (k: keyof typeof pids) => round(Math.max(...perSecond.map((p) => p[k])));
    return {
      environments: IDLE_COUNT,
      componentsEach: ONE_COMPONENT.length,
      windowSeconds: round(seconds),
      setup: {
        applyDirectSeconds: round(applySeconds),
        workerStartToAllObservedSeconds: round(observedSeconds),
        workerStartToQuietSeconds: round(settleSeconds),
        workerStartupCpuSeconds: round(startupCpuSeconds),
        startupEnvironmentRowUpdates: stats.environmentUpdates - probe.environments!,
        startupStatusEvents: startupEvents.n,
        startupStatusEventsToDegraded: startupEvents.degraded,
      },
      worker: {
        cpuPercentOfOneCore: cpu("worker"),
        maxOneSecondPercent: max("worker"),
        postgresCommitsPerSecond: round((xact1[0]! - xact0[0]!) / seconds),
        environmentRowsWrittenInWindow: writesInWindow.environments,
        statusEventsInWindow: writesInWindow.events,
      },
      emptyWorker: { cpuPercentOfOneCore: cpu("empty"), maxOneSecondPercent: max("empty"), postgresCommitsPerSecond: round((xact1[1]! - xact0[1]!) / seconds) },
      polling: { what: "list managed deployments + pods of all namespaces once a second", firstList: pollingLine.slice("POLLING ".length), cpuPercentOfOneCore: cpu("poller"), maxOneSecondPercent: max("poller") },
      ratio: { workerOverPolling: round(cpu("worker") / cpu("poller")), workerOverEmptyWorker: round(cpu("worker") / cpu("empty")) },
      probe: {
        what: `annotation added to ${Math.min(PROBE_COUNT, IDLE_COUNT)} deployments (nothing Corral shows changes)`,
        environmentRowsWritten: probe.environments,
        statusEvents: probe.events,
        workerCpuSeconds: round(probeCpuSeconds),
      },
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Processes, databases, sandboxes.

interface Child {
  pid: number;
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  tail(): string;
  stop(): Promise<void>;
}

/** A TypeScript entry point in its own Node process (this Node, react-server condition). */
function startNode(label: string, script: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...RUN_ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
    for (const w of [...waiters]) {
      if (w.pattern.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  for (const stream of [proc.stdout, proc.stderr]) {
    let buffered = "";
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const p of parts) onLine(p);
    });
  }
  const exited = new Promise<number | null>((resolve) =>
    proc.on("exit", (code) => {
      children.delete(proc);
      resolve(code);
    }),
  );
  const tail = () => `--- ${label} (pid ${proc.pid}) last output ---\n${lines.slice(-30).join("\n")}`;
  return {
    pid: proc.pid!,
    exited,
    tail,
    waitFor(pattern, timeoutMs) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${label}: no ${pattern} within ${timeoutMs} ms\n${tail()}`)), timeoutMs);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${label} exited (${code}) before ${pattern}\n${tail()}`));
        });
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function makeDatabase(purpose: string) {
  const name = `corral_bench_${purpose}_${process.pid}`;
  const url = await freshDatabase(name);
  const { migrate } = await import("@/lib/db/migrate");
  await migrate(url);
  cleanups.push({ name: `drop database ${name}`, run: () => dropDatabase(name) });
  return { name, url };
}

async function makeSandbox(): Promise<{ sandbox: Sandbox; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "corral-bench-env-"));
  const sandbox = await startSandbox({ configDir: dir, timings: defaultTimings });
  let disposed: Promise<void> | undefined;
  const dispose = () => (disposed ??= sandbox.stop().finally(() => rm(dir, { recursive: true, force: true })));
  cleanups.push({ name: "stop sandbox", run: dispose });
  return { sandbox, dispose };
}

async function cleanup(): Promise<void> {
  for (const child of [...children]) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL"); // by its own pid
  }
  const { stopBoss } = await import("@/lib/jobs/queue").catch(() => ({ stopBoss: async () => {} }));
  await stopBoss().catch(() => {});
  const { db } = await import("@/lib/db/client").catch(() => ({ db: null }));
  await db?.$disconnect().catch(() => {});
  for (const c of cleanups.reverse()) await c.run().catch((e: unknown) => console.error(`cleanup (${c.name}) failed: ${String(e)}`));
  cleanups.length = 0;
}

// ---------------------------------------------------------------------------------------------
// Measuring.

function sampleCpu(pids: { worker: number; empty: number; poller: number }) {
  return { at: performance.now(), worker: cpuSeconds(pids.worker), empty: cpuSeconds(pids.empty), poller: cpuSeconds(pids.poller) };
}

function percent(cpuSecondsUsed: number, wallMs: number): number {
  return (cpuSecondsUsed / (wallMs / 1000)) * 100;
}

async function tableStats(url: string): Promise<{ environmentUpdates: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await sleep(1_500);
    const { rows } = await client.query(`SELECT n_tup_upd::int AS n FROM pg_stat_user_tables WHERE relname = 'Environment'`);
    return { environmentUpdates: rows[0]?.n ?? 0 };
  } finally {
    await client.end();
  }
}

async function xactCommits(client: pg.Client): Promise<number> {
  const { rows } = await client.query(`SELECT xact_commit::float8 AS n FROM pg_stat_database WHERE datname = current_database()`);
  return rows[0].n as number;
}

async function xactCommitsOf(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await xactCommits(client);
  } finally {
    await client.end();
  }
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function printTable(r: { create: Awaited<ReturnType<typeof createFigure>>; idle: Awaited<ReturnType<typeof idleFigure>> }) {
  const c = r.create;
  const i = r.idle;
  const row = (cells: (string | number)[]) => console.log(cells.map((x, k) => String(x).padEnd(k === 0 ? 44 : 16)).join(""));
  console.log(`\n1. create → all manifests applied: ${c.environments} environments × ${c.componentsEach} components (${c.objectsEach} objects each), submitted ${c.submitted.split(" (")[0]}, ${c.concurrency} at once`);
  row(["", "Corral", "direct SSA", "ratio"]);
  row(["median (ms)", c.corral.medianMs, c.direct.medianMs, c.ratio.median]);
  row(["p95 (ms)", c.corral.p95Ms, c.direct.p95Ms, c.ratio.p95]);
  row(["throughput (environments/s)", c.corral.environmentsPerSecond, c.direct.environmentsPerSecond, c.ratio.throughput]);
  row(["CPU of the applying process (s)", c.corral.workerCpuSeconds, c.direct.cpuSeconds, c.ratio.cpu]);
  const b = c.corral.breakdown;
  console.log(
    `   Corral breakdown (median / p95 ms): createEnvironment ${b.createCallMedianMs} / ${b.createCallP95Ms}, queue wait ${b.queueWaitMedianMs} / ${b.queueWaitP95Ms}, job start → applied ${b.reconcileMedianMs} / ${b.reconcileP95Ms}`,
  );
  console.log(
    `   then to Ready: ${c.tracker.toReadyMedianMs} / ${c.tracker.toReadyP95Ms} ms; per environment: ${c.tracker.environmentRowUpdatesPerEnvironment} Environment row updates, ${c.tracker.statusEventsPerEnvironment} status events, ${c.tracker.reconcileJobsPerEnvironment} reconcile jobs`,
  );
  console.log(`\n2. CPU over a ${i.windowSeconds} s idle window, ${i.environments} Ready environments watched (goal: worker < ${IDLE_CPU_TARGET_PERCENT}% of one core)`);
  row(["", "% of one core", "max 1 s (%)", "commits/s"]);
  row([`worker (${i.environments} environments)`, i.worker.cpuPercentOfOneCore, i.worker.maxOneSecondPercent, i.worker.postgresCommitsPerSecond]);
  row(["worker, nothing to watch", i.emptyWorker.cpuPercentOfOneCore, i.emptyWorker.maxOneSecondPercent, i.emptyWorker.postgresCommitsPerSecond]);
  row(["polling deployments+pods every 1 s", i.polling.cpuPercentOfOneCore, i.polling.maxOneSecondPercent, "-"]);
  console.log(`   ratio worker / polling: ${i.ratio.workerOverPolling}; worker / empty worker: ${i.ratio.workerOverEmptyWorker}`);
  console.log(
    `   in the window: ${i.worker.environmentRowsWrittenInWindow} Environment rows written, ${i.worker.statusEventsInWindow} status events. Startup: all observed ${i.setup.workerStartToAllObservedSeconds} s after spawn, quiet at ${i.setup.workerStartToQuietSeconds} s, ${i.setup.workerStartupCpuSeconds} CPU-s, ${i.setup.startupEnvironmentRowUpdates} row updates, ${i.setup.startupStatusEvents} status events (${i.setup.startupStatusEventsToDegraded} to Degraded)`,
  );
  console.log(`   probe (${i.probe.what}): ${i.probe.environmentRowsWritten} Environment rows written, ${i.probe.statusEvents} status events, ${i.probe.workerCpuSeconds} worker CPU-s`);
}

runBench(main, cleanup);
