import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { actionSubjectOf, environmentSelect, toEnvironmentDto } from "./environment-dto";
import { formatImage } from "./image-ref";
import type { JobProgress } from "@/lib/jobs/define-job";
import { jobDefinition } from "@/lib/jobs/registry";
import { CLEANUP_STEPS } from "./cleanup-steps";
import { getLifecycleSettings } from "@/lib/lifecycle/settings";
import { costOf } from "@/lib/lifecycle/usage";
import { actionsFor, mayAct } from "./state-machine";
import { webhookScopeProblem } from "@/lib/webhooks/authorize-webhook";
import type { ObservedComponent } from "./observe";

const CLEANUP_TITLES = new Map(CLEANUP_STEPS.map((s) => [s.name, s.title]));

/** One environment as `viewer` sees it: components with what the cluster reports, actions, history. */
export async function getEnvironmentOrThrow(id: string, viewer: Actor) {
  const env = await db.environment.findUnique({
    where: { id },
    select: {
      ...environmentSelect,
      observed: true,
      appliedAt: true,
      destroyedBy: true,
      destroyReason: true,
      cluster: { select: { id: true, name: true, kubeContext: true, urlScheme: true, urlPort: true, dnsDomain: true } },
      components: { ...environmentSelect.components, select: { ...environmentSelect.components.select, previousTag: true, previousDigest: true } },
      history: { select: { id: true, fromStatus: true, toStatus: true, message: true, createdAt: true }, orderBy: { createdAt: "desc" }, take: 50 },
      jobs: {
        select: { id: true, kind: true, status: true, cause: true, progress: true, error: true, createdAt: true, startedAt: true, finishedAt: true, cancelRequestedAt: true },
        orderBy: { createdAt: "desc" },
        take: 20,
      },
    },
  });
  if (!env) throw new AppError("not_found", "There is no such environment.");
  const steps = env.lifecycle === "active" ? [] : await db.cleanupStep.findMany({ where: { environmentId: id }, orderBy: { position: "asc" } });
  const observed = ((env.observed as { components?: ObservedComponent[] }).components ?? []).filter((o) => typeof o?.name === "string");
  const previous = new Map(
    env.components
      .filter((c) => c.previousRepository)
      .map((c) => [c.name, formatImage({ repository: c.previousRepository!, tag: c.previousTag, digest: c.previousDigest })]),
  );
  const dto = toEnvironmentDto(env, viewer);
  // Every action, allowed or with the reason it is not: the page offers exactly these.
  const actions = actionsFor(viewer, actionSubjectOf(env)).map(({ action, allowed, reason }) => ({ action, allowed, reason }));
  const mayCancel = mayAct(viewer, env.owner.id, "update");
  const [settings, usage] = await Promise.all([getLifecycleSettings(), db.usageInterval.findMany({ where: { environmentId: id } })]);
  const now = new Date();
  const cost = costOf(usage, settings, env.destroyedAt ?? now);
  const open = usage.find((u) => u.endedAt === null);
  return {
    ...dto,
    actions,
    // May change it at all (whatever the status allows now): sees its env vars and kubectl commands.
    mayChange: mayCancel,
    // May subscribe URLs to its events and read their delivery log.
    mayManageWebhooks: webhookScopeProblem(viewer, { ownerId: env.owner.id }) === null,
    // With its kubeconfig context for those who may change it (the kubectl commands the page offers).
    cluster: env.cluster ? { ...env.cluster, kubeContext: mayCancel ? env.cluster.kubeContext : null } : null,
    components: dto.components.map((c) => ({
      ...c,
      previousImage: previous.get(c.name) ?? null,
      observed: observed.find((o) => o.name === c.name) ?? null,
    })),
    appliedAt: env.appliedAt?.toISOString() ?? null,
    // Its expiry and what it cost: the estimate from requested CPU and memory over the time they ran.
    lifecycle: {
      warnBeforeHours: settings.warnBeforeHours,
      idleSleepHours: settings.idleSleepHours,
      // The latest an extend may move its expiry to now.
      extendUntil: new Date(now.getTime() + settings.maxTtlHours * 3_600_000).toISOString(),
      currency: settings.currency,
      ...cost,
      requests: { cpu: open?.cpu ?? 0, memoryGib: open?.memoryGib ?? 0 },
    },
    // Who or what asked for the destroy, and why: what a destroyed environment's page says.
    destroyedBy: env.destroyedBy,
    destroyReason: env.destroyReason,
    history: env.history.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    jobs: env.jobs.map((j) => ({
      id: j.id,
      kind: j.kind,
      title: jobDefinition(j.kind)?.title ?? j.kind,
      status: j.status,
      cause: j.cause,
      progress: j.progress as JobProgress,
      error: j.error,
      cancelRequested: j.cancelRequestedAt !== null,
      // This viewer may stop it now.
      cancellable: (jobDefinition(j.kind)?.cancellable ?? false) && (j.status === "queued" || j.status === "running") && j.cancelRequestedAt === null && mayCancel,
      createdAt: j.createdAt.toISOString(),
      startedAt: j.startedAt?.toISOString() ?? null,
      finishedAt: j.finishedAt?.toISOString() ?? null,
    })),
    cleanup: steps.map((s) => ({ name: s.name, title: CLEANUP_TITLES.get(s.name) ?? s.name, status: s.status, error: s.error, attempts: s.attempts })),
  };
}

export type EnvironmentDetail = Awaited<ReturnType<typeof getEnvironmentOrThrow>>;
