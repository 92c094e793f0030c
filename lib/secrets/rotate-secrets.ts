import "server-only";
import { db } from "@/lib/db/client";
import { dataSourceSecretPurpose } from "@/lib/data/save-data-source";
import { storeSecretPurpose } from "@/lib/data/endpoints";
import { NOTIFY_WEBHOOK_PURPOSE } from "@/lib/lifecycle/settings";
import { webhookSecretPurpose } from "@/lib/webhooks/webhook-secret";
import { installationSecretPurpose, secretBox } from "./secrets";

interface Sealed {
  key: string;
  sealed: string;
  purpose: string;
  /** Writes the re-sealed value only if the row still holds `sealed`; returns the rows written. */
  write(resealed: string): Promise<number>;
}

/**
 * Re-seals every stored secret that an older key sealed with CORRAL_SECRET_KEYS's first key:
 * the step between adding a new key (first) and dropping the old one. Each row is rewritten only
 * if it still holds what was read, so a secret changed meanwhile is not overwritten.
 */
export async function rotateSecrets(): Promise<{ resealed: number; current: number }> {
  const box = secretBox();
  const [sources, stores, installation, settings, webhooks] = await Promise.all([
    db.dataSource.findMany({ where: { secretEncrypted: { not: null } }, select: { id: true, secretEncrypted: true } }),
    db.environmentStore.findMany({ where: { secretEncrypted: { not: null } }, select: { id: true, secretEncrypted: true } }),
    db.installationSecret.findMany(),
    db.lifecycleSettings.findMany({ where: { notifyWebhookSealed: { not: null } }, select: { id: true, notifyWebhookSealed: true } }),
    db.webhookSubscription.findMany({ select: { id: true, secretEncrypted: true } }),
  ]);
  const all: Sealed[] = [
    ...sources.map((s) => ({ key: s.id, sealed: s.secretEncrypted!, purpose: dataSourceSecretPurpose(s.id), write: async (v: string) => (await db.dataSource.updateMany({ where: { id: s.id, secretEncrypted: s.secretEncrypted }, data: { secretEncrypted: v } })).count })),
    ...stores.map((s) => ({ key: s.id, sealed: s.secretEncrypted!, purpose: storeSecretPurpose(s.id), write: async (v: string) => (await db.environmentStore.updateMany({ where: { id: s.id, secretEncrypted: s.secretEncrypted }, data: { secretEncrypted: v } })).count })),
    ...settings.map((s) => ({ key: "notify-webhook", sealed: s.notifyWebhookSealed!, purpose: NOTIFY_WEBHOOK_PURPOSE, write: async (v: string) => (await db.lifecycleSettings.updateMany({ where: { id: s.id, notifyWebhookSealed: s.notifyWebhookSealed }, data: { notifyWebhookSealed: v } })).count })),
    ...installation.map((s) => ({ key: s.name, sealed: s.valueEncrypted, purpose: installationSecretPurpose(s.name), write: async (v: string) => (await db.installationSecret.updateMany({ where: { name: s.name, valueEncrypted: s.valueEncrypted }, data: { valueEncrypted: v } })).count })),
    ...webhooks.map((s) => ({ key: s.id, sealed: s.secretEncrypted, purpose: webhookSecretPurpose(s.id), write: async (v: string) => (await db.webhookSubscription.updateMany({ where: { id: s.id, secretEncrypted: s.secretEncrypted }, data: { secretEncrypted: v } })).count })),
  ];
  let resealed = 0;
  let current = 0;
  for (const item of all) {
    if (!box.isStale(item.sealed)) current++;
    else resealed += await item.write(box.seal(box.open(item.sealed, item.purpose), item.purpose));
  }
  return { resealed, current };
}
