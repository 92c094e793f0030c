import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { NotificationKind } from "@/lib/db/generated/enums";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import { notifyWebhookJob } from "@/lib/jobs/definitions/lifecycle";
import { enqueue, getBoss } from "@/lib/jobs/queue";
import { getLifecycleSettings } from "./settings";

export interface NewNotification {
  userId: string;
  environmentId: string;
  kind: NotificationKind;
  /** What makes it one of a kind: the expiry it warns of. Once per environment, kind and key. */
  key: string;
  message: string;
}

/**
 * Tells the environment's owner, in the portal and (when one is set) through the notification
 * webhook. Exactly once per environment, kind and key whatever runs twice or crashes between:
 * the row is unique, and its delivery is a job enqueued in the row's own transaction. False
 * when it had already gone out.
 */
export async function notifyOwner(n: NewNotification, alsoInTransaction?: (tx: Prisma.TransactionClient) => Promise<unknown>): Promise<boolean> {
  const settings = await getLifecycleSettings();
  const webhook = settings.notifyWebhookSealed !== null;
  await getBoss();
  try {
    await db.$transaction(async (tx) => {
      const row = await tx.notification.create({ data: { ...n, webhookState: webhook ? "pending" : "none" }, select: { id: true } });
      if (webhook) await enqueue(notifyWebhookJob, { notificationId: row.id }, { tx, cause: `system: ${n.kind} notice` });
      // Outgoing webhooks' event, told exactly when the owner is.
      await alsoInTransaction?.(tx);
    }, { timeout: 10_000, maxWait: 10_000 });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The environment's page, for links in messages; null where Corral does not know its own address. */
export function environmentLink(environmentId: string, baseUrl: string | undefined): string | null {
  return baseUrl ? `${baseUrl.replace(/\/+$/, "")}/environments/${environmentId}` : null;
}
