import "server-only";
import { fromPrisma, PgBoss, type PrismaTransactionLike } from "pg-boss";
import { config } from "@/lib/config";
import { log } from "@/lib/log";

// Long work runs in pg-boss, a Postgres-backed queue: jobs live in the same database as the
// state they act on, survive any process dying, and are retried with backoff.

export const QUEUES = {
  /** Brings one environment's cluster objects to its desired state (or removes them). */
  reconcile: "environment-reconcile",
  /** Finds environments that owe work and enqueues it: the safety net under every other path. */
  sweep: "environment-sweep",
} as const;

export interface ReconcileJob {
  environmentId: string;
}

const globalForBoss = globalThis as unknown as { corralBoss?: Promise<PgBoss> };

export function getBoss(): Promise<PgBoss> {
  globalForBoss.corralBoss ??= startBoss().catch((error: unknown) => {
    globalForBoss.corralBoss = undefined;
    throw error;
  });
  return globalForBoss.corralBoss;
}

async function startBoss(): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: config().DATABASE_URL,
    schema: "pgboss",
    max: 5,
    // How soon a job whose worker died (no heartbeat) is found and retried.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    // Workers are woken by NOTIFY the moment a job is created, not by their next poll.
    useListenNotify: true,
  });
  boss.on("error", (error) => log.error({ err: error }, "job queue error"));
  await boss.start();
  // One queued and one running reconcile per environment: a burst of changes collapses into
  // one more pass, which reads the latest desired state anyway.
  const reconcile = {
    retryLimit: 8,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 60,
    expireInSeconds: 300,
    notify: true,
  };
  await boss
    .createQueue(QUEUES.reconcile, {
      policy: "stately",
      ...reconcile,
      // A worker killed mid-job stops beating; the job is retried within about this long.
      heartbeatSeconds: 10,
    })
    .catch(ignoreExists);
  // A queue made by an older version keeps its options otherwise.
  await boss.updateQueue(QUEUES.reconcile, reconcile);
  await boss.createQueue(QUEUES.sweep, { policy: "singleton", retryLimit: 0, expireInSeconds: 120 }).catch(ignoreExists);
  return boss;
}

function ignoreExists(error: unknown) {
  if (!/already exists/i.test(String((error as Error)?.message))) throw error;
}

/**
 * Enqueues a reconcile of one environment. Given a Prisma transaction, the job is written in
 * it, so the job exists exactly when the change that needs it was committed.
 */
export async function enqueueReconcile(environmentId: string, options: { tx?: PrismaTransactionLike; startAfterSeconds?: number } = {}) {
  const boss = await getBoss();
  await boss.send(QUEUES.reconcile, { environmentId } satisfies ReconcileJob, {
    singletonKey: environmentId,
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    ...(options.tx ? { db: fromPrisma(options.tx) } : {}),
  });
}

/** Enqueues reconciles of many environments in one statement; ones already queued are skipped. */
export async function enqueueReconciles(environmentIds: string[]): Promise<void> {
  if (environmentIds.length === 0) return;
  const boss = await getBoss();
  await boss.insert(
    QUEUES.reconcile,
    environmentIds.map((environmentId) => ({ data: { environmentId } satisfies ReconcileJob, singletonKey: environmentId })),
  );
}

export async function stopBoss(): Promise<void> {
  const boss = globalForBoss.corralBoss;
  globalForBoss.corralBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, timeout: 5_000 });
}
