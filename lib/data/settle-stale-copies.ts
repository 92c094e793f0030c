import "server-only";
import { db } from "@/lib/db/client";
import { recordCopyFinished } from "@/lib/webhooks/data-copy-events";

/**
 * Copies whose job ended without the copy saying so — cancelled while it still waited in the
 * queue, dropped because a destroy began, its worker gone on the last attempt — are given the
 * job's outcome, so a copy is never "under way" for ever and never blocks the next one.
 */
export async function settleStaleCopies(environmentId: string): Promise<void> {
  const open = await db.dataCopy.findMany({ where: { environmentId, status: { in: ["pending", "running"] } }, select: { id: true, jobId: true } });
  if (open.length === 0) return;
  const jobs = await db.job.findMany({ where: { id: { in: open.map((c) => c.jobId).filter((id): id is string => id !== null) } }, select: { id: true, status: true, error: true } });
  for (const copy of open) {
    const job = jobs.find((j) => j.id === copy.jobId);
    if (job && (job.status === "queued" || job.status === "running")) continue;
    const status = job?.status === "cancelled" ? "cancelled" : "failed";
    const error = job?.status === "cancelled" ? (job.error ?? "Cancelled.") : (job?.error ?? "Its job ended without finishing the copy.");
    await db.$transaction(
      async (tx) => {
        const { count } = await tx.dataCopy.updateMany({ where: { id: copy.id, status: { in: ["pending", "running"] } }, data: { status, error, finishedAt: new Date() } });
        if (count > 0) await recordCopyFinished(tx, copy.id);
      },
      { timeout: 10_000 },
    );
  }
}
