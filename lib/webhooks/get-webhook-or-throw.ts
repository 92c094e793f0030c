import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { assertMayManageWebhooks } from "./authorize-webhook";
import { webhookSelect } from "./webhook-dto";

/** A subscription this actor may manage: 404 when there is none, 403 when it is not theirs to manage. */
export async function getWebhookOrThrow(actor: Actor, id: string) {
  const row = await db.webhookSubscription.findUnique({ where: { id }, select: webhookSelect });
  if (!row) throw new AppError("not_found", "There is no such webhook.");
  assertMayManageWebhooks(actor, row.environment);
  return row;
}
