import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { assertMayAct } from "@/lib/environments/state-machine";
import { cancelEnvironmentJobs, dequeueCancelled } from "./cancel-jobs";
import { jobDefinition } from "./registry";

/** A person stops one job of an environment: off the queue if it waits, aborted if it runs. */
export async function cancelJob(actor: Actor, environmentId: string, jobId: string) {
  const job = await db.job.findFirst({ where: { id: jobId, environmentId }, select: { id: true, status: true, kind: true, environment: { select: { ownerId: true } } } });
  if (!job?.environment) throw new AppError("not_found", "There is no such job on this environment.");
  assertMayAct(actor, job.environment.ownerId, "update");
  if (!jobDefinition(job.kind)?.cancellable) {
    throw new AppError("conflict", `${jobDefinition(job.kind)?.title ?? job.kind} cannot be cancelled: Corral would only start it again. Change or destroy the environment instead.`);
  }
  if (job.status !== "queued" && job.status !== "running") {
    throw new AppError("conflict", `The job has already ended (${job.status}); there is nothing to cancel.`, { status: job.status });
  }
  await dequeueCancelled(await db.$transaction((tx) => cancelEnvironmentJobs(tx, environmentId, { onlyId: jobId })));
  await db.historyEntry.create({ data: { environmentId, message: `Cancel of ${job.kind} requested (by ${actor.email})` } });
  return db.job.findUniqueOrThrow({ where: { id: jobId }, select: { id: true, kind: true, status: true, cancelRequestedAt: true } });
}
