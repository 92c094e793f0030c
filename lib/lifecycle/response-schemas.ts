import { z } from "zod";
import { EnvironmentPower, EnvironmentStatus, NotificationKind, WebhookDeliveryState } from "@/lib/db/generated/enums";
import type { bulkDestroy } from "@/lib/environments/bulk-destroy";
import type { Fits } from "@/lib/openapi/fits";
import type { listNotifications, markNotificationsRead } from "./notifications";
import type { environmentsOverview, lifecycleForecast } from "./overview";
import type { sendTestNotification } from "./send-test-notification";
import type { settingsDto } from "./settings";
import type { usageReport } from "./usage-report";
import type { WakerAnswer } from "./waker";

// What the lifecycle API answers (expiry, sleep and waking, the lead's overview, cost and
// usage, their settings, notifications), for the API document (lib/openapi), held to the
// services' return types by `Fits`.

const iso = z.iso.datetime({ offset: true });
const money = z.number().meta({ description: "In the installation's currency, rounded to cents." });

export const environmentOverviewSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.enum(EnvironmentStatus),
        statusReason: z.string().nullable(),
        power: z.enum(EnvironmentPower),
        owner: z.object({ id: z.string(), email: z.string(), name: z.string() }),
        template: z.string().nullable().meta({ description: "The template's name; null when made from a list of components." }),
        createdAt: iso,
        lastActivityAt: iso,
        lastActivityKind: z.string().nullable().meta({ description: "What the last activity was, in plain words." }),
        expiresAt: iso.nullable().meta({ description: "Null while pinned." }),
        pinnedBy: z.string().nullable(),
        asleepSince: iso.nullable(),
        cost: money.meta({ description: "Its estimated cost so far: requested CPU and memory over the time they ran." }),
        saved: money.meta({ description: "What sleeping saved." }),
        requests: z.object({ cpu: z.number(), memoryGib: z.number() }).meta({ description: "What it requests now (less while asleep)." }),
      }),
    ),
    truncated: z.boolean().meta({ description: "More than 5,000 matched; narrow the filter." }),
    currency: z.string(),
    totals: z.object({ environments: z.number().int(), cost: money, saved: money }).meta({ description: "Over what the filter kept." }),
    byOwner: z.array(z.object({ owner: z.string(), environments: z.number().int(), cost: money, saved: money })).meta({ description: "Dearest first." }),
    mayBulkDestroy: z.boolean().meta({ description: "The caller may tear environments down in bulk." }),
  })
  .meta({ id: "EnvironmentOverview" });

const PLANNED = ["warn", "sleep", "expire", "destroy-asleep"] as const;

export const lifecycleForecastSchema = z
  .object({
    from: iso,
    to: iso,
    summary: z.object({ warn: z.number().int(), sleep: z.number().int(), expire: z.number().int(), "destroy-asleep": z.number().int() }).meta({ description: "How many of each kind." }),
    events: z
      .array(
        z.object({
          environment: z.object({ id: z.string(), name: z.string(), owner: z.string().meta({ description: "The owner's e-mail." }) }),
          kind: z.enum(PLANNED).meta({ description: "A warning to the owner, a sleep after idling, the expiry, or a destroy after sleeping too long." }),
          at: iso,
        }),
      )
      .meta({ description: "Soonest first." }),
  })
  .meta({ id: "LifecycleForecast" });

export const usageReportSchema = z
  .object({
    by: z.enum(["owner", "template"]),
    currency: z.string(),
    prices: z.object({ cpuHour: z.number(), memoryGibHour: z.number() }),
    keys: z.array(z.string()).meta({ description: "Every owner's e-mail (or template's name) with usage in the range, sorted." }),
    days: z.array(
      z.object({
        day: z.iso.date(),
        environments: z.number().int().meta({ description: "Environments that ran that day (UTC)." }),
        cost: money,
        saved: money,
        byKey: z.record(z.string(), z.object({ environments: z.number().int(), cost: money })),
      }),
    ),
    totals: z.object({ cost: money, saved: money }),
  })
  .meta({ id: "UsageReport" });

export const lifecycleSettingsAnswerSchema = z
  .object({
    maxTtlHours: z.number().int().meta({ description: "The longest an owner may extend an environment to, from now." }),
    warnBeforeHours: z.number().int().meta({ description: "How long before its expiry the owner is warned." }),
    idleSleepHours: z.number().int().nullable().meta({ description: "Idle this long → asleep; null: never." }),
    asleepDestroyHours: z.number().int().nullable().meta({ description: "Asleep this long → destroyed; null: never." }),
    cpuHourPrice: z.number(),
    memoryGibHourPrice: z.number(),
    currency: z.string(),
    notifyWebhookSet: z.boolean().meta({ description: "A notification webhook is set (its URL is a credential: never returned)." }),
    updatedAt: iso,
    updatedBy: z.string().nullable(),
  })
  .meta({ id: "LifecycleSettings" });

export const testNotificationSchema = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable().meta({ description: "The webhook's HTTP status; null when it could not be reached." }),
  message: z.string(),
});

export const notificationListSchema = z
  .object({
    unread: z.number().int(),
    items: z
      .array(
        z.object({
          id: z.string(),
          kind: z.enum(NotificationKind),
          message: z.string(),
          createdAt: iso,
          readAt: iso.nullable(),
          webhookState: z.enum(WebhookDeliveryState).meta({ description: "Whether it was posted to the notification webhook too." }),
          webhookError: z.string().nullable(),
          environment: z.object({ id: z.string(), name: z.string() }),
        }),
      )
      .meta({ description: "The last 50, newest first." }),
  })
  .meta({ id: "NotificationList" });

export const markedReadSchema = z.object({ marked: z.number().int().meta({ description: "How many were unread." }) });

export const bulkDestroyResultSchema = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        name: z.string().nullable(),
        outcome: z.enum(["destroying", "already-destroyed", "refused", "not-found"]),
        message: z.string().nullable().meta({ description: "Why it was refused (or not found), in plain words." }),
      }),
    ),
    destroying: z.number().int().meta({ description: "How many are now being destroyed." }),
  })
  .meta({ id: "BulkDestroyResult" });

export const wakerAnswerSchema = z
  .object({
    corralWaker: z.literal(true).meta({ description: "Marks the waker's answer: one without it is the application, awake again." }),
    environment: z.string().nullable(),
    host: z.string().nullable().meta({ description: "The name visited (X-Forwarded-Host), when it is one of the environment's." }),
    status: z.enum(EnvironmentStatus),
    message: z.string(),
    ready: z.boolean(),
    gone: z.boolean().meta({ description: "It is destroyed or being destroyed: it will not come back." }),
  })
  .meta({ id: "WakerAnswer" });

type _Overview = Fits<Awaited<ReturnType<typeof environmentsOverview>>, typeof environmentOverviewSchema>;
type _Forecast = Fits<Awaited<ReturnType<typeof lifecycleForecast>>, typeof lifecycleForecastSchema>;
type _Usage = Fits<Awaited<ReturnType<typeof usageReport>>, typeof usageReportSchema>;
type _Settings = Fits<ReturnType<typeof settingsDto>, typeof lifecycleSettingsAnswerSchema>;
type _TestNotification = Fits<Awaited<ReturnType<typeof sendTestNotification>>, typeof testNotificationSchema>;
type _Notifications = Fits<Awaited<ReturnType<typeof listNotifications>>, typeof notificationListSchema>;
type _Marked = Fits<Awaited<ReturnType<typeof markNotificationsRead>>, typeof markedReadSchema>;
type _BulkDestroy = Fits<Awaited<ReturnType<typeof bulkDestroy>>, typeof bulkDestroyResultSchema>;
type _Waker = Fits<WakerAnswer, typeof wakerAnswerSchema>;
