import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { getWebhookOrThrow } from "./get-webhook-or-throw";
import { recordEvent } from "./record-event";
import { deliverySelect, toDeliveryDto } from "./webhook-dto";

/**
 * "Send test": a webhook.test event to this one subscription (paused or not, whatever its
 * events), signed and retried like any other; its delivery, to follow in the log.
 * data: { webhook: { id, description, events }, sentBy, message }.
 */
export async function sendTestWebhook(actor: Actor, id: string) {
  const subscription = await getWebhookOrThrow(actor, id);
  return db.$transaction(
    async (tx) => {
      const event = await recordEvent(tx, {
        kind: "webhook.test",
        subscriptionId: id,
        environmentId: subscription.environmentId,
        cause: actor.email,
        data: {
          webhook: { id: subscription.id, description: subscription.description, events: subscription.events },
          sentBy: actor.email,
          message: "A test from Corral: if the signature verifies, this webhook works.",
        },
      });
      const row = await tx.webhookDelivery.findFirstOrThrow({ where: { subscriptionId: id, eventId: event!.eventId }, select: deliverySelect });
      return toDeliveryDto(row);
    },
    { timeout: 5_000 },
  );
}
