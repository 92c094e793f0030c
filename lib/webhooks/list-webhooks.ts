import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { actorMay } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { assertMayManageWebhooks } from "./authorize-webhook";
import { toWebhookDto, webhookSelect } from "./webhook-dto";

const MOST = 500;

/**
 * The subscriptions this actor manages: one environment's, or all of theirs (admins: every
 * one; leads: every environment's; others: those of the environments they own).
 */
export async function listWebhooks(actor: Actor, filter: { environmentId?: string }) {
  let where: Prisma.WebhookSubscriptionWhereInput;
  if (filter.environmentId) {
    const env = await db.environment.findUnique({ where: { id: filter.environmentId }, select: { ownerId: true } });
    if (!env) throw new AppError("not_found", "There is no such environment.");
    assertMayManageWebhooks(actor, env);
    where = { environmentId: filter.environmentId };
  } else if (actorMay(actor, "webhooks:manage-installation")) {
    where = {};
  } else if (actorMay(actor, "webhooks:manage-any")) {
    where = { environmentId: { not: null } };
  } else {
    where = { environment: { ownerId: actor.id } };
  }
  const rows = await db.webhookSubscription.findMany({ where, select: webhookSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: MOST });
  return { items: rows.map(toWebhookDto) };
}

export type WebhookList = Awaited<ReturnType<typeof listWebhooks>>;
