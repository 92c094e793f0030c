import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { mkdtemp } from "node:fs/promises";
import path from "node:path";
import { KubeConfig, KubernetesObjectApi, AppsV1Api, CoreV1Api } from "@kubernetes/client-node";
import { type Faults, type Sandbox, startSandbox } from "../sandbox/index";
import { dropDatabase, ensureLocalPostgres, freshDatabase } from "../test/support/postgres";
import { ROOT, specFor } from "./environments-shared";
import { runBench } from "./support/run-bench";
import { benchNumber } from "./support/run-env";

// Issue 16's figures: Corral converging on a Kubernetes API that answers 30 % errors with 100 ms
// latency and drops 5 % of connections, each beside a baseline measured in the same run.
//  1. End to end (the real worker, queue, watches and database): 20 environments of two
//     components created at once → all Ready. Time and Kubernetes requests with the faults,
//     against the same run with the faults off: the ratio is the price of the faults, and a
//     regression in retry behaviour shows in it. Again with 30 % of answers 429 Retry-After: 2.
//  2. The retry policy alone, at the level of one reconcile pass (claim the namespace, apply its
//     objects), 20 environments at once under the same faults: Corral's policy (each call retried
//     where it fails, three tries; a failed pass comes back after a capped backoff, for as long as
//     it takes) against the behaviour before it (any failure throws the whole pass back to the
//     queue: 1 s·2ⁿ jittered up to 60 s, 8 retries, then Failed).
//  3. What a pass costs when its objects are already applied (server-side apply of the same
//     objects again: a no-op for the API server) against their first apply, faults off.

const COUNT = benchNumber("BENCH_KUBE_RETRY_ENVIRONMENTS", 20);
const REAPPLY_ROUNDS = benchNumber("BENCH_KUBE_RETRY_REAPPLY_ROUNDS", 50);
const FAULTS: Partial<Faults> = { errorRate: 0.3, latencyMs: 100, dropRate: 0.05, seed: 16 };
const THROTTLED: Partial<Faults> = { throttleRate: 0.3, retryAfterSeconds: 2, latencyMs: 100, dropRate: 0.05, seed: 61 };
const COMPONENTS = [
  { name: "web", image: "nginx:1.27.3", port: 80 },
  { name: "api", image: "acme/api:2.0.1", port: null },
] as const;
// The queue's retry of a reconcile before this issue (lib/jobs/definitions/environment-reconcile.ts).
const OLD_QUEUE_RETRY = { limit: 8, delaySeconds: 1, maxDelaySeconds: 60 };
const DEADLINE_MS = 600_000;

process.env.LOG_LEVEL = "error";
process.env.CORRAL_LOCAL_SIGNIN ??= "true";
// A throwaway key: the bench seals nothing of value.
process.env.CORRAL_SECRET_KEYS ??= "bench:Y29ycmFsLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmchISE=";
const cleanups: (() => Promise<void>)[] = [];

runBench(main, async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function main() {
  await ensureLocalPostgres();
  const database = `corral_bench_kube_retry_${process.pid}`;
  const url = await freshDatabase(database);
  cleanups.push(() => dropDatabase(database));
  const { migrate } = await import("../lib/db/migrate");
  await migrate(url);
  process.env.DATABASE_URL = url;
  const dir = await mkdtemp(path.join(tmpdir(), "corral-bench-kube-retry-"));
  const sandbox = await startSandbox({ configDir: dir });
  cleanups.push(() => sandbox.stop());
  process.env.KUBECONFIG = sandbox.kubeconfigPath;

  console.error("re-applying applied objects…");
  const reapply = await reapplyFigure(sandbox);
  console.error("one pass at a time, Corral's policy…");
  const corral = await passFigure(sandbox, "new");
  console.error("one pass at a time, the behaviour before (may take minutes: its backoff)…");
  const policy = { corral, before: await passFigure(sandbox, "old") };
  console.error("end to end…");
  const endToEnd = await endToEndFigures(sandbox);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    environments: COUNT,
    components: COMPONENTS.length,
    faults: FAULTS,
    throttled: THROTTLED,
    endToEnd,
    policy: {
      ...policy,
      ratio: {
        seconds: round(policy.corral.seconds / policy.before.seconds, 3),
        requests: round(policy.corral.requests / policy.before.requests, 3),
      },
    },
    reapply,
  };
  printTable(result);
  await mkdir(path.join(ROOT, "bench", "results"), { recursive: true });
  await writeFile(path.join(ROOT, "bench", "results", "kube-retry.json"), JSON.stringify(result, null, 2) + "\n");
  console.log("\nwrote bench/results/kube-retry.json");
  const failed = endToEnd.faults.failed + endToEnd.throttled.failed + policy.corral.failed;
  if (failed > 0 || endToEnd.throttled.retryAfter.early > 0) process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// Figure 1: the real worker, end to end.

async function endToEndFigures(sandbox: Sandbox) {
  const [{ db }, { createEnvironment }, { startWorker }, { stopBoss }, { closeKeyLocks }] = await Promise.all([
    import("../lib/db/client"),
    import("../lib/environments/create-environment"),
    import("../lib/jobs/worker"),
    import("../lib/jobs/queue"),
    import("../lib/jobs/key-lock"),
  ]);
  const user = await db.user.create({ data: { email: "bench@example.com", name: "Bench", role: "developer" } });
  const actor = { ...user, via: "session" as const, scopes: null };
  const worker = await startWorker();
  cleanups.push(async () => {
    await worker.stop();
    await stopBoss();
    await closeKeyLocks();
    await db.$disconnect();
  });

  const run = async (prefix: string, faults: Partial<Faults> | null) => {
    sandbox.clearFaults();
    sandbox.resetFaultCounts();
    if (faults) sandbox.setFaults("kube", faults);
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      ids.push((await createEnvironment(actor, { name: `${prefix}-${i}`, components: COMPONENTS.map((c) => ({ ...c, port: c.port ?? undefined })) })).id);
    }
    const where = { id: { in: ids } };
    for (;;) {
      const [ready, failed] = await Promise.all([db.environment.count({ where: { ...where, status: "ready" } }), db.environment.count({ where: { ...where, status: "failed" } })]);
      if (ready + failed === COUNT || performance.now() - started > DEADLINE_MS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1_000;
    const counts = sandbox.faultCounts().kube;
    const [ready, failed, history, retried] = await Promise.all([
      db.environment.count({ where: { ...where, status: "ready" } }),
      db.historyEntry.count({ where: { environmentId: { in: ids }, toStatus: "failed" } }),
      db.historyEntry.findMany({ where: { environmentId: { in: ids } }, select: { environmentId: true, message: true } }),
      db.job.count({ where: { environmentId: { in: ids }, kind: "environment-reconcile", status: "failed" } }),
    ]);
    const waited = new Set(history.filter((h) => /; retrying, attempt \d+/.test(h.message)).map((h) => h.environmentId)).size;
    // Where the time went: create → applied (the reconciler) and applied → Ready (the pods, seen by the watches).
    const rows = await db.environment.findMany({ where, select: { createdAt: true, appliedAt: true, history: { where: { toStatus: "ready" }, select: { createdAt: true }, take: 1 } } });
    const applied = rows.filter((r) => r.appliedAt).map((r) => r.appliedAt!.getTime() - r.createdAt.getTime());
    const readied = rows.filter((r) => r.appliedAt && r.history[0]).map((r) => r.history[0]!.createdAt.getTime() - r.appliedAt!.getTime());
    sandbox.clearFaults();
    return {
      seconds: round(seconds, 2),
      ready,
      failed,
      requests: counts.pass + counts.error + counts.drop + counts.throttle,
      faulted: { error: counts.error, drop: counts.drop, throttle: counts.throttle },
      passesRetried: retried,
      createToAppliedMs: { median: Math.round(median(applied)), max: Math.round(Math.max(0, ...applied)) },
      appliedToReadyMs: { median: Math.round(median(readied)), max: Math.round(Math.max(0, ...readied)) },
      environmentsThatShowedAWait: waited,
      retryAfter: sandbox.retryAfterStats().kube,
    };
  };

  // A warm-up, so the first run does not pay for the process's first queries and compilations.
  await run("warm", null);
  const off = await run("off", null);
  const faults = await run("err", FAULTS);
  const throttled = await run("thr", THROTTLED);
  return {
    faultsOff: off,
    faults,
    throttled,
    ratio: {
      seconds: round(faults.seconds / off.seconds, 2),
      requests: round(faults.requests / off.requests, 2),
      throttledSeconds: round(throttled.seconds / off.seconds, 2),
      throttledRequests: round(throttled.requests / off.requests, 2),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Figure 2: the retry policy alone, one reconcile pass at a time.

async function passFigure(sandbox: Sandbox, which: "new" | "old") {
  const { applyObjects, claimNamespace } = await import("../lib/kube/apply");
  const { environmentManifests } = await import("../lib/kube/manifests");
  const { LABELS } = await import("../lib/kube/labels");
  const { kubeClients } = await import("../lib/kube/client");
  const { transientBackoffSeconds } = await import("../lib/jobs/transient-backoff");
  const { toKubeError } = await import("../lib/kube/errors");
  const kube = which === "new" ? kubeClients({ id: "bench", name: "bench", kubeContext: null, inCluster: false }) : plainClients(sandbox);

  sandbox.clearFaults();
  sandbox.resetFaultCounts();
  sandbox.setFaults("kube", FAULTS);
  const started = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: COUNT }, async (_, i) => {
      const id = `${which}${String(i).padStart(3, "0")}`;
      const objects = environmentManifests(specFor(id, `pass-${which}-${i}`, COMPONENTS));
      for (let attempt = 1; ; attempt++) {
        try {
          await claimNamespace(kube, objects[0]!, LABELS.environment, id);
          await applyObjects(kube, objects);
          return { applied: true, passes: attempt };
        } catch (error) {
          if (!toKubeError(error).transient) return { applied: false, passes: attempt };
          if (which === "old" && attempt > OLD_QUEUE_RETRY.limit) return { applied: false, passes: attempt };
          if (performance.now() - started > DEADLINE_MS) return { applied: false, passes: attempt };
          const seconds = which === "new" ? transientBackoffSeconds(attempt) : oldQueueDelaySeconds(attempt);
          await new Promise((r) => setTimeout(r, seconds * 1_000));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  const counts = sandbox.faultCounts().kube;
  sandbox.clearFaults();
  const passes = outcomes.map((o) => o.passes).sort((a, b) => a - b);
  return {
    seconds: round(seconds, 2),
    applied: outcomes.filter((o) => o.applied).length,
    failed: outcomes.filter((o) => !o.applied).length,
    requests: counts.pass + counts.error + counts.drop + counts.throttle,
    passes: { median: passes[Math.floor(passes.length / 2)], max: passes.at(-1) },
  };
}

/** pg-boss's exponential retry as the reconcile's queue had it: delay·2ⁿ with jitter, capped. */
function oldQueueDelaySeconds(attempt: number): number {
  const ceiling = Math.min(OLD_QUEUE_RETRY.maxDelaySeconds, OLD_QUEUE_RETRY.delaySeconds * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Clients as KubeConfig.makeApiClient builds them: no retry anywhere, as before this issue. */
function plainClients(sandbox: Sandbox) {
  const config = new KubeConfig();
  config.loadFromString(sandbox.kubeconfig);
  return { config, core: config.makeApiClient(CoreV1Api), apps: config.makeApiClient(AppsV1Api), objects: KubernetesObjectApi.makeApiClient(config) };
}

// ---------------------------------------------------------------------------------------------
// Figure 3: applying objects that are already applied.

async function reapplyFigure(sandbox: Sandbox) {
  const { applyObjects } = await import("../lib/kube/apply");
  const { environmentManifests } = await import("../lib/kube/manifests");
  const { kubeClients } = await import("../lib/kube/client");
  const kube = kubeClients({ id: "bench", name: "bench", kubeContext: null, inCluster: false });
  sandbox.clearFaults();
  const first: number[] = [];
  const again: number[] = [];
  let objects = 0;
  for (let i = 0; i < REAPPLY_ROUNDS; i++) {
    const manifests = environmentManifests(specFor(`re${String(i).padStart(4, "0")}`, `reapply-${i}`, COMPONENTS));
    objects = manifests.length;
    let t = performance.now();
    await applyObjects(kube, manifests);
    first.push(performance.now() - t);
    t = performance.now();
    await applyObjects(kube, manifests);
    again.push(performance.now() - t);
  }
  const firstMs = median(first);
  const againMs = median(again);
  return { objects, rounds: REAPPLY_ROUNDS, firstApplyMs: round(firstMs, 2), reapplyMs: round(againMs, 2), ratio: round(againMs / firstMs, 2), requestsEach: objects };
}

// ---------------------------------------------------------------------------------------------

function printTable(r: {
  endToEnd: Awaited<ReturnType<typeof endToEndFigures>>;
  policy: { corral: Awaited<ReturnType<typeof passFigure>>; before: Awaited<ReturnType<typeof passFigure>>; ratio: { seconds: number; requests: number } };
  reapply: Awaited<ReturnType<typeof reapplyFigure>>;
}) {
  const e = r.endToEnd;
  const line = (label: string, x: { seconds: number; ready: number; failed: number; requests: number; passesRetried: number; environmentsThatShowedAWait: number }) =>
    `  ${label.padEnd(24)} ${String(x.seconds).padStart(7)} s  ready ${x.ready}/${COUNT}  failed ${x.failed}  ${x.requests} requests  ${x.passesRetried} passes retried  ${x.environmentsThatShowedAWait} showed a wait`;
  console.log(`\nEnd to end, ${COUNT} environments × ${COMPONENTS.length} components, create → all Ready:`);
  console.log(line("faults off", e.faultsOff));
  console.log(line("30% 5xx, 5% drops, 100ms", e.faults));
  console.log(line("30% 429 Retry-After 2", e.throttled));
  console.log(`  ratio to faults off: time ${e.ratio.seconds} (429: ${e.ratio.throttledSeconds}), requests ${e.ratio.requests} (429: ${e.ratio.throttledRequests})`);
  console.log(`  Retry-After: ${e.throttled.retryAfter.sent} sent, ${e.throttled.retryAfter.returned} came back, ${e.throttled.retryAfter.early} early, shortest wait ${e.throttled.retryAfter.minWaitMs} ms`);
  const p = r.policy;
  const pass = (label: string, x: Awaited<ReturnType<typeof passFigure>>) =>
    `  ${label.padEnd(24)} ${String(x.seconds).padStart(7)} s  applied ${x.applied}/${COUNT}  failed ${x.failed}  ${x.requests} requests  passes median ${x.passes.median}, max ${x.passes.max}`;
  console.log(`\nOne reconcile pass at a time, ${COUNT} environments at once, 30% 5xx, 5% drops, 100 ms:`);
  console.log(pass("Corral's retry policy", p.corral));
  console.log(pass("before (queue retries)", p.before));
  console.log(`  ratio: time ${p.ratio.seconds}, requests ${p.ratio.requests}`);
  console.log(`\nRe-applying an environment's ${r.reapply.objects} objects unchanged (server-side apply), median of ${r.reapply.rounds}:`);
  console.log(`  first apply ${r.reapply.firstApplyMs} ms, again ${r.reapply.reapplyMs} ms; ratio ${r.reapply.ratio} (${r.reapply.requestsEach} requests either way)`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}
