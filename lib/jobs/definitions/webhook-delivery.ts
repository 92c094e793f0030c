import { z } from "zod";
import { defineJob } from "../define-job";

/**
 * One attempt at a webhook delivery. A failure the receiver may get over (no answer, 429, 5xx)
 * enqueues the next attempt, delayed by a jittered exponential backoff (1–2 s, 2–4 s, … up to
 * 15 min; twelve attempts over 30–45 minutes), in the transaction that records this one: the
 * delay is Corral's own (lib/webhooks/delivery-decision.ts), not the queue's, so it honours a
 * Retry-After and the log can say when. Idempotent: an attempt already recorded is not made
 * again, so a job run twice neither sends twice (after it recorded) nor forks the chain. The
 * queue's own retries are for Corral's failures (its database, a crash), not the receiver's.
 */
export const webhookDeliveryJob = defineJob({
  name: "webhook-delivery",
  title: "Webhook delivery",
  // The attempt this job makes, 1-based, in the delivery's current round.
  schema: z.object({ deliveryId: z.string().min(1).max(64), attempt: z.number().int().min(1).max(1_000) }),
  retry: { limit: 5, delaySeconds: 5, backoff: true, maxDelaySeconds: 120 },
  timeoutSeconds: 60,
  handler: async (p, ctx) => {
    const { deliverWebhook } = await import("@/lib/webhooks/deliver-webhook");
    await deliverWebhook(p.deliveryId, p.attempt, ctx);
  },
});
