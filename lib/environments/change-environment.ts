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
import { syncUsage } from "@/lib/lifecycle/sync-usage";
import { assertMay, isAllowed, type EnvironmentAction } from "./state-machine";
import { readStateSelect, type StatePatch, writeState } from "./write-state";

/** Corral itself acting (an expiry, a sleep after idling, a wake by a request to a name): who is in `cause`. */
export interface SystemInitiator {
  system: string;
}

export type Initiator = Actor | SystemInitiator;

export function isSystem(initiator: Initiator): initiator is SystemInitiator {
  return "system" in initiator;
}

/** How the history and the job history name who asked. */
export function initiatorName(initiator: Initiator): string {
  return isSystem(initiator) ? `Corral (${initiator.system})` : initiator.email;
}

// One relation a query inside a transaction: Prisma loads sibling relations at once, which a
// transaction's single connection must not be asked to do (pg warns, and pg 9 will refuse).
const loaded = {
  ...readStateSelect,
  name: true,
  ownerId: true,
  templateId: true,
  clusterId: true,
  pinnedBy: true,
  components: true,
} as const;

export type LoadedEnvironment = Prisma.EnvironmentGetPayload<{ select: typeof loaded }> & { failedCleanupSteps: number };

/**
 * What a change did to the desired state: null when nothing needed to change. `resumeDestroy`:
 * no new desired state, the destroy's clean-up steps are run again.
 */
export type ChangeResult = {
  patch?: Omit<StatePatch, "bumpGeneration">;
  message: string;
  resumeDestroy?: boolean;
  /** Nothing the cluster holds changed (an expiry, a pin): no new generation, no reconcile. */
  clusterUnchanged?: boolean;
} | null;

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
): Promise<Awaited<ReturnType<typeof getEnvironmentOrThrow>>>;
/** Corral's own change: no viewer to answer, and a status that no longer allows it changes nothing. */
export async function changeEnvironment(
  initiator: SystemInitiator,
  id: string,
  action: EnvironmentAction,
  change: (tx: Prisma.TransactionClient, env: LoadedEnvironment) => Promise<ChangeResult>,
): Promise<{ changed: boolean }>;
export async function changeEnvironment(
  initiator: Initiator,
  id: string,
  action: EnvironmentAction,
  change: (tx: Prisma.TransactionClient, env: LoadedEnvironment) => Promise<ChangeResult>,
): Promise<EnvironmentDetail | { changed: boolean }>;
export async function changeEnvironment(
  actor: Initiator,
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
      const { cancelled, changed } = await db.$transaction((tx) => applyChange(tx, actor, id, action, change), { timeout: 10_000, maxWait: 10_000 });
      await dequeueCancelled(cancelled);
      if (isSystem(actor)) return { changed };
      break;
    } catch (error) {
      if (!(error instanceof StateMoved) || attempt >= 5) {
        if (error instanceof StateMoved) throw new AppError("conflict", "The environment kept changing while this request was being handled. Try again.");
        throw error;
      }
    }
  }
  return getEnvironmentOrThrow(id, actor as Actor);
}

export type EnvironmentDetail = Awaited<ReturnType<typeof getEnvironmentOrThrow>>;

class StateMoved extends Error {}

async function applyChange(
  tx: Prisma.TransactionClient,
  actor: Initiator,
  id: string,
  action: EnvironmentAction,
  change: (tx: Prisma.TransactionClient, env: LoadedEnvironment) => Promise<ChangeResult>,
) {
  const found = await tx.environment.findUnique({ where: { id }, select: loaded });
  if (!found || found.status === "destroyed") {
    if (isSystem(actor)) return { cancelled: [], changed: false };
    throw new AppError("not_found", "There is no such environment.");
  }
  const env: LoadedEnvironment = { ...found, failedCleanupSteps: await tx.cleanupStep.count({ where: { environmentId: id, status: "failed" } }) };
  if (!isSystem(actor)) assertMay(actor, actionSubject(env), action);
  else if (!isAllowed(action, env.status)) return { cancelled: [], changed: false };
  const result = await change(tx, env);
  if (result === null) return { cancelled: [], changed: false };
  const destroying = result.patch?.lifecycle === "destroying" || result.resumeDestroy === true;
  // A destroy does not wait behind work that no longer matters: it stops it, and says which.
  const cancelled = destroying ? await cancelEnvironmentJobs(tx, env.id, { except: [destroyJob.name] }) : [];
  const stopped = cancelled.length > 0 ? `; stopping ${cancelled.map((c) => `${c.title.toLowerCase()} (${c.wasRunning ? "running" : "queued"})`).join(", ")}` : "";
  const now = new Date();
  const written = await writeState(tx, env, { ...result.patch, bumpGeneration: !destroying && !result.clusterUnchanged }, {
    // What Corral does by itself is not activity: an expiry must not keep an environment alive.
    extra: isSystem(actor) ? {} : { lastActivityAt: now, lastActivityKind: ACTIVITY[action] },
    message: `${result.message} (by ${initiatorName(actor)})${stopped}`,
  });
  if (!written) throw new StateMoved();
  await syncUsage(tx, env.id, now);
  if (!result.clusterUnchanged) await enqueue(destroying ? destroyJob : reconcileJob, { environmentId: env.id }, { tx, cause: isSystem(actor) ? `system: ${actor.system}` : actor.email });
  return { cancelled, changed: true };
}

const ACTIVITY: Record<EnvironmentAction, string> = {
  update: "version changed",
  rollback: "rolled back",
  upgrade: "moved to its template's versions",
  retry: "retried",
  destroy: "destroy requested",
  restart: "component restarted",
  scale: "replicas changed",
  "hand-over": "handed over",
  hostnames: "hostnames changed",
  sleep: "put to sleep",
  wake: "woken",
  extend: "expiry extended",
  pin: "pin changed",
};

function actionSubject(env: LoadedEnvironment) {
  return {
    ownerId: env.ownerId,
    status: env.status,
    hasPrevious: env.components.some((c) => c.previousRepository && (c.previousTag || c.previousDigest)),
    hasTemplate: env.templateId !== null,
    cleanupFailed: env.failedCleanupSteps > 0,
    pinned: env.pinnedBy !== null,
  };
}
