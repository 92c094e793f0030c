import { z } from "zod";
import { EnvironmentStatus, WebhookDeliveryStatus } from "@/lib/db/generated/enums";
import type { Fits } from "@/lib/openapi/fits";
import type { CreatedWebhook } from "./create-webhook";
import type { deleteWebhook } from "./delete-webhook";
import { ALL_EVENT_KINDS, type EventKind } from "./event-kinds";
import type { DeliveryList } from "./list-deliveries";
import type { WebhookList } from "./list-webhooks";
import type { DeliveryDto, WebhookDto } from "./webhook-dto";

// What the webhooks API answers, for the API document (lib/openapi), held to the DTOs by `Fits`.

const iso = z.iso.datetime({ offset: true });
const eventKind = z.enum(ALL_EVENT_KINDS as [EventKind, ...EventKind[]]);

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(eventKind),
    environmentId: z.string().nullable().meta({ description: "Null: every environment's events (set by an admin)." }),
    environment: z.object({ id: z.string(), name: z.string(), status: z.enum(EnvironmentStatus) }).nullable(),
    active: z.boolean().meta({ description: "False while paused: events are not sent." }),
    createdBy: z.object({ email: z.string(), name: z.string() }).nullable().meta({ description: "Null once that person is removed." }),
    createdAt: iso,
    updatedAt: iso,
    lastDelivery: z
      .object({ status: z.enum(WebhookDeliveryStatus), responseStatus: z.number().int().nullable(), createdAt: iso })
      .nullable()
      .meta({ description: "The newest delivery, if any." }),
  })
  .meta({ id: "Webhook" });

export const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().meta({ description: "The signing secret, in this answer only: keep it where the receiver checks signatures." }) })
  .meta({ id: "CreatedWebhook" });

export const webhookListSchema = z.object({ items: z.array(webhookSchema).meta({ description: "Newest first, at most 500." }) }).meta({ id: "WebhookList" });

export const deletedWebhookSchema = z.object({ id: z.string(), description: z.string(), environmentId: z.string().nullable() });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string().meta({ description: "The same for every subscription and every attempt (`Corral-Event-Id`): receivers drop repeats by it." }),
    kind: eventKind,
    status: z.enum(WebhookDeliveryStatus),
    attempts: z.number().int().meta({ description: "Attempts in the current round (a redelivery starts a new one)." }),
    responseStatus: z.number().int().nullable().meta({ description: "The receiver's last HTTP status; null when it did not answer." }),
    error: z.string().nullable().meta({ description: "The last attempt's problem in plain words; null once delivered." }),
    attemptLog: z
      .array(z.object({ at: iso, status: z.number().int().nullable(), error: z.string().nullable(), ms: z.number() }))
      .meta({ description: "The latest attempts, oldest first." }),
    payload: z.string().meta({ description: "The body exactly as sent: JSON `{ id, type, createdAt, data }`." }),
    createdAt: iso,
    lastAttemptAt: iso.nullable(),
    nextAttemptAt: iso.nullable().meta({ description: "While retrying: when the next attempt is due." }),
    deliveredAt: iso.nullable(),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookDeliveryListSchema = z.object({ items: z.array(webhookDeliverySchema).meta({ description: "Newest first." }) }).meta({ id: "WebhookDeliveryList" });

type _Webhook = Fits<WebhookDto, typeof webhookSchema>;
type _Created = Fits<CreatedWebhook, typeof createdWebhookSchema>;
type _List = Fits<WebhookList, typeof webhookListSchema>;
type _Deleted = Fits<Awaited<ReturnType<typeof deleteWebhook>>, typeof deletedWebhookSchema>;
type _Delivery = Fits<DeliveryDto, typeof webhookDeliverySchema>;
type _Deliveries = Fits<DeliveryList, typeof webhookDeliveryListSchema>;
