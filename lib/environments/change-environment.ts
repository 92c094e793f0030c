import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { cancelEnvironmentJobs, dequeueCancelled } from "@/lib/jobs/cancel-jobs";
import { destroyJob } from "@/lib/jobs/definitions/environment-destroy";
import { reconcileJob } from "@/lib/jobs/definitions/environment-reconcile";
import { enqueue, getBoss } from "@/lib/jobs/queue";
import { getEnvironmentOrThrow } from "./get-environment-or-throw";
import { assertMay, type EnvironmentAction } from "./state-machine";
import { readStateSelect, type StatePatch, writeState } from "./write-state";

// One relation a query inside a transaction: Prisma loads sibling relations at once, which a
// transaction's single connection must not be asked to do (pg warns, and pg 9 will refuse).
const loaded = {
  ...readStateSelect,
  name: true,
  ownerId: true,
  templateId: true,
  clusterId: true,
  components: true,
} as const;

export type LoadedEnvironment = Prisma.EnvironmentGetPayload<{ select: typeof loaded }> & { failedCleanupSteps: number };

/**
 * What a change did to the desired state: null when nothing needed to change. `resumeDestroy`:
 * no new desired state, the destroy's clean-up steps are run again.
 */
export type ChangeResult = { patch?: Omit<StatePatch, "bumpGeneration">; message: string; resumeDestroy?: boolean } | null;

/**
 * The one path for every change of an environment's desired state: check who and when, let
 * `change` write the new desired state, then in the same short transaction bump the desired
 * generation, derive the status, write the history and enqueue the reconcile. Nothing here
 * talks to Kubernetes; the worker does.
 */
export async function changeEnvironment(
  actor: Actor,
  id: string,
  action: EnvironmentAction,
  change: (tx: Prisma.TransactionClient, env: LoadedEnvironment) => Promise<ChangeResult>,
) {
  // Started before the transaction: the first use of the queue in a process sets it up.
  await getBoss();
  // The observer or the worker may write the state between this read and this write; the
  // transaction is then rolled back whole and the change decided again on what is there now.
  for (let attempt = 1; ; attempt++) {
    try {
      // A burst of requests waits its turn for a connection rather than failing after the default 2 s.
      const cancelled = await db.$transaction((tx) => applyChange(tx, actor, id, action, change), { timeout: 10_000, maxWait: 10_000 });
      await dequeueCancelled(cancelled);
      break;
    } catch (error) {
      if (!(error instanceof StateMoved) || attempt >= 5) {
        if (error instanceof StateMoved) throw new AppError("conflict", "The environment kept changing while this request was being handled. Try again.");
        throw error;
      }
    }
  }
  return getEnvironmentOrThrow(id, actor);
}

class StateMoved extends Error {}

async function applyChange(
  tx: Prisma.TransactionClient,
  actor: Actor,
  id: string,
  action: EnvironmentAction,
  change: (tx: Prisma.TransactionClient, env: LoadedEnvironment) => Promise<ChangeResult>,
) {
  const found = await tx.environment.findUnique({ where: { id }, select: loaded });
  if (!found || found.status === "destroyed") throw new AppError("not_found", "There is no such environment.");
  const env: LoadedEnvironment = { ...found, failedCleanupSteps: await tx.cleanupStep.count({ where: { environmentId: id, status: "failed" } }) };
  assertMay(actor, actionSubject(env), action);
  const result = await change(tx, env);
  if (result === null) return [];
  const destroying = result.patch?.lifecycle === "destroying" || result.resumeDestroy === true;
  // A destroy does not wait behind work that no longer matters: it stops it, and says which.
  const cancelled = destroying ? await cancelEnvironmentJobs(tx, env.id, { except: [destroyJob.name] }) : [];
  const stopped = cancelled.length > 0 ? `; stopping ${cancelled.map((c) => `${c.title.toLowerCase()} (${c.wasRunning ? "running" : "queued"})`).join(", ")}` : "";
  const written = await writeState(tx, env, { ...result.patch, bumpGeneration: !destroying }, {
    extra: { lastActivityAt: new Date() },
    message: `${result.message} (by ${actor.email})${stopped}`,
  });
  if (!written) throw new StateMoved();
  await enqueue(destroying ? destroyJob : reconcileJob, { environmentId: env.id }, { tx, cause: actor.email });
  return cancelled;
}

function actionSubject(env: LoadedEnvironment) {
  return {
    ownerId: env.ownerId,
    status: env.status,
    hasPrevious: env.components.some((c) => c.previousRepository && (c.previousTag || c.previousDigest)),
    hasTemplate: env.templateId !== null,
    cleanupFailed: env.failedCleanupSteps > 0,
  };
}
