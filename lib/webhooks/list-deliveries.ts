import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { getWebhookOrThrow } from "./get-webhook-or-throw";
import { deliverySelect, toDeliveryDto } from "./webhook-dto";

/** A subscription's delivery log, newest first. */
export async function listDeliveries(actor: Actor, id: string, options: { limit: number }) {
  await getWebhookOrThrow(actor, id);
  const rows = await db.webhookDelivery.findMany({ where: { subscriptionId: id }, select: deliverySelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: options.limit });
  return { items: rows.map(toDeliveryDto) };
}

export type DeliveryList = Awaited<ReturnType<typeof listDeliveries>>;
