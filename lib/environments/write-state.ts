import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import type { EnvironmentLifecycle, EnvironmentPhase, EnvironmentPower, EnvironmentStatus } from "@/lib/db/generated/enums";
import { recordStatusEvent } from "@/lib/webhooks/environment-events";
import { notifyEnvironmentChanged } from "./change-feed";
import { deriveStatus, type EnvironmentState, sameReason } from "./environment-state";

type Client = Prisma.TransactionClient;

/** What a writer read: the state, the status derived from it, and the revision to guard on. */
export interface ReadState extends EnvironmentState {
  id: string;
  retryReason: string | null;
  retryAt: Date | null;
  status: EnvironmentStatus;
  statusReason: string | null;
  revision: number;
}

export const readStateSelect = {
  id: true,
  lifecycle: true,
  power: true,
  phase: true,
  phaseReason: true,
  desiredGeneration: true,
  appliedGeneration: true,
  appliedAt: true,
  retryReason: true,
  retryAt: true,
  status: true,
  statusReason: true,
  revision: true,
} as const;

export interface StatePatch {
  lifecycle?: EnvironmentLifecycle;
  power?: EnvironmentPower;
  phase?: EnvironmentPhase;
  phaseReason?: string | null;
  /** A change of what is wanted: the next desired generation, which the reconciler owes. */
  bumpGeneration?: boolean;
  appliedGeneration?: number;
  appliedAt?: Date;
  /** Work waiting after a transient failure: why, and when it runs again (both null once it gets through). */
  retryReason?: string | null;
  retryAt?: Date | null;
}

/**
 * The one writer of an environment's state: applies the patch to what was read, derives the
 * status, and writes all of it only if nobody wrote since (the revision), with an entry in
 * the history when the status or its reason changes (or a message is given), the webhook event of a
 * new status, and a notice to watching browsers. False when someone else wrote first: read again and decide again.
 */
export async function writeState(
  client: Client,
  env: ReadState,
  patch: StatePatch,
  options: { extra?: Prisma.EnvironmentUpdateManyMutationInput; message?: string } = {},
): Promise<ReadState | null> {
  const { bumpGeneration, ...fields } = patch;
  // A retry belongs to the work it was for: a destroy starting (or ending) leaves the
  // reconciler's waiting behind, unless the writer says otherwise.
  const lifecycleChanged = fields.lifecycle !== undefined && fields.lifecycle !== env.lifecycle;
  const next: ReadState = {
    ...env,
    ...(lifecycleChanged ? { retryReason: null, retryAt: null } : {}),
    ...fields,
    desiredGeneration: env.desiredGeneration + (bumpGeneration ? 1 : 0),
    revision: env.revision + 1,
  };
  const { status, reason } = deriveStatus(next);
  next.status = status;
  next.statusReason = reason;
  const { count } = await client.environment.updateMany({
    where: { id: env.id, revision: env.revision },
    data: {
      ...options.extra,
      lifecycle: next.lifecycle,
      power: next.power,
      phase: next.phase,
      phaseReason: next.phaseReason,
      desiredGeneration: next.desiredGeneration,
      appliedGeneration: next.appliedGeneration,
      appliedAt: next.appliedAt,
      retryReason: next.retryReason,
      retryAt: next.retryAt,
      status,
      statusReason: reason,
      revision: next.revision,
    },
  });
  if (count === 0) return null;
  // Every change of status or of its reason is in the history: a crash loop that follows a
  // pull failure is a new chapter even though the status stays Degraded (its count going up is not).
  if (status !== env.status || !sameReason(reason, env.statusReason) || options.message) {
    await client.historyEntry.create({
      data: { environmentId: env.id, fromStatus: env.status, toStatus: status, message: options.message ?? reason ?? "" },
    });
  }
  // Webhooks hear of a change into Ready, Degraded, Failed or Destroyed once, with the change.
  if (status !== env.status) await recordStatusEvent(client, env.id, env.status, status);
  await notifyEnvironmentChanged(client, { id: env.id, status });
  return next;
}

export interface StateDecision {
  patch: StatePatch;
  extra?: Prisma.EnvironmentUpdateManyMutationInput;
  message?: string;
}

/**
 * For writers that are not a person's request (the reconciler, the observer, the jobs): read,
 * decide, write, and when someone wrote in between, read and decide again. `decide` returns
 * null when there is nothing to write. The state written, or null.
 */
export async function updateState(
  db: { $transaction: <T>(fn: (tx: Client) => Promise<T>, options?: { timeout?: number }) => Promise<T> },
  id: string,
  decide: (env: ReadState) => StateDecision | null,
  attempts = 5,
): Promise<ReadState | null> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const outcome = await db.$transaction(
      async (tx) => {
        const env = await tx.environment.findUnique({ where: { id }, select: readStateSelect });
        if (!env) return { done: true as const, state: null };
        const decision = decide(env);
        if (!decision) return { done: true as const, state: null };
        const state = await writeState(tx, env, decision.patch, { extra: decision.extra, message: decision.message });
        return { done: state !== null, state };
      },
      { timeout: 10_000 },
    );
    if (outcome.done) return outcome.state;
  }
  throw new Error(`environment ${id} kept changing while its state was being written`);
}
