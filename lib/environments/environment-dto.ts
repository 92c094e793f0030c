import type { Actor } from "@/lib/auth/actor";
import type { EnvironmentLifecycle, EnvironmentPower, EnvironmentStatus, HostnameStatus } from "@/lib/db/generated/enums";
import { urlOf } from "./hostnames";
import { formatImage } from "./image-ref";
import { actionsFor } from "./state-machine";

// What the API answers for an environment: an explicit shape, so no column reaches a client
// by accident, and dates as ISO strings because that is what crosses the wire.

export interface ComponentRow {
  id: string;
  name: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  replicas: number;
  port: number | null;
  public: boolean;
  persistent: boolean;
  previousRepository: string | null;
}

export interface HostnameRow {
  id: string;
  fqdn: string;
  componentName: string | null;
  status: HostnameStatus;
  reason: string | null;
  custom: boolean;
}

export interface EnvironmentRow {
  id: string;
  name: string;
  status: EnvironmentStatus;
  statusReason: string | null;
  lifecycle: EnvironmentLifecycle;
  power: EnvironmentPower;
  expiresAt: Date | null;
  pinnedBy: string | null;
  lastActivityAt: Date;
  lastActivityKind: string | null;
  asleepSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
  destroyedAt: Date | null;
  owner: { id: string; email: string; name: string };
  template: { id: string; name: string } | null;
  cluster: { id: string; name: string; urlScheme: string; urlPort: number | null } | null;
  components: ComponentRow[];
  hostnames: HostnameRow[];
  cleanupSteps: { status: string }[];
}

export const environmentSelect = {
  id: true,
  name: true,
  status: true,
  statusReason: true,
  lifecycle: true,
  power: true,
  expiresAt: true,
  pinnedBy: true,
  lastActivityAt: true,
  lastActivityKind: true,
  asleepSince: true,
  createdAt: true,
  updatedAt: true,
  destroyedAt: true,
  owner: { select: { id: true, email: true, name: true } },
  template: { select: { id: true, name: true } },
  cluster: { select: { id: true, name: true, urlScheme: true, urlPort: true } },
  hostnames: {
    where: { status: { not: "deleting" } },
    select: { id: true, fqdn: true, componentName: true, status: true, reason: true, custom: true },
    orderBy: { fqdn: "asc" },
  },
  components: {
    select: { id: true, name: true, repository: true, tag: true, digest: true, replicas: true, port: true, public: true, persistent: true, previousRepository: true },
    orderBy: { name: "asc" },
  },
  cleanupSteps: { where: { status: "failed" }, select: { status: true } },
} as const;

export function actionSubjectOf(env: EnvironmentRow) {
  return {
    ownerId: env.owner.id,
    status: env.status,
    hasPrevious: env.components.some((c) => c.previousRepository !== null),
    hasTemplate: env.template !== null,
    cleanupFailed: env.cleanupSteps.length > 0,
    pinned: env.pinnedBy !== null,
  };
}

/** The environment as `viewer` sees it, with the actions they may take now (or why not). */
export function toEnvironmentDto(env: EnvironmentRow, viewer: Actor) {
  return {
    id: env.id,
    name: env.name,
    status: env.status,
    statusReason: env.statusReason,
    // What is wanted, beside the status derived from it and what was seen.
    desired: { lifecycle: env.lifecycle, power: env.power },
    // What this viewer may do now; the detail adds the reason for each action that is not allowed.
    allowedActions: actionsFor(viewer, actionSubjectOf(env))
      .filter((a) => a.allowed)
      .map((a) => a.action),
    owner: env.owner,
    template: env.template,
    cluster: env.cluster ? { id: env.cluster.id, name: env.cluster.name } : null,
    // Where it answers: the environment's own name first, then its components', then custom ones.
    hostnames: [...env.hostnames]
      .sort((a, b) => Number(a.custom) - Number(b.custom) || a.fqdn.length - b.fqdn.length || a.fqdn.localeCompare(b.fqdn))
      .map((h) => ({ ...h, url: urlOf(h.fqdn, env.cluster), live: h.status === "active" })),
    expiresAt: env.expiresAt?.toISOString() ?? null,
    // Pinned by this lead: no expiry.
    pinnedBy: env.pinnedBy,
    lastActivityAt: env.lastActivityAt.toISOString(),
    lastActivityKind: env.lastActivityKind,
    asleepSince: env.asleepSince?.toISOString() ?? null,
    createdAt: env.createdAt.toISOString(),
    updatedAt: env.updatedAt.toISOString(),
    destroyedAt: env.destroyedAt?.toISOString() ?? null,
    components: env.components.map((c) => ({
      id: c.id,
      name: c.name,
      image: formatImage(c),
      repository: c.repository,
      tag: c.tag,
      digest: c.digest,
      replicas: c.replicas,
      port: c.port,
      public: c.public,
      persistent: c.persistent,
    })),
  };
}

export type EnvironmentDto = ReturnType<typeof toEnvironmentDto>;
