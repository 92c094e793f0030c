import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { SecretKeyError } from "@/lib/secrets/secret-box";
import { secretBox } from "@/lib/secrets/secrets";
import { assertMayManageWebhooks } from "./authorize-webhook";
import { assertTargetAllowed } from "./check-target";
import type { CreateWebhookInput } from "./schemas";
import { newWebhookSecret } from "./signature";
import { toWebhookDto, webhookSelect } from "./webhook-dto";
import { webhookSecretPurpose } from "./webhook-secret";

/**
 * Subscribes a URL to events, of one environment or of every one. Its signing secret is made
 * here, sealed with the subscription's id bound in, and returned this once.
 */
export async function createWebhook(actor: Actor, input: CreateWebhookInput) {
  const environment = input.environmentId
    ? await db.environment.findUnique({ where: { id: input.environmentId }, select: { id: true, ownerId: true, status: true, name: true } })
    : null;
  if (input.environmentId && !environment) throw new AppError("invalid_input", "Some fields are not valid.", { environmentId: ["There is no such environment."] });
  assertMayManageWebhooks(actor, environment);
  if (environment?.status === "destroyed") throw new AppError("conflict", `${environment.name} is destroyed: it sends no more events.`, { status: environment.status });
  await assertTargetAllowed(input.url);
  const secret = newWebhookSecret();
  try {
    const row = await db.$transaction(
      async (tx) => {
        const made = await tx.webhookSubscription.create({
          data: { url: input.url, description: input.description, events: input.events, environmentId: environment?.id ?? null, createdById: actor.id, secretEncrypted: "" },
          select: { id: true },
        });
        return tx.webhookSubscription.update({ where: { id: made.id }, data: { secretEncrypted: secretBox().seal(secret, webhookSecretPurpose(made.id)) }, select: webhookSelect });
      },
      { timeout: 5_000 },
    );
    return { ...toWebhookDto(row), secret };
  } catch (error) {
    if (error instanceof SecretKeyError) throw new AppError("unavailable", `Corral cannot store the signing secret: ${error.message}.`, undefined, { cause: error });
    throw error;
  }
}

export type CreatedWebhook = Awaited<ReturnType<typeof createWebhook>>;
