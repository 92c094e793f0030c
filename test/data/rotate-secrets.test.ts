import { afterAll, beforeAll, expect, it } from "vitest";
import { SecretBox, generateSecretKey, parseSecretKeys } from "@/lib/secrets/secret-box";
import { startWorld } from "../support/world";

// Rotation as the README tells it: a new key put first, `npm run secrets:rotate`, the old key
// dropped — and every stored secret still opens, now under the new key.

const OLD = process.env.CORRAL_SECRET_KEYS!; // the tests' key (test/support/setup-env.ts)
const NEW = generateSecretKey("rotated");
process.env.CORRAL_SECRET_KEYS = `${NEW},${OLD}`; // before anything reads the configuration

let world: Awaited<ReturnType<typeof startWorld>>;

beforeAll(async () => {
  world = await startWorld("rotate");
}, 60_000);

afterAll(async () => {
  const { db } = await import("@/lib/db/client");
  await db.$disconnect();
  await world?.stop();
});

it("re-seals every stored secret with the first key, leaving none the old key alone can open", async () => {
  const [{ db }, { rotateSecrets }, { dataSourceSecretPurpose }, { installationSecret, installationSecretPurpose }, { webhookSecretPurpose }] = await Promise.all([
    import("@/lib/db/client"),
    import("@/lib/secrets/rotate-secrets"),
    import("@/lib/data/save-data-source"),
    import("@/lib/secrets/secrets"),
    import("@/lib/webhooks/webhook-secret"),
  ]);
  const old = new SecretBox(parseSecretKeys(OLD));
  const source = await db.dataSource.create({ data: { name: "rotating", kind: "redis", host: "127.0.0.1", protected: false } });
  await db.dataSource.update({ where: { id: source.id }, data: { secretEncrypted: old.seal("redis-password", dataSourceSecretPurpose(source.id)) } });
  await db.installationSecret.create({ data: { name: "masking", valueEncrypted: old.seal(Buffer.alloc(32, 7).toString("base64"), installationSecretPurpose("masking")) } });

  const hook = await db.webhookSubscription.create({ data: { url: "https://hooks.example.com/corral", events: ["environment.ready"], secretEncrypted: "" } });
  await db.webhookSubscription.update({ where: { id: hook.id }, data: { secretEncrypted: old.seal("whsec_rotating", webhookSecretPurpose(hook.id)) } });

  expect(await rotateSecrets()).toEqual({ resealed: 3, current: 0 });
  expect(await rotateSecrets()).toEqual({ resealed: 0, current: 3 });

  const onlyNew = new SecretBox(parseSecretKeys(NEW));
  const row = await db.dataSource.findUniqueOrThrow({ where: { id: source.id } });
  expect(row.secretEncrypted).toMatch(/^v1:rotated:/);
  expect(onlyNew.open(row.secretEncrypted!, dataSourceSecretPurpose(source.id))).toBe("redis-password");
  const masking = await db.installationSecret.findUniqueOrThrow({ where: { name: "masking" } });
  expect(onlyNew.open(masking.valueEncrypted, installationSecretPurpose("masking"))).toBe(Buffer.alloc(32, 7).toString("base64"));
  expect(await installationSecret("masking")).toEqual(Buffer.alloc(32, 7));
  const signing = await db.webhookSubscription.findUniqueOrThrow({ where: { id: hook.id } });
  expect(onlyNew.open(signing.secretEncrypted, webhookSecretPurpose(hook.id))).toBe("whsec_rotating");
});
