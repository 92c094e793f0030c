import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { SecretKeyError } from "@/lib/secrets/secret-box";
import { secretBox } from "@/lib/secrets/secrets";
import type { LifecycleSettingsInput } from "./schemas";

const SETTINGS_ID = 1;
export const NOTIFY_WEBHOOK_PURPOSE = "lifecycle-settings:notify-webhook";

export type LifecycleSettings = Awaited<ReturnType<typeof readRow>>;

/** The installation's lifecycle settings, made with their defaults the first time they are read. */
export async function getLifecycleSettings(): Promise<LifecycleSettings> {
  return (await db.lifecycleSettings.findUnique({ where: { id: SETTINGS_ID } })) ?? readRow();
}

async function readRow() {
  return db.lifecycleSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID }, update: {} });
}

/** What the API shows: the webhook only as whether one is set. */
export function settingsDto(s: LifecycleSettings) {
  return {
    maxTtlHours: s.maxTtlHours,
    warnBeforeHours: s.warnBeforeHours,
    idleSleepHours: s.idleSleepHours,
    asleepDestroyHours: s.asleepDestroyHours,
    cpuHourPrice: s.cpuHourPrice,
    memoryGibHourPrice: s.memoryGibHourPrice,
    currency: s.currency,
    notifyWebhookSet: s.notifyWebhookSealed !== null,
    updatedAt: s.updatedAt.toISOString(),
    updatedBy: s.updatedBy,
  };
}

export async function updateLifecycleSettings(actor: Actor, input: LifecycleSettingsInput) {
  const { notifyWebhookUrl, ...rest } = input;
  const webhook = notifyWebhookUrl === undefined ? {} : { notifyWebhookSealed: notifyWebhookUrl === "" ? null : seal(notifyWebhookUrl) };
  const saved = await db.lifecycleSettings.upsert({
    where: { id: SETTINGS_ID },
    create: { id: SETTINGS_ID, ...rest, ...webhook, updatedBy: actor.email },
    update: { ...rest, ...webhook, updatedBy: actor.email },
  });
  return settingsDto(saved);
}

// Its URL is a credential: without CORRAL_SECRET_KEYS it cannot be kept, which is a 503 naming the setting.
function seal(url: string): string {
  try {
    return secretBox().seal(url, NOTIFY_WEBHOOK_PURPOSE);
  } catch (error) {
    if (error instanceof SecretKeyError) throw new AppError("unavailable", `Corral cannot store the webhook's URL: ${error.message}.`, undefined, { cause: error });
    throw error;
  }
}

/** The notification webhook's URL, opened only where it is posted to. */
export function notifyWebhookUrl(s: LifecycleSettings): string | null {
  return s.notifyWebhookSealed ? secretBox().open(s.notifyWebhookSealed, NOTIFY_WEBHOOK_PURPOSE) : null;
}
