import type { Logger } from "pino";
import type { z } from "zod";

// A kind of durable background work: a payload schema, how it is retried and timed out, what
// it must not run beside, and its handler. Domain code enqueues a definition with a payload
// and never sees the queue library, its types or its retry counters.

export interface JobProgress {
  /** 0 to 1, when the work knows how far along it is. */
  fraction?: number;
  /** Counts so far, e.g. { rows: 1200, tables: 3 }. */
  counters?: Record<string, number>;
  message?: string;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  /** Whether a failure now is the last: no retry follows. */
  lastAttempt: boolean;
  /** Aborted when the job is cancelled or times out: stop, leaving things as a retry can resume them. */
  signal: AbortSignal;
  /** Who or what caused it: "dev@example.com", "system: sweep". */
  cause: string;
  /** The request that caused it, for its log lines. */
  requestId: string | null;
  log: Logger;
  /** Reported through the change feed to browsers watching the environment; cheap to call often. */
  progress(progress: JobProgress): Promise<void>;
  /** Enqueue this same job again after a while (work that is waiting on something, not failing). */
  runAgainAfter(seconds: number): void;
  /** Transient failures met in a row before this run (0 on a fresh start); carried from run to run by retryTransient. */
  transientFailures: number;
  /**
   * An outside system failed in a way that passes by itself (a 503, throttling, a dropped
   * connection): this job ends and runs again after a capped, jittered backoff
   * (lib/jobs/transient-backoff.ts), for as long as it takes — the queue's retry limit is not
   * spent on it; work asked for meanwhile still runs at once. `why` is recorded on the job in
   * plain words. The next run is enqueued at once: call this last. The attempt (1 for the first failure in a row), the wait chosen, for the
   * reason the handler shows, and the next run's job id (null when one was already queued).
   */
  retryTransient(why: string, options?: { atLeastSeconds?: number }): Promise<{ attempt: number; delaySeconds: number; jobId: string | null }>;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  delaySeconds: number;
  /** Exponential backoff (with jitter, by the queue) from delaySeconds up to maxDelaySeconds. */
  backoff: boolean;
  maxDelaySeconds: number;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** The queue's name, and the kind shown in the job history. */
  name: string;
  /** What people read in the history, e.g. "Apply changes". */
  title: string;
  schema: S;
  retry: RetryPolicy;
  timeoutSeconds: number;
  /** Work sharing a key never runs at once, whatever its kind (an environment's id serialises its work). */
  concurrencyKey?: (payload: z.infer<S>) => string | null;
  /** At most one queued job per key: a burst of requests collapses into one more pass. */
  collapse?: boolean;
  /** At most one job of this kind at a time, whatever its payload (the sweep). */
  singleton?: boolean;
  /** Run on this cron schedule as well as when enqueued. */
  schedule?: string;
  /**
   * Work that only makes sense on a live environment (a data copy): refused while it is being
   * destroyed, and dropped if a destroy began before it ran.
   */
  requiresActiveEnvironment?: boolean;
  /** Whether a person may stop it (not the reconciler or destroy: the sweep would only start them again). */
  cancellable?: boolean;
  /** The environment whose history lists this job, if any. */
  environmentId?: (payload: z.infer<S>) => string | null;
  handler: (payload: z.infer<S>, ctx: JobContext) => Promise<void>;
}

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

/** Thrown by a handler for a refusal that no retry can help: the job fails at once, with this reason. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** Thrown (or found on the signal) when a job stopped because it was cancelled. */
export class JobCancelledError extends Error {
  constructor(readonly by: string) {
    super(`cancelled by ${by}`);
    this.name = "JobCancelledError";
  }
}
