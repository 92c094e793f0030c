import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { AppError } from "@/lib/errors";
import { enqueueReconcile, getBoss } from "@/lib/jobs/queue";
import { assertMayChange } from "./assert-may-change";
import { getEnvironmentOrThrow } from "./get-environment-or-throw";
import { recordStatus } from "./record-status";
import { assertAllowed, type EnvironmentAction } from "./state-machine";

const loaded = {
  id: true,
  name: true,
  status: true,
  ownerId: true,
  desiredGeneration: true,
  appliedAt: true,
  templateId: true,
  components: true,
} as const;

export type LoadedEnvironment = Prisma.EnvironmentGetPayload<{ select: typeof loaded }>;

export interface ChangeResult {
  /** The new status; null when nothing needed to change. */
  status: EnvironmentStatus | null;
  message: string;
}

/**
 * The one path for every change of an environment's desired state: check who and when, let
 * `change` write the new desired state, then in the same short transaction bump the desired
 * generation, move the status, record the event and enqueue the reconcile. Nothing here talks
 * to Kubernetes; the worker does.
 */
export async function changeEnvironment(
  actor: Actor,
  id: string,
  action: EnvironmentAction,
  change: (tx: Prisma.TransactionClient, env: LoadedEnvironment) => Promise<ChangeResult>,
) {
  // Started before the transaction: the first use of the queue in a process sets it up.
  await getBoss();
  await db.$transaction(
    async (tx) => {
      const env = await tx.environment.findUnique({ where: { id }, select: loaded });
      if (!env || env.status === "destroyed") throw new AppError("not_found", "There is no such environment.");
      assertMayChange(actor, env.ownerId, action === "destroy" ? "destroy" : "update");
      assertAllowed(action, env.status);
      const result = await change(tx, env);
      if (result.status === null) return;
      const moved = await recordStatus(tx, env, result.status, null, { desiredGeneration: { increment: 1 }, lastActivityAt: new Date() }, `${result.message} (by ${actor.email})`);
      if (!moved) throw new AppError("conflict", "The environment changed while this request was being handled. Try again.");
      await enqueueReconcile(env.id, { tx });
    },
    { timeout: 10_000 },
  );
  return getEnvironmentOrThrow(id);
}
