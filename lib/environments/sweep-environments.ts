import "server-only";
import { db } from "@/lib/db/client";
import { enqueueReconciles } from "@/lib/jobs/queue";

const BUSY = ["provisioning", "updating", "destroying"] as const;
const GRACE_MS = 30_000;

/**
 * The safety net under every other path: environments that owe work (desired state not yet
 * applied, or stuck in a busy status) get a reconcile. The queue keeps one per environment,
 * so sweeping often is cheap.
 */
export async function sweepEnvironments(): Promise<number> {
  const cutoff = new Date(Date.now() - GRACE_MS);
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Environment"
    WHERE "status" IN ('provisioning', 'updating', 'destroying', 'ready', 'degraded')
      AND ("appliedGeneration" < "desiredGeneration" OR ("status"::text = ANY(${[...BUSY]}) AND "updatedAt" < ${cutoff}))
    LIMIT 1000`;
  await enqueueReconciles(rows.map((r) => r.id));
  return rows.length;
}
