// The processes bench/environments.ts starts besides the worker. Run with
// `node --conditions=react-server --import tsx bench/environments-children.ts <role>`:
//   direct — the baseline of figure 1: the same manifests applied with server-side apply through
//            lib/kube/apply.ts, as many at once as the worker reconciles, no database, no queue.
//   poll   — the baseline of figure 2: what polling would cost, listing every managed deployment
//            and pod once a second (no observation computed, nothing written: a lower bound).
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { FIVE_COMPONENTS, pool, reconcileConcurrency, specFor } from "./environments-shared";

const role = process.argv[2];

async function direct(): Promise<void> {
  const { applyObjects } = await import("@/lib/kube/apply");
  const { environmentManifests } = await import("@/lib/kube/manifests");
  const { kubeClients } = await import("@/lib/kube/client");
  const kube = kubeClients({ id: "direct", name: "direct", kubeContext: null, inCluster: false });
  const count = Number(process.env["BENCH_COUNT"] ?? 200);
  const warmup = Number(process.env["BENCH_WARMUP"] ?? 10);
  const concurrency = reconcileConcurrency();
  const apply = (name: string, i: number) => applyObjects(kube, environmentManifests(specFor(`direct${String(i).padStart(5, "0")}`, name, FIVE_COMPONENTS)));

  // Warm-up, as the worker is warmed up before the measured creates.
  await pool(warmup, concurrency, (i) => apply(`warm-${i}`, 100_000 + i));
  const objects = environmentManifests(specFor("x", "x", FIVE_COMPONENTS)).length;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const latenciesMs: number[] = new Array(count);
  // All submitted at once: each one's latency runs from t0.
  await pool(count, concurrency, async (i) => {
    await apply(`bench-${String(i).padStart(3, "0")}`, i);
    latenciesMs[i] = performance.now() - t0;
  });
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`RESULT ${JSON.stringify({ latenciesMs, totalMs, cpuMs: (cpu.user + cpu.system) / 1000, objectsPerEnvironment: objects, concurrency })}\n`);
}

async function poll(): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const labelSelector = "corral.dev/managed-by=corral";
  const maxTicks = Number(process.env["BENCH_POLL_MAX_TICKS"] ?? 120);
  for (let tick = 0; tick < maxTicks; tick++) {
    const started = performance.now();
    const [d, p] = await Promise.all([apps.listDeploymentForAllNamespaces({ labelSelector }), core.listPodForAllNamespaces({ labelSelector })]);
    const took = performance.now() - started;
    if (tick === 0) process.stdout.write(`POLLING deployments=${d.items.length} pods=${p.items.length} firstListMs=${Math.round(took)}\n`);
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - took)));
  }
}

(role === "direct" ? direct() : role === "poll" ? poll() : Promise.reject(new Error(`unknown role ${role}`))).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
