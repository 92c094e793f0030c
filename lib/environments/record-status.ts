import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { notifyEnvironmentChanged } from "./change-feed";

type Client = Prisma.TransactionClient;

/**
 * Moves an environment to a status, with the reason, an event in its history and a change
 * notice for watching browsers. Conditional on the status (and, when given, the desired
 * generation) it was read in, so two writers cannot both win and an observation of an older
 * desired state never lands on a newer one: false when someone else moved it first.
 */
export async function recordStatus(
  client: Client,
  env: { id: string; status: EnvironmentStatus; desiredGeneration?: number },
  to: EnvironmentStatus,
  reason: string | null,
  extra: Prisma.EnvironmentUpdateManyMutationInput = {},
  message?: string,
): Promise<boolean> {
  const { count } = await client.environment.updateMany({
    where: { id: env.id, status: env.status, ...(env.desiredGeneration !== undefined ? { desiredGeneration: env.desiredGeneration } : {}) },
    data: { status: to, statusReason: reason, ...extra },
  });
  if (count === 0) return false;
  if (to !== env.status || message) {
    await client.environmentEvent.create({
      data: { environmentId: env.id, fromStatus: env.status, toStatus: to, message: message ?? reason ?? "" },
    });
  }
  await notifyEnvironmentChanged(client, { id: env.id, status: to });
  return true;
}
