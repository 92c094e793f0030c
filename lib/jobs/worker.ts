import "server-only";
import type { Job } from "pg-boss";
import { ensureDefaultCluster } from "@/lib/clusters/default-cluster";
import { db } from "@/lib/db/client";
import { watchCluster } from "@/lib/environments/cluster-watcher";
import { reconcileEnvironment } from "@/lib/environments/reconcile-environment";
import { sweepEnvironments } from "@/lib/environments/sweep-environments";
import { log } from "@/lib/log";
import { getBoss, QUEUES, type ReconcileJob } from "./queue";

// Four loops each taking up to four jobs a fetch: a reconcile is mostly waiting on the API
// server, and a full batch makes a loop fetch again at once instead of waiting for a poll.
export const RECONCILE_CONCURRENCY = 4;
const RECONCILE_BATCH = 4;

type JobWithRetries<T> = Job<T> & { retryCount: number; retryLimit: number };

/**
 * The worker: reconcile jobs, the periodic sweep, and a watch on every cluster. Several
 * workers may run at once (pg-boss hands each job to one), in the web server's process or on
 * their own (`npm run worker`).
 */
export async function startWorker() {
  const boss = await getBoss();
  await ensureDefaultCluster();

  await boss.work<ReconcileJob>(
    QUEUES.reconcile,
    { localConcurrency: RECONCILE_CONCURRENCY, batchSize: RECONCILE_BATCH, burstWhenBatchFull: true, includeMetadata: true, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 10 },
    async (jobs) => {
      await Promise.all(
        (jobs as JobWithRetries<ReconcileJob>[]).map(async (job) => {
          try {
            await reconcileEnvironment(job.data.environmentId, { retryCount: job.retryCount, retryLimit: job.retryLimit });
          } catch (error) {
            // Fail this job alone (it is retried with backoff); pg-boss completes the rest of
            // the batch when the handler returns, and leaves a failed job as it is.
            log.warn({ environmentId: job.data.environmentId, err: String((error as Error)?.message ?? error) }, "reconcile will be retried");
            await boss.fail(QUEUES.reconcile, job.id, { message: String((error as Error)?.message ?? error) });
          }
        }),
      );
    },
  );

  const watchers = new Map<string, Awaited<ReturnType<typeof watchCluster>>>();
  async function watchNewClusters() {
    for (const cluster of await db.cluster.findMany()) {
      if (watchers.has(cluster.id)) continue;
      try {
        watchers.set(cluster.id, await watchCluster(cluster));
      } catch (error) {
        log.warn({ cluster: cluster.name, err: String((error as Error)?.message ?? error) }, "cannot watch cluster yet");
      }
    }
  }

  async function sweep() {
    await watchNewClusters();
    const owed = await sweepEnvironments();
    if (owed > 0) log.info({ owed }, "sweep enqueued reconciles");
  }
  await boss.work(QUEUES.sweep, async () => sweep());
  await boss.schedule(QUEUES.sweep, "* * * * *");
  // After a crash, do not wait a minute for the schedule.
  await sweep();
  log.info({ clusters: watchers.size }, "worker started");

  return {
    stop: async () => {
      await boss.offWork(QUEUES.reconcile);
      await boss.offWork(QUEUES.sweep);
      await Promise.all([...watchers.values()].map((w) => w.stop()));
    },
  };
}
