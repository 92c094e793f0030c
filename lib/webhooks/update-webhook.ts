import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { assertTargetAllowed } from "./check-target";
import { getWebhookOrThrow } from "./get-webhook-or-throw";
import type { UpdateWebhookInput } from "./schemas";
import { toWebhookDto, webhookSelect } from "./webhook-dto";

/** Changes a subscription's URL, events, description, or pauses and resumes it. Its secret stays. */
export async function updateWebhook(actor: Actor, id: string, input: UpdateWebhookInput) {
  await getWebhookOrThrow(actor, id);
  if (input.url !== undefined) await assertTargetAllowed(input.url);
  const row = await db.webhookSubscription.update({ where: { id }, data: input, select: webhookSelect });
  return toWebhookDto(row);
}
