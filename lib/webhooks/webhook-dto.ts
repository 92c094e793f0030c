import type { Prisma } from "@/lib/db/generated/client";
import type { EventKind } from "./event-kinds";

// What the API answers for a subscription and a delivery. `secretEncrypted` is not selected,
// so the signing secret cannot leak through a response or an audit row; it is returned once,
// by create, beside this.

/** One attempt in a delivery's log. */
export interface AttemptLogEntry {
  at: string;
  /** The receiver's HTTP status; null when it did not answer. */
  status: number | null;
  error: string | null;
  ms: number;
}

export const webhookSelect = {
  id: true,
  url: true,
  description: true,
  events: true,
  environmentId: true,
  active: true,
  createdAt: true,
  updatedAt: true,
  environment: { select: { id: true, name: true, status: true, ownerId: true } },
  createdBy: { select: { email: true, name: true } },
  deliveries: { select: { status: true, responseStatus: true, createdAt: true }, orderBy: { createdAt: "desc" }, take: 1 },
} as const satisfies Prisma.WebhookSubscriptionSelect;

type Row = Prisma.WebhookSubscriptionGetPayload<{ select: typeof webhookSelect }>;

export function toWebhookDto(row: Row) {
  const last = row.deliveries[0];
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events as EventKind[],
    // null: every environment's events.
    environmentId: row.environmentId,
    environment: row.environment ? { id: row.environment.id, name: row.environment.name, status: row.environment.status } : null,
    active: row.active,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastDelivery: last ? { status: last.status, responseStatus: last.responseStatus, createdAt: last.createdAt.toISOString() } : null,
  };
}

export type WebhookDto = ReturnType<typeof toWebhookDto>;

export const deliverySelect = {
  id: true,
  eventId: true,
  kind: true,
  payload: true,
  status: true,
  attempts: true,
  responseStatus: true,
  error: true,
  attemptLog: true,
  createdAt: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
} as const satisfies Prisma.WebhookDeliverySelect;

type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliverySelect }>;

export function toDeliveryDto(row: DeliveryRow) {
  return {
    id: row.id,
    eventId: row.eventId,
    kind: row.kind as EventKind,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.responseStatus,
    // The last attempt's problem in plain words (null once delivered).
    error: row.error,
    attemptLog: (Array.isArray(row.attemptLog) ? row.attemptLog : []) as unknown as AttemptLogEntry[],
    // The body exactly as sent.
    payload: row.payload,
    createdAt: row.createdAt.toISOString(),
    lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
    // While retrying: when the next attempt is due.
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

export type DeliveryDto = ReturnType<typeof toDeliveryDto>;
