import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { JobContext } from "@/lib/jobs/define-job";
import { webhookDeliveryJob } from "@/lib/jobs/definitions/webhook-delivery";
import { enqueue } from "@/lib/jobs/queue";
import { SecretKeyError } from "@/lib/secrets/secret-box";
import { secretBox } from "@/lib/secrets/secrets";
import { type AttemptDecision, decideAttempt } from "./delivery-decision";
import { postWebhook } from "./post-webhook";
import { signature } from "./signature";
import type { AttemptLogEntry } from "./webhook-dto";
import { webhookSecretPurpose } from "./webhook-secret";

// The delivery log keeps this many attempts; `attempts` counts the round's.
const LOG_ATTEMPTS = 20;

/**
 * Attempt `attempt` of a delivery: signs the stored body with a fresh timestamp, posts it, and
 * records what came of it — with the next attempt enqueued in the same transaction when the
 * receiver may get over it. The record is guarded by the attempt count it read, so a second run
 * of the same job (the queue delivers at least once) records nothing and enqueues nothing.
 */
export async function deliverWebhook(deliveryId: string, attempt: number, ctx: Pick<JobContext, "signal" | "log" | "cause">): Promise<void> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, eventId: true, kind: true, payload: true, status: true, attempts: true, attemptLog: true, subscription: { select: { id: true, url: true, active: true, secretEncrypted: true } } },
  });
  // Deleted with its subscription, settled, or this attempt already made by another run.
  if (!delivery || delivery.status === "succeeded" || delivery.status === "failed" || delivery.attempts !== attempt - 1) return;
  const { subscription } = delivery;
  const log = ctx.log.child({ deliveryId, eventId: delivery.eventId, kind: delivery.kind, host: new URL(subscription.url).host, attempt });
  if (!subscription.active && delivery.kind !== "webhook.test") {
    await record(delivery, attempt, { status: "failed", summary: "Not sent: the webhook is paused. Resume it and redeliver." }, null);
    return;
  }
  let secret: string;
  try {
    secret = secretBox().open(subscription.secretEncrypted, webhookSecretPurpose(subscription.id));
  } catch (error) {
    if (!(error instanceof SecretKeyError)) throw error;
    await record(delivery, attempt, { status: "failed", summary: `Not sent: Corral cannot open the signing secret (${error.message}).` }, null);
    return;
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
  // Stopped while sending (the job's time limit): the queue runs this attempt again.
  ctx.signal.throwIfAborted();
  const decision = decideAttempt(outcome, attempt);
  const recorded = await record(delivery, attempt, decision, outcome.kind === "response" ? outcome.status : null, outcome.ms, ctx.cause);
  log.info({ outcome: decision.status, status: outcome.kind === "response" ? outcome.status : null, ms: outcome.ms, recorded }, "webhook attempt");
}

/** Writes the attempt and, when retrying, enqueues the next; false when another run got there first. */
async function record(
  delivery: { id: string; attemptLog: Prisma.JsonValue },
  attempt: number,
  decision: AttemptDecision,
  responseStatus: number | null,
  ms = 0,
  cause = "system: webhook retry",
): Promise<boolean> {
  const now = new Date();
  const entry: AttemptLogEntry = { at: now.toISOString(), status: responseStatus, error: decision.status === "succeeded" ? null : decision.summary, ms };
  const attemptLog = [...(Array.isArray(delivery.attemptLog) ? (delivery.attemptLog as unknown as AttemptLogEntry[]) : []), entry].slice(-LOG_ATTEMPTS);
  const retryIn = decision.status === "retrying" ? decision.retryInSeconds : null;
  const write = async (client: Prisma.TransactionClient) =>
    (
      await client.webhookDelivery.updateMany({
        where: { id: delivery.id, attempts: attempt - 1, status: { in: ["pending", "retrying"] } },
        data: {
          status: decision.status,
          attempts: attempt,
          error: decision.status === "succeeded" ? null : decision.summary,
          responseStatus,
          attemptLog: attemptLog as unknown as Prisma.InputJsonValue,
          lastAttemptAt: now,
          nextAttemptAt: retryIn === null ? null : new Date(now.getTime() + retryIn * 1000),
          ...(decision.status === "succeeded" ? { deliveredAt: now } : {}),
        },
      })
    ).count === 1;
  // Settled: one guarded statement. Retrying: the next attempt is enqueued with it, or neither is.
  if (retryIn === null) return write(db);
  return db.$transaction(
    async (tx) => {
      if (!(await write(tx))) return false;
      await enqueue(webhookDeliveryJob, { deliveryId: delivery.id, attempt: attempt + 1 }, { tx, cause, startAfterSeconds: retryIn });
      return true;
    },
    { timeout: 10_000 },
  );
}
