import { z } from "zod";
import { defineJob } from "../define-job";

/**
 * Sends one webhook delivery. Retried by the queue with jittered exponential backoff (1–2 s,
 * 2–4 s, … up to 15 min; twelve attempts over about half an hour) on no answer, 429 and 5xx;
 * other answers end it. Idempotent: a delivery already settled is not sent again, and a retry
 * sends the same event id and body with a fresh timestamp and signature.
 */
export const webhookDeliveryJob = defineJob({
  name: "webhook-delivery",
  title: "Webhook delivery",
  schema: z.object({ deliveryId: z.string().min(1).max(64) }),
  retry: { limit: 11, delaySeconds: 1, backoff: true, maxDelaySeconds: 900 },
  timeoutSeconds: 60,
  handler: async (p, ctx) => {
    const { deliverWebhook } = await import("@/lib/webhooks/deliver-webhook");
    await deliverWebhook(p.deliveryId, ctx);
  },
});
