import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { JobStatus } from "@/lib/db/generated/enums";
import { notifyJobChanged } from "@/lib/environments/change-feed";
import { log } from "@/lib/log";
import { metrics } from "@/lib/ops/metrics";
import { JobCancelledError, type JobContext, type JobDefinition, type JobProgress, PermanentJobError } from "./define-job";
import { withKeyLock } from "./key-lock";
import { enqueue, type Envelope } from "./queue";
import { transientBackoffSeconds } from "./transient-backoff";

export interface QueuedJob {
  id: string;
  data: unknown;
  retryCount: number;
  retryLimit: number;
  /** The queue's own abort: the job ran past its timeout. */
  signal: AbortSignal;
}

/** What the worker tells the queue: done (or cancelled), try again later, or never again. */
export type JobOutcome = "done" | "retry" | "give-up";

// Jobs running in this process, so that a cancel request heard on the change feed reaches them.
const running = new Map<string, AbortController>();

/** Aborts a job if it runs in this process. */
export function abortRunningJob(jobId: string, by: string): boolean {
  const controller = running.get(jobId);
  if (!controller) return false;
  controller.abort(new JobCancelledError(by));
  return true;
}

const PROGRESS_EVERY_MS = 250;

/**
 * Runs one job of a definition: its payload checked, its concurrency key's lock held, its row
 * in the job history kept up to date, progress and the end told to browsers, a cancel request
 * turned into an abort. Failures are classified here, once, for every kind.
 */
export async function runJob(definition: JobDefinition, job: QueuedJob): Promise<JobOutcome> {
  const { _meta, ...raw } = (job.data ?? {}) as Envelope<Record<string, unknown>>;
  const cause = _meta?.cause ?? "system";
  const requestId = _meta?.requestId ?? null;
  const jobLog = log.child({ job: definition.name, jobId: job.id, ...(requestId ? { requestId } : {}) });
  const parsed = definition.schema.safeParse(raw);
  if (!parsed.success) {
    jobLog.error({ issues: parsed.error.issues }, "job payload does not fit its schema; dropped");
    return "give-up";
  }
  const payload = parsed.data;
  const environmentId = definition.environmentId?.(payload) ?? null;
  const attempt = job.retryCount + 1;
  const lastAttempt = job.retryCount >= job.retryLimit;
  const controller = new AbortController();
  // Registered before anything is read, so that a cancel notice from now on reaches it.
  running.set(job.id, controller);
  const onTimeout = () => controller.abort(new Error(`it ran longer than ${definition.timeoutSeconds} s`));
  job.signal.addEventListener("abort", onTimeout, { once: true });
  // The job's row in the history (null for kinds without an environment), read again after the lock.
  const readHistory = async () => (environmentId ? db.job.findUnique({ where: { id: job.id }, select: { cancelRequestedAt: true } }) : null);
  const history = await readHistory();
  let again: number | null = null;
  const transientFailures = _meta?.transientFailures ?? 0;
  // Set when this run ended in a transient failure: the next run's count, and what to record.
  let transient: { attempt: number; why: string; delaySeconds: number } | null = null;
  let lastProgress = 0;
  const timer = metrics().jobDuration.startTimer({ kind: definition.name });
  const counted = (outcome: string) => metrics().jobs.inc({ kind: definition.name, outcome });

  const record = async (status: JobStatus, data: Prisma.JobUpdateManyMutationInput = {}) => {
    if (!environmentId || !history) return;
    await db.job.updateMany({ where: { id: job.id }, data: { status, ...data } });
    await notifyJobChanged(db, environmentId, { id: job.id, kind: definition.name, status });
  };

  try {
    if (history?.cancelRequestedAt) throw new JobCancelledError("request");
    const ctx: JobContext = {
      jobId: job.id,
      attempt,
      lastAttempt,
      signal: controller.signal,
      cause,
      requestId,
      log: jobLog,
      progress: async (progress: JobProgress) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && progress.fraction !== 1) return;
        lastProgress = now;
        await record("running", { progress: progress as Prisma.InputJsonValue });
      },
      runAgainAfter: (seconds) => {
        again = seconds;
        transient = null;
      },
      transientFailures,
      retryTransient: async (why, options = {}) => {
        const attempt = transientFailures + 1;
        const delaySeconds = transientBackoffSeconds(attempt, options.atLeastSeconds);
        transient = { attempt, why, delaySeconds };
        again = null;
        const jobId = await enqueue(definition, payload, { cause, requestId, startAfterSeconds: delaySeconds, transientFailures: attempt, transientRetry: true });
        return { attempt, delaySeconds, jobId };
      },
    };
    let waiting: Promise<void> = Promise.resolve();
    const work = async () => {
      controller.signal.throwIfAborted();
      await waiting;
      // Asked to stop while it waited for the lock (perhaps while no notice could be heard).
      if ((await readHistory())?.cancelRequestedAt) throw new JobCancelledError("request");
      if (definition.requiresActiveEnvironment && environmentId) {
        const env = await db.environment.findUnique({ where: { id: environmentId }, select: { lifecycle: true } });
        if (env?.lifecycle !== "active") throw new JobCancelledError("the environment is being destroyed");
      }
      await record("running", { startedAt: new Date(), attempts: attempt, error: null });
      await definition.handler(payload, ctx);
    };
    const key = definition.concurrencyKey?.(payload) ?? null;
    if (key) {
      const onWait = () => {
        waiting = record("queued", { progress: { message: "Waiting for other work on this environment to finish" } }).catch(() => {});
      };
      await withKeyLock(key, controller.signal, onWait, work);
    } else await work();
    controller.signal.throwIfAborted();
    const retrying = transient as { attempt: number; why: string; delaySeconds: number } | null;
    if (retrying) {
      // This run did not get through; the next one is already on its way, so this is no give-up.
      jobLog.info({ err: retrying.why, transientAttempt: retrying.attempt, retryInSeconds: retrying.delaySeconds }, "job met a transient failure; runs again");
      await record("failed", { finishedAt: new Date(), error: `${retrying.why}; trying again in ${retrying.delaySeconds} s (attempt ${retrying.attempt}).` });
      counted("retried");
    } else {
      await record("succeeded", { finishedAt: new Date(), progress: again === null ? { fraction: 1 } : {} });
      counted("succeeded");
    }
    if (again !== null) await enqueue(definition, payload, { cause, requestId, startAfterSeconds: again });
    return "done";
  } catch (thrown) {
    const error = controller.signal.aborted && controller.signal.reason instanceof Error ? controller.signal.reason : thrown;
    if (error instanceof JobCancelledError) {
      jobLog.info({ by: error.by }, "job cancelled");
      counted("cancelled");
      await record("cancelled", { finishedAt: new Date(), error: `Cancelled (${error.by}).` }).catch(() => {});
      return "done";
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentJobError || lastAttempt) {
      jobLog.warn({ err: message, attempt }, "job failed");
      counted("failed");
      await record("failed", { finishedAt: new Date(), error: message }).catch(() => {});
      return "give-up";
    }
    jobLog.info({ err: message, attempt, of: job.retryLimit + 1 }, "job will be retried");
    counted("retried");
    await record("queued", { error: `Attempt ${attempt} failed: ${message}. Trying again.` }).catch(() => {});
    return "retry";
  } finally {
    timer();
    running.delete(job.id);
    job.signal.removeEventListener("abort", onTimeout);
  }
}
