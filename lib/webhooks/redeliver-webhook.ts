import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { webhookDeliveryJob } from "@/lib/jobs/definitions/webhook-delivery";
import { enqueue } from "@/lib/jobs/queue";
import { getWebhookOrThrow } from "./get-webhook-or-throw";
import { deliverySelect, toDeliveryDto } from "./webhook-dto";

/**
 * Sends a settled delivery again: the same event id and body, a fresh timestamp and signature,
 * a new round of attempts. One still being attempted is refused (409): it goes on by itself.
 */
export async function redeliverWebhook(actor: Actor, id: string, deliveryId: string) {
  const subscription = await getWebhookOrThrow(actor, id);
  if (!subscription.active) throw new AppError("conflict", "This webhook is paused: resume it, then redeliver.", { active: false });
  return db.$transaction(
    async (tx) => {
      const { count } = await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, subscriptionId: id, status: { in: ["succeeded", "failed"] } },
        // A new round: its attempts count from 1 again; the log keeps the earlier ones.
        data: { status: "pending", error: null, attempts: 0, nextAttemptAt: null },
      });
      const row = await tx.webhookDelivery.findFirst({ where: { id: deliveryId, subscriptionId: id }, select: deliverySelect });
      if (!row) throw new AppError("not_found", "There is no such delivery of this webhook.");
      if (count === 0) throw new AppError("conflict", `This delivery is still being attempted (${row.attempts} so far); it goes on by itself.`, { status: row.status });
      await enqueue(webhookDeliveryJob, { deliveryId, attempt: 1 }, { tx, cause: actor.email });
      return toDeliveryDto(row);
    },
    { timeout: 5_000 },
  );
}
