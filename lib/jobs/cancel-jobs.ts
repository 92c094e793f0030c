import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { notifyJobChanged } from "@/lib/environments/change-feed";
import { getBoss } from "./queue";
import { jobDefinition } from "./registry";

type Client = Prisma.TransactionClient | typeof db;

export interface CancelledJob {
  id: string;
  kind: string;
  title: string;
  /** It had started: its worker is told to stop; a queued one simply never runs. */
  wasRunning: boolean;
}

/**
 * Asks every unfinished job of an environment (but those of `except` kinds) to stop: queued
 * ones are taken off the queue, running ones are aborted by their worker when it hears of it.
 * In a transaction, the notices go out when it commits. What it asked to stop.
 */
export async function cancelEnvironmentJobs(client: Client, environmentId: string, options: { except?: string[]; onlyId?: string } = {}): Promise<CancelledJob[]> {
  const jobs = await client.job.findMany({
    where: {
      environmentId,
      status: { in: ["queued", "running"] },
      cancelRequestedAt: null,
      ...(options.except ? { kind: { notIn: options.except } } : {}),
      ...(options.onlyId ? { id: options.onlyId } : {}),
    },
    select: { id: true, kind: true, status: true },
  });
  if (jobs.length === 0) return [];
  const now = new Date();
  const out: CancelledJob[] = [];
  for (const job of jobs) {
    const wasRunning = job.status === "running";
    await client.job.update({
      where: { id: job.id },
      data: wasRunning ? { cancelRequestedAt: now } : { cancelRequestedAt: now, status: "cancelled", finishedAt: now, error: "Cancelled before it started." },
    });
    await notifyJobChanged(client, environmentId, { id: job.id, kind: job.kind, status: wasRunning ? "running" : "cancelled", cancel: true });
    out.push({ id: job.id, kind: job.kind, title: jobDefinition(job.kind)?.title ?? job.kind, wasRunning });
  }
  return out;
}

/**
 * After the transaction that asked them to stop has committed: the queued ones off the
 * queue. (A worker that takes one anyway sees its cancel request and drops it.)
 */
export async function dequeueCancelled(jobs: CancelledJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const boss = await getBoss();
  for (const job of jobs.filter((j) => !j.wasRunning)) await boss.cancel(job.kind, job.id).catch(() => {});
}
