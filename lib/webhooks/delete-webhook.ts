import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { getWebhookOrThrow } from "./get-webhook-or-throw";

/** Removes a subscription and its delivery log; deliveries still queued find nothing to send. */
export async function deleteWebhook(actor: Actor, id: string) {
  const row = await getWebhookOrThrow(actor, id);
  await db.webhookSubscription.deleteMany({ where: { id } });
  return { id: row.id, description: row.description, environmentId: row.environmentId };
}
