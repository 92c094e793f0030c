import "server-only";
import { randomBytes } from "node:crypto";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { SecretBox, parseSecretKeys } from "./secret-box";

let box: SecretBox | undefined;

/** The installation's SecretBox, from CORRAL_SECRET_KEYS (validated at start). */
export function secretBox(): SecretBox {
  box ??= new SecretBox(parseSecretKeys(config().CORRAL_SECRET_KEYS));
  return box;
}

const cache = new Map<string, Buffer>();

/**
 * A random value the installation makes once and keeps sealed in Postgres (the masking secret):
 * stable across restarts, processes and key rotations. Two processes racing to make it agree
 * on the first one written.
 */
export async function installationSecret(name: string): Promise<Buffer> {
  const cached = cache.get(name);
  if (cached) return cached;
  const purpose = installationSecretPurpose(name);
  let row = await db.installationSecret.findUnique({ where: { name } });
  if (!row) {
    await db.installationSecret.createMany({
      data: [{ name, valueEncrypted: secretBox().seal(randomBytes(32).toString("base64"), purpose) }],
      skipDuplicates: true,
    });
    row = await db.installationSecret.findUniqueOrThrow({ where: { name } });
  }
  const value = Buffer.from(secretBox().open(row.valueEncrypted, purpose), "base64");
  cache.set(name, value);
  return value;
}

export const installationSecretPurpose = (name: string) => `installation-secret:${name}`;
