import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type JobContext, PermanentJobError } from "@/lib/jobs/define-job";
import { webhookDeliveryJob } from "@/lib/jobs/definitions/webhook-delivery";
import { SecretKeyError } from "@/lib/secrets/secret-box";
import { secretBox } from "@/lib/secrets/secrets";
import { decideAttempt } from "./delivery-decision";
import { postWebhook } from "./post-webhook";
import { signature } from "./signature";
import type { AttemptLogEntry } from "./webhook-dto";
import { webhookSecretPurpose } from "./webhook-secret";

export const MAX_ATTEMPTS = webhookDeliveryJob.retry.limit + 1;
// The delivery log keeps this many attempts; `attempts` counts them all.
const LOG_ATTEMPTS = 20;

/**
 * The webhook-delivery job: signs the stored body with a fresh timestamp, posts it, and writes
 * the attempt to the delivery log. A retryable failure throws so that the queue tries again
 * later; the last attempt, or an answer no retry can change, settles it as failed with the reason.
 */
export async function deliverWebhook(deliveryId: string, ctx: Pick<JobContext, "signal" | "attempt" | "lastAttempt" | "log">): Promise<void> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, eventId: true, kind: true, payload: true, status: true, attemptLog: true, subscription: { select: { id: true, url: true, active: true, secretEncrypted: true } } },
  });
  // Deleted with its subscription, or settled by an earlier run of this job: nothing to send.
  if (!delivery || delivery.status === "succeeded" || delivery.status === "failed") return;
  const { subscription } = delivery;
  const log = ctx.log.child({ deliveryId, eventId: delivery.eventId, kind: delivery.kind, host: new URL(subscription.url).host });
  if (!subscription.active && delivery.kind !== "webhook.test") {
    await settle(deliveryId, { status: "failed", error: "Not sent: the webhook is paused. Resume it and redeliver." });
    return;
  }
  let secret: string;
  try {
    secret = secretBox().open(subscription.secretEncrypted, webhookSecretPurpose(subscription.id));
  } catch (error) {
    if (!(error instanceof SecretKeyError)) throw error;
    const reason = `Not sent: Corral cannot open the signing secret (${error.message}).`;
    await settle(deliveryId, { status: "failed", error: reason });
    throw new PermanentJobError(reason);
  }

  const timestamp = Math.floor(Date.now() / 1000);
  const outcome = await postWebhook({
    url: subscription.url,
    body: delivery.payload,
    headers: {
      "content-type": "application/json",
      "user-agent": "Corral-Webhooks/1",
      "corral-event-id": delivery.eventId,
      "corral-event-kind": delivery.kind,
      "corral-delivery-id": delivery.id,
      "corral-timestamp": String(timestamp),
      "corral-signature": signature(secret, timestamp, delivery.payload),
    },
    allowPrivate: config().CORRAL_WEBHOOKS_ALLOW_PRIVATE,
    signal: ctx.signal,
  });
  // Cancelled or out of time while sending: the job's own outcome says so, not this attempt.
  ctx.signal.throwIfAborted();
  const decision = decideAttempt(outcome, { number: ctx.lastAttempt ? MAX_ATTEMPTS : Math.min(ctx.attempt, MAX_ATTEMPTS), of: MAX_ATTEMPTS });
  const responseStatus = outcome.kind === "response" ? outcome.status : null;
  const entry: AttemptLogEntry = { at: new Date().toISOString(), status: responseStatus, error: decision.status === "succeeded" ? null : decision.summary, ms: outcome.ms };
  const attemptLog = [...(Array.isArray(delivery.attemptLog) ? (delivery.attemptLog as unknown as AttemptLogEntry[]) : []), entry].slice(-LOG_ATTEMPTS);
  await settle(deliveryId, {
    status: decision.status,
    error: decision.status === "succeeded" ? null : decision.summary,
    responseStatus,
    attempts: { increment: 1 },
    attemptLog: attemptLog as unknown as Prisma.InputJsonValue,
    lastAttemptAt: new Date(),
    ...(decision.status === "succeeded" ? { deliveredAt: new Date() } : {}),
  });
  log.info({ outcome: decision.status, status: responseStatus, ms: outcome.ms, attempt: ctx.attempt }, "webhook attempt");
  if (decision.status === "retrying") throw new Error(decision.summary);
  if (decision.status === "failed") throw new PermanentJobError(decision.summary);
}

/** Writes an attempt's outcome unless the delivery was settled meanwhile (a duplicate run). */
async function settle(id: string, data: Prisma.WebhookDeliveryUpdateManyMutationInput) {
  await db.webhookDelivery.updateMany({ where: { id, status: { in: ["pending", "retrying"] } }, data });
}
