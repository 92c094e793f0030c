import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { migrate } from "@/lib/db/migrate";
import { type Sandbox, startSandbox, type SandboxOptions } from "@/sandbox/index";
import { dropDatabase, freshDatabase } from "./postgres";

export const FAST_TIMINGS: SandboxOptions["timings"] = {
  podScheduleDelayMs: 10,
  podStartDelayMs: 50,
  podReadyDelayMs: 100,
  slowReadyDelayMs: 3_000,
  crashAfterMs: 100,
  backoffBaseMs: 200,
  backoffMaxMs: 1_000,
  podTerminationDelayMs: 50,
  namespaceTerminationDelayMs: 300,
  resyncIntervalMs: 200,
};

/**
 * A world of its own for tests that run the worker: a fresh database (so no other test
 * file's worker takes this file's jobs), a sandbox cluster, and KUBECONFIG pointing at it.
 * Call before anything touches the database: the Prisma client reads DATABASE_URL once.
 */
export async function startWorld(name: string, sandboxOptions: SandboxOptions = {}) {
  const database = `corral_${name}_${process.pid}`;
  const url = await freshDatabase(database);
  await migrate(url);
  process.env.DATABASE_URL = url;
  const dir = await mkdtemp(path.join(tmpdir(), `corral-${name}-`));
  const sandbox: Sandbox = await startSandbox({ timings: FAST_TIMINGS, configDir: dir, ...sandboxOptions });
  process.env.KUBECONFIG = sandbox.kubeconfigPath;
  const kc = new KubeConfig();
  kc.loadFromString(sandbox.kubeconfig);
  return {
    sandbox,
    url,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    async stop() {
      await sandbox.stop();
      await dropDatabase(database).catch(() => {});
    },
  };
}

/**
 * A world with a job worker running in this process and a person to act as: what the tests of
 * environments' lives need. Modules that read DATABASE_URL are imported once the world set it.
 */
export async function startWorkerWorld(name: string, sandboxOptions: SandboxOptions = {}, workerOptions: Parameters<typeof import("@/lib/jobs/worker").startWorker>[0] = {}) {
  const world = await startWorld(name, sandboxOptions);
  const [{ db }, { startWorker }, { stopBoss }, { closeKeyLocks }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/jobs/worker"),
    import("@/lib/jobs/queue"),
    import("@/lib/jobs/key-lock"),
  ]);
  const user = await db.user.create({ data: { email: `${name}@example.com`, name, role: "developer" } });
  let worker = await startWorker(workerOptions);
  return {
    ...world,
    db,
    actor: { ...user, via: "session" as const, scopes: null },
    /** Stops the worker and starts a new one, as a restart of the worker process would. */
    async restartWorker() {
      await worker.stop();
      worker = await startWorker(workerOptions);
    },
    async stop() {
      await worker.stop();
      await stopBoss();
      await closeKeyLocks();
      await db.$disconnect();
      await world.stop();
    },
  };
}
