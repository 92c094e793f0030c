import "server-only";
import { recordSystemAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db/client";
import { destroyJob } from "@/lib/jobs/definitions/environment-destroy";
import { reconcileJob } from "@/lib/jobs/definitions/environment-reconcile";
import { enqueueMany } from "@/lib/jobs/queue";

const GRACE_MS = 30_000;
const CAUSE = "system: sweep";

/**
 * The safety net under every other path: live environments whose desired state is not yet
 * applied (or that sit in a busy status) get a reconcile, and destroying ones whose clean-up
 * has not failed get their destroy job. The queue keeps one per environment, so sweeping often
 * is cheap; each one the sweep had to start again is audited as the system's doing. Work waiting
 * out a transient failure (retryAt) is left to its own backoff unless that retry is overdue.
 */
export async function sweepEnvironments(): Promise<number> {
  const cutoff = new Date(Date.now() - GRACE_MS);
  const owed = await db.$queryRaw<{ id: string; name: string }[]>`
    SELECT "id", "name" FROM "Environment"
    WHERE "lifecycle" = 'active' AND "status" <> 'failed'
      AND ("retryAt" IS NULL OR "retryAt" < ${cutoff})
      AND ("appliedGeneration" < "desiredGeneration" OR ("status" IN ('provisioning', 'updating') AND "updatedAt" < ${cutoff}))
    LIMIT 1000`;
  const destroying = await db.$queryRaw<{ id: string; name: string }[]>`
    SELECT e."id", e."name" FROM "Environment" e
    WHERE e."lifecycle" = 'destroying' AND e."updatedAt" < ${cutoff}
      AND (e."retryAt" IS NULL OR e."retryAt" < ${cutoff})
      AND NOT EXISTS (SELECT 1 FROM "CleanupStep" s WHERE s."environmentId" = e."id" AND s."status" = 'failed')
    LIMIT 1000`;
  const reconciles = new Set((await enqueueMany(reconcileJob, owed.map((r) => ({ environmentId: r.id })), { cause: CAUSE })).map((p) => p.environmentId));
  const destroys = new Set((await enqueueMany(destroyJob, destroying.map((r) => ({ environmentId: r.id })), { cause: CAUSE })).map((p) => p.environmentId));
  // Only the ones that were not already queued: those the sweep itself started again.
  for (const r of owed.filter((r) => reconciles.has(r.id))) {
    await recordSystemAudit({ action: "environment.resync", targetType: "environment", targetId: r.id, cause: `${CAUSE}: its desired state was not applied`, details: { name: r.name } });
  }
  for (const r of destroying.filter((r) => destroys.has(r.id))) {
    await recordSystemAudit({ action: "environment.destroy-resumed", targetType: "environment", targetId: r.id, cause: `${CAUSE}: its destroy had not finished`, details: { name: r.name } });
  }
  return reconciles.size + destroys.size;
}
