import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { requestsOf } from "./usage";

/**
 * Ends the environment's open usage stretch and starts the next when what it runs changed
 * (power, replicas, resources), or ends it for good once it is destroyed. Called inside the
 * transaction that made the change, so the stretches follow the desired state exactly.
 */
export async function syncUsage(tx: Prisma.TransactionClient, environmentId: string, at: Date): Promise<void> {
  const env = await tx.environment.findUnique({
    where: { id: environmentId },
    select: { ownerId: true, templateId: true, power: true, lifecycle: true },
  });
  if (!env) return;
  const open = await tx.usageInterval.findFirst({ where: { environmentId, endedAt: null }, orderBy: { startedAt: "desc" } });
  if (env.lifecycle === "destroyed") {
    if (open) await tx.usageInterval.update({ where: { id: open.id }, data: { endedAt: at } });
    return;
  }
  const components = await tx.component.findMany({ where: { environmentId }, select: { replicas: true, persistent: true, resources: true } });
  const r = requestsOf(components, env.power);
  const same =
    open &&
    open.power === env.power &&
    open.ownerId === env.ownerId &&
    open.cpu === r.cpu &&
    open.memoryGib === r.memoryGib &&
    open.fullCpu === r.fullCpu &&
    open.fullMemoryGib === r.fullMemoryGib;
  if (same) return;
  if (open) await tx.usageInterval.update({ where: { id: open.id }, data: { endedAt: at } });
  await tx.usageInterval.create({
    data: {
      environmentId,
      ownerId: env.ownerId,
      templateId: env.templateId,
      power: env.power,
      startedAt: at,
      cpu: r.cpu,
      memoryGib: r.memoryGib,
      fullCpu: r.fullCpu,
      fullMemoryGib: r.fullMemoryGib,
    },
  });
}
