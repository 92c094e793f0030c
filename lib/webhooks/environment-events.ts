import "server-only";
import { config } from "@/lib/config";
import type { Prisma } from "@/lib/db/generated/client";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { urlOf } from "@/lib/environments/hostnames";
import { STATUS_EVENTS } from "./event-kinds";
import { recordEvent } from "./record-event";

/** An environment as every environment.* event (and data-copy.finished) carries it. */
export interface EnvironmentEventData {
  id: string;
  name: string;
  status: EnvironmentStatus;
  statusReason: string | null;
  owner: { email: string; name: string };
  template: string | null;
  expiresAt: string | null;
  /** Its live hostnames' URLs, the environment's own name first. */
  urls: string[];
  /** Its page in Corral, when CORRAL_BASE_URL is set. */
  portalUrl: string | null;
}

export async function environmentEventData(tx: Prisma.TransactionClient, id: string): Promise<EnvironmentEventData | null> {
  const env = await tx.environment.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      status: true,
      statusReason: true,
      expiresAt: true,
      owner: { select: { email: true, name: true } },
      template: { select: { name: true } },
      cluster: { select: { urlScheme: true, urlPort: true } },
      hostnames: { where: { status: "active" }, select: { fqdn: true, custom: true }, orderBy: { fqdn: "asc" } },
    },
  });
  if (!env) return null;
  const base = config().CORRAL_BASE_URL;
  return {
    id: env.id,
    name: env.name,
    status: env.status,
    statusReason: env.statusReason,
    owner: env.owner,
    template: env.template?.name ?? null,
    expiresAt: env.expiresAt?.toISOString() ?? null,
    urls: [...env.hostnames].sort((a, b) => Number(a.custom) - Number(b.custom) || a.fqdn.length - b.fqdn.length).map((h) => urlOf(h.fqdn, env.cluster)),
    portalUrl: base ? new URL(`/environments/${env.id}`, base).toString() : null,
  };
}

/**
 * The event of a change of status (environment.ready, .degraded, .failed, .destroyed), called by
 * the one writer of an environment's state in its transaction, only when the status changed.
 * data: { environment, previousStatus }.
 */
export async function recordStatusEvent(tx: Prisma.TransactionClient, id: string, from: EnvironmentStatus, to: EnvironmentStatus) {
  const kind = STATUS_EVENTS[to];
  if (!kind || from === to) return null;
  return recordEvent(tx, {
    kind,
    environmentId: id,
    cause: `system: the environment became ${to}`,
    data: async (client) => ({ environment: await environmentEventData(client, id), previousStatus: from }),
  });
}

/**
 * environment.expiring, for the expiry work to call in the transaction that decides to warn
 * (once per warning: the caller keeps track). data: { environment, expiresAt, expiresInSeconds }.
 */
export async function recordExpiringEvent(tx: Prisma.TransactionClient, id: string, expiresAt: Date) {
  return recordEvent(tx, {
    kind: "environment.expiring",
    environmentId: id,
    cause: "system: expiry",
    data: async (client) => ({
      environment: await environmentEventData(client, id),
      expiresAt: expiresAt.toISOString(),
      expiresInSeconds: Math.max(0, Math.round((expiresAt.getTime() - Date.now()) / 1000)),
    }),
  });
}
