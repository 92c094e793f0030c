import "server-only";
import type { Job } from "pg-boss";
import { ensureDefaultCluster } from "@/lib/clusters/default-cluster";
import { startClusterLeases } from "@/lib/environments/cluster-leases";
import { subscribeEnvironmentChanges } from "@/lib/environments/change-feed";
import { log } from "@/lib/log";
import type { JobDefinition } from "./define-job";
import { getBoss, ensureQueue, enqueue, registerLocalWorker } from "./queue";
import { JOB_DEFINITIONS, registerJobDefinition } from "./registry";
import { abortRunningJob, runJob } from "./run-job";

// Four loops each taking up to four jobs a fetch: a reconcile is mostly waiting on the API
// server, and a full batch makes a loop fetch again at once instead of waiting for a poll.
export const JOB_CONCURRENCY = 4;
const JOB_BATCH = 4;

type JobWithRetries = Job<unknown> & { retryCount: number; retryLimit: number };

/**
 * The worker: every job definition of the registry, their schedules, cancel requests heard
 * on the change feed, and the watches of the clusters whose lease this process holds.
 * Several workers may run at once (each job goes to one), in the web server's process or on
 * their own (`npm run worker`).
 */
export async function startWorker(options: { extraJobs?: JobDefinition[]; leaseLookEveryMs?: number } = {}) {
  const boss = await getBoss();
  await ensureDefaultCluster();
  const definitions = [...JOB_DEFINITIONS, ...(options.extraJobs ?? [])];
  for (const extra of options.extraJobs ?? []) registerJobDefinition(extra);

  // A person asked to stop a job: whichever worker runs it aborts it.
  const offCancels = subscribeEnvironmentChanges((change) => {
    if (change.job?.cancel) abortRunningJob(change.job.id, "a person's request");
  });

  const unregister: (() => void)[] = [];
  for (const definition of definitions) {
    await ensureQueue(definition);
    const workerId = await boss.work(
      definition.name,
      { localConcurrency: definition.singleton ? 1 : JOB_CONCURRENCY, batchSize: definition.singleton ? 1 : JOB_BATCH, burstWhenBatchFull: true, includeMetadata: true, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 10 },
      async (jobs) => {
        await Promise.all(
          (jobs as JobWithRetries[]).map(async (job) => {
            const outcome = await runJob(definition, job);
            // pg-boss completes the rest of the batch when this returns; a failed job keeps its state.
            if (outcome === "retry") await boss.fail(definition.name, job.id, { message: "will be retried" });
            else if (outcome === "give-up") await boss.cancel(definition.name, job.id);
          }),
        );
      },
    );
    unregister.push(registerLocalWorker(definition.name, workerId));
    if (definition.schedule) {
      await boss.schedule(definition.name, definition.schedule);
      // After a crash, do not wait for the schedule.
      await enqueue(definition, {}, { cause: "system: worker start" });
    }
  }

  const leases = await startClusterLeases({ lookEveryMs: options.leaseLookEveryMs });
  log.info({ jobs: definitions.map((d) => d.name), clusters: leases.held().length }, "worker started");

  return {
    leases,
    stop: async () => {
      offCancels();
      for (const off of unregister) off();
      for (const definition of definitions) await boss.offWork(definition.name);
      await leases.stop();
    },
  };
}
