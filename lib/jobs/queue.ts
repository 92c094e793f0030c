import "server-only";
import { randomUUID } from "node:crypto";
import { fromPrisma, PgBoss, type PrismaTransactionLike } from "pg-boss";
import type { z } from "zod";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { currentRequestId } from "@/lib/http/request-context";
import { log } from "@/lib/log";
import type { JobDefinition } from "./define-job";

// Long work runs in pg-boss, a Postgres-backed queue: jobs live in the same database as the
// state they act on, survive any process dying, and are retried with backoff. This module is
// the only one that knows it; everything else speaks in job definitions.

/** Travels with a job's payload: who or what caused it, and the request it came from. */
export interface JobMeta {
  cause: string;
  requestId: string | null;
  /** Transient failures met in a row by the runs before this one (JobContext.retryTransient). */
  transientFailures?: number;
}

export type Envelope<T> = T & { _meta?: JobMeta };

export interface EnqueueOptions {
  /** Written in this transaction: the job exists exactly when the change that needs it commits. */
  tx?: Prisma.TransactionClient;
  cause: string;
  requestId?: string | null;
  startAfterSeconds?: number;
  transientFailures?: number;
  /**
   * A run after a transient failure (JobContext.retryTransient): it waits beside, not instead
   * of, a job queued for the same key, so work asked for meanwhile (a person's change, a new
   * name to publish) runs at once rather than behind the backoff, and the retry still comes.
   */
  transientRetry?: boolean;
}

const globalForBoss = globalThis as unknown as { corralBoss?: Promise<PgBoss>; corralQueues?: Map<string, Promise<void>> };

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
  return boss;
}

/** Creates (or brings up to date) the queue of a definition, once a process. */
export function ensureQueue(definition: JobDefinition): Promise<void> {
  const queues = (globalForBoss.corralQueues ??= new Map());
  let ready = queues.get(definition.name);
  if (!ready) {
    ready = (async () => {
      const boss = await getBoss();
      const options = {
        retryLimit: definition.retry.limit,
        retryDelay: definition.retry.delaySeconds,
        retryBackoff: definition.retry.backoff,
        ...(definition.retry.backoff ? { retryDelayMax: definition.retry.maxDelaySeconds } : {}),
        expireInSeconds: definition.timeoutSeconds,
        notify: true,
      };
      await boss
        .createQueue(definition.name, {
          // "stately": one queued and one running job per key, so a burst collapses into one more pass.
          policy: definition.singleton ? "singleton" : definition.collapse ? "stately" : "standard",
          ...options,
          // A worker killed mid-job stops beating; the job is retried within about this long.
          heartbeatSeconds: 10,
        })
        .catch(ignoreExists);
      // A queue made by an older version keeps its options otherwise.
      await boss.updateQueue(definition.name, options);
    })().catch((error: unknown) => {
      queues.delete(definition.name);
      throw error;
    });
    queues.set(definition.name, ready);
  }
  return ready;
}

function ignoreExists(error: unknown) {
  if (!/already exists/i.test(String((error as Error)?.message))) throw error;
}

/**
 * Enqueues one job of a definition, and its row in the job history when it belongs to an
 * environment. With a collapsing definition and one already queued for the same key, nothing
 * is added: null.
 */
export async function enqueue<S extends z.ZodType>(definition: JobDefinition<S>, payload: z.infer<S>, options: EnqueueOptions): Promise<string | null> {
  await ensureQueue(definition);
  const environmentId = definition.environmentId?.(payload) ?? null;
  if (definition.requiresActiveEnvironment && environmentId) {
    const env = await (options.tx ?? db).environment.findUnique({ where: { id: environmentId }, select: { lifecycle: true } });
    if (env?.lifecycle !== "active") {
      throw new AppError("conflict", `The environment is ${env?.lifecycle === "destroyed" ? "destroyed" : "being destroyed"}, so no ${definition.title.toLowerCase()} can start.`, {
        lifecycle: env?.lifecycle ?? "destroyed",
      });
    }
  }
  const boss = await getBoss();
  const requestId = options.requestId ?? currentRequestId();
  const meta: JobMeta = { cause: options.cause, requestId, ...(options.transientFailures ? { transientFailures: options.transientFailures } : {}) };
  const data = { ...(definition.schema.parse(payload) as object), _meta: meta };
  const key = definition.concurrencyKey?.(payload) ?? undefined;
  // The history row first: the queue wakes a worker the moment its job is inserted.
  const jobId = randomUUID();
  const client = options.tx ?? db;
  if (environmentId) {
    await client.job.create({ data: { id: jobId, kind: definition.name, environmentId, payload: payload as Prisma.InputJsonValue, cause: options.cause, requestId } });
  }
  const id = await boss.send(definition.name, data, {
    id: jobId,
    ...(definition.collapse && key ? { singletonKey: options.transientRetry ? `${key}:transient-retry` : key } : {}),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    ...(options.tx ? { db: fromPrisma(options.tx as unknown as PrismaTransactionLike) } : {}),
  });
  // Collapsed into one already queued: no second row.
  if (!id && environmentId) await client.job.deleteMany({ where: { id: jobId } });
  if (options.startAfterSeconds) wakeWorkersAfter(definition.name, options.startAfterSeconds);
  return id;
}

// This process's workers, by queue. A job delayed with startAfter is not announced by the
// queue's NOTIFY when it falls due, so a worker would find it only at its next poll (10 s):
// the process that delayed it wakes its own workers when it is due.
const localWorkers = new Map<string, Set<string>>();

export function registerLocalWorker(queue: string, workerId: string): () => void {
  const ids = localWorkers.get(queue) ?? new Set<string>();
  localWorkers.set(queue, ids.add(workerId));
  return () => void ids.delete(workerId);
}

function wakeWorkersAfter(queue: string, seconds: number) {
  const ids = localWorkers.get(queue);
  if (!ids || ids.size === 0) return;
  setTimeout(() => {
    void globalForBoss.corralBoss?.then((boss) => {
      for (const id of ids) boss.notifyWorker(id);
    });
  }, seconds * 1_000 + 50).unref();
}

/** Enqueues many jobs of one definition in one statement; collapsed ones are skipped. The payloads enqueued. */
export async function enqueueMany<S extends z.ZodType>(definition: JobDefinition<S>, payloads: z.infer<S>[], options: Omit<EnqueueOptions, "tx">): Promise<z.infer<S>[]> {
  if (payloads.length === 0) return [];
  await ensureQueue(definition);
  const boss = await getBoss();
  const jobs = payloads.map((payload) => ({
    id: randomUUID(),
    payload,
    key: definition.concurrencyKey?.(payload) ?? undefined,
  }));
  // History rows first, as in enqueue(); those the queue collapsed away are removed after.
  const rowsFirst = jobs
    .map((j) => ({ j, environmentId: definition.environmentId?.(j.payload) ?? null }))
    .filter((r): r is { j: (typeof jobs)[number]; environmentId: string } => r.environmentId !== null);
  if (rowsFirst.length > 0) {
    await db.job.createMany({
      data: rowsFirst.map(({ j, environmentId }) => ({ id: j.id, kind: definition.name, environmentId, payload: j.payload as Prisma.InputJsonValue, cause: options.cause })),
      skipDuplicates: true,
    });
  }
  const inserted = await boss.insert(
    definition.name,
    jobs.map((j) => ({
      id: j.id,
      data: { ...(j.payload as object), _meta: { cause: options.cause, requestId: options.requestId ?? null } satisfies JobMeta },
      ...(definition.collapse && j.key ? { singletonKey: j.key } : {}),
    })),
    { returnId: true },
  );
  const made = new Set(inserted ?? []);
  const unmade = rowsFirst.filter((r) => !made.has(r.j.id)).map((r) => r.j.id);
  if (unmade.length > 0) await db.job.deleteMany({ where: { id: { in: unmade } } });
  return jobs.filter((j) => made.has(j.id)).map((j) => j.payload);
}

export async function stopBoss(): Promise<void> {
  const boss = globalForBoss.corralBoss;
  globalForBoss.corralBoss = undefined;
  globalForBoss.corralQueues = undefined;
  if (boss) await (await boss).stop({ graceful: true, timeout: 5_000 });
}
