import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { webhookDeliveryJob } from "@/lib/jobs/definitions/webhook-delivery";
import { enqueue } from "@/lib/jobs/queue";
import type { EventKind } from "./event-kinds";

/** What a webhook's body holds: the event's id (the same for every subscription and every retry), its kind, when, and its data. */
export interface WebhookEventBody<D = unknown> {
  id: string;
  type: EventKind;
  createdAt: string;
  data: D;
}

export interface EventInput {
  kind: EventKind;
  /** The environment it is about: its own subscriptions get it as well as the installation's. */
  environmentId?: string | null;
  /** The event's data, or a function that reads it (called only when some subscription wants the event). */
  data: object | ((tx: Prisma.TransactionClient) => Promise<object>);
  /** Only this subscription, whatever its events (a test). */
  subscriptionId?: string;
  /** Who or what caused it, for the job's log: "dev@example.com", "system: status". */
  cause?: string;
}

/**
 * Records an event inside the transaction that makes the change it tells of: one delivery row
 * per subscription that wants it and one delivery job each, committed with the change or not at
 * all, so no event is sent for a change rolled back and none is lost for one committed. The
 * event's id, or null when no subscription wants it.
 */
export async function recordEvent(tx: Prisma.TransactionClient, input: EventInput): Promise<{ eventId: string; deliveries: number } | null> {
  const environmentId = input.environmentId ?? null;
  const subscriptions = await tx.webhookSubscription.findMany({
    where: input.subscriptionId
      ? { id: input.subscriptionId }
      : {
          active: true,
          events: { has: input.kind },
          OR: [{ environmentId: null }, ...(environmentId ? [{ environmentId }] : [])],
        },
    select: { id: true },
  });
  if (subscriptions.length === 0) return null;
  const data = typeof input.data === "function" ? await input.data(tx) : input.data;
  const eventId = `evt_${randomUUID().replace(/-/g, "")}`;
  const body: WebhookEventBody = { id: eventId, type: input.kind, createdAt: new Date().toISOString(), data };
  const payload = JSON.stringify(body);
  const rows = await tx.webhookDelivery.createManyAndReturn({
    data: subscriptions.map((s) => ({ subscriptionId: s.id, eventId, kind: input.kind, payload })),
    select: { id: true },
    skipDuplicates: true,
  });
  for (const row of rows) await enqueue(webhookDeliveryJob, { deliveryId: row.id, attempt: 1 }, { tx, cause: input.cause ?? `event ${input.kind}` });
  return { eventId, deliveries: rows.length };
}
