import "server-only";
import { db } from "@/lib/db/client";
import { recordSystemAudit } from "@/lib/audit/record-audit";
import { syncUsage } from "@/lib/lifecycle/sync-usage";
import { type JobContext, PermanentJobError } from "@/lib/jobs/define-job";
import { KubeError, toKubeError } from "@/lib/kube/errors";
import { CLEANUP_STEPS, CleanupStepFailure } from "./cleanup-steps";
import { plainReason } from "./reconcile-environment";
import { updateState } from "./write-state";

// While a step waits (a namespace terminating), look again this often; the watch usually comes first.
const WAITING_RECHECK_SECONDS = 2;

/**
 * The destroy job: the environment's clean-up steps in order, each recorded as it goes so the
 * page shows them; Destroyed when every one is done. A step the cluster fails transiently (after
 * lib/kube's own retries) is tried again after a capped backoff for as long as it takes, with
 * the reason on the environment; one refused is marked failed with its reason, and waits for
 * a Retry. Nothing is ever skipped.
 */
export async function runCleanup(
  environmentId: string,
  ctx: Pick<JobContext, "lastAttempt" | "log" | "cause" | "runAgainAfter" | "progress" | "signal" | "retryTransient">,
) {
  const env = await db.environment.findUnique({ where: { id: environmentId }, include: { cluster: true } });
  if (!env || env.lifecycle !== "destroying") return;
  await db.cleanupStep.createMany({
    data: CLEANUP_STEPS.map((s, position) => ({ environmentId, name: s.name, position })),
    skipDuplicates: true,
  });
  const rows = await db.cleanupStep.findMany({ where: { environmentId }, orderBy: { position: "asc" } });
  let waitingOnRetry = env.retryReason !== null || env.retryAt !== null;
  for (const [index, step] of CLEANUP_STEPS.entries()) {
    const row = rows.find((r) => r.name === step.name);
    if (!row || row.status === "done") continue;
    ctx.signal.throwIfAborted();
    await ctx.progress({ fraction: index / CLEANUP_STEPS.length, message: step.title });
    await db.cleanupStep.update({ where: { id: row.id }, data: { status: "running", attempts: { increment: 1 }, startedAt: row.startedAt ?? new Date() } });
    let outcome: "done" | "waiting";
    try {
      outcome = await step.run(env, { attempts: row.attempts + 1 });
    } catch (error) {
      const stuck = error instanceof CleanupStepFailure;
      if (!stuck && error instanceof KubeError && error.transient) {
        const why = `${step.title}: ${error.transientWords}`;
        const { attempt, delaySeconds } = await ctx.retryTransient(why, { atLeastSeconds: error.retryAfterSeconds ?? 0 });
        const reason = `${why}; retrying, attempt ${attempt}, next in ${delaySeconds} s.`;
        await db.cleanupStep.update({ where: { id: row.id }, data: { status: "pending", error: reason } });
        await noteRetry(environmentId, reason, new Date(Date.now() + delaySeconds * 1_000));
        return;
      }
      const e = toKubeError(error);
      const final = stuck || !e.transient || ctx.lastAttempt;
      const reason = `${step.title}: ${stuck ? error.message : plainReason(e)}`;
      await db.cleanupStep.update({ where: { id: row.id }, data: { status: final ? "failed" : "pending", error: reason } });
      await noteReason(environmentId, final ? `${reason} Destroy is stopped at this step; Retry once it is fixed.` : `${reason} Trying again.`);
      if (final) throw new PermanentJobError(reason, { cause: error });
      throw e;
    }
    // Through, after transient failures: the environment no longer waits on a retry.
    if (waitingOnRetry) {
      await noteRetry(environmentId, null, null);
      waitingOnRetry = false;
    }
    if (outcome === "waiting") {
      await db.cleanupStep.update({ where: { id: row.id }, data: { status: "pending", error: null } });
      ctx.runAgainAfter(WAITING_RECHECK_SECONDS);
      return;
    }
    await db.cleanupStep.update({ where: { id: row.id }, data: { status: "done", error: null, finishedAt: new Date() } });
  }
  await updateState(db, environmentId, (now) =>
    now.lifecycle !== "destroying"
      ? null
      : {
          patch: { lifecycle: "destroyed", phaseReason: null },
          extra: { liveName: null, destroyedAt: new Date(), observed: {} },
          message: "Every clean-up step is done",
        },
  );
  await recordSystemAudit({ action: "environment.destroyed", targetType: "environment", targetId: environmentId, cause: ctx.cause, details: { name: env.name } });
  // Its cost ends with it.
  await db.$transaction((tx) => syncUsage(tx, environmentId, new Date()));
}

/** Why destroying is stuck, on the environment (the status stays Destroying). */
async function noteReason(environmentId: string, reason: string) {
  await updateState(db, environmentId, (now) =>
    now.lifecycle !== "destroying" || (now.phaseReason === reason && now.retryReason === null) ? null : { patch: { phaseReason: reason, retryReason: null, retryAt: null } },
  );
}

/** Why destroying waits on a retry after a transient failure, and when it comes (null, null: no longer). */
async function noteRetry(environmentId: string, reason: string | null, retryAt: Date | null) {
  await updateState(db, environmentId, (now) =>
    now.lifecycle !== "destroying" || (now.retryReason === reason && reason === null) ? null : { patch: { retryReason: reason, retryAt } },
  );
}
