import "server-only";
import { db } from "@/lib/db/client";
import { dataSourceSecretPurpose } from "@/lib/data/save-data-source";
import { storeSecretPurpose } from "@/lib/data/endpoints";
import { secretBox } from "./secrets";

/**
 * Re-seals every stored secret that an older key sealed with CORRAL_SECRET_KEYS's first key:
 * the step between adding a new key (first) and dropping the old one. Each row is rewritten only
 * if it still holds what was read, so a secret changed meanwhile is not overwritten.
 */
export async function rotateSecrets(): Promise<{ resealed: number; current: number }> {
  const box = secretBox();
  let resealed = 0;
  let current = 0;
  const sources = await db.dataSource.findMany({ where: { secretEncrypted: { not: null } }, select: { id: true, secretEncrypted: true } });
  for (const s of sources) {
    if (!box.isStale(s.secretEncrypted!)) {
      current++;
      continue;
    }
    const purpose = dataSourceSecretPurpose(s.id);
    const { count } = await db.dataSource.updateMany({ where: { id: s.id, secretEncrypted: s.secretEncrypted }, data: { secretEncrypted: box.seal(box.open(s.secretEncrypted!, purpose), purpose) } });
    resealed += count;
  }
  const stores = await db.environmentStore.findMany({ where: { secretEncrypted: { not: null } }, select: { id: true, secretEncrypted: true } });
  for (const s of stores) {
    if (!box.isStale(s.secretEncrypted!)) {
      current++;
      continue;
    }
    const purpose = storeSecretPurpose(s.id);
    const { count } = await db.environmentStore.updateMany({ where: { id: s.id, secretEncrypted: s.secretEncrypted }, data: { secretEncrypted: box.seal(box.open(s.secretEncrypted!, purpose), purpose) } });
    resealed += count;
  }
  const installation = await db.installationSecret.findMany();
  for (const s of installation) {
    if (!box.isStale(s.valueEncrypted)) {
      current++;
      continue;
    }
    const purpose = `installation-secret:${s.name}`;
    const { count } = await db.installationSecret.updateMany({ where: { name: s.name, valueEncrypted: s.valueEncrypted }, data: { valueEncrypted: box.seal(box.open(s.valueEncrypted, purpose), purpose) } });
    resealed += count;
  }
  return { resealed, current };
}
