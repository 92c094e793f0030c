import "server-only";
import { isDeepStrictEqual } from "node:util";
import type { KubernetesObject, V1Deployment, V1Namespace, V1Pod } from "@kubernetes/client-node";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { destroyJob } from "@/lib/jobs/definitions/environment-destroy";
import { reconcileJob } from "@/lib/jobs/definitions/environment-reconcile";
import { enqueue } from "@/lib/jobs/queue";
import { recordSystemAudit } from "@/lib/audit/record-audit";
import { LABELS } from "@/lib/kube/labels";
import { log } from "@/lib/log";
import { formatImage } from "./image-ref";
import { type ObservedStatus, observeComponent, observeEnvironment } from "./observe";
import { readStateSelect, writeState } from "./write-state";

export interface ObjectSource {
  deployments(namespace: string): readonly V1Deployment[];
  pods(namespace: string): readonly V1Pod[];
  namespaceExists(name: string): boolean;
}

const OBSERVED_STATUSES = new Set<string>(["provisioning", "updating", "ready", "degraded"]);

const observableSelect = {
  ...readStateSelect,
  name: true,
  statusReason: true,
  observed: true,
  components: true,
} as const;

type Observable = Prisma.EnvironmentGetPayload<{ select: typeof observableSelect }>;
// Watch events come in bursts (a rollout touches pods and deployments many times a second);
// one pass a burst per environment keeps the database writes few.
const SETTLE_MS = 100;

/**
 * Turns watch events into environment status: marks environments dirty as their objects
 * change and, a moment later, recomputes each one's observation from the watch caches and
 * writes it if it changed. No polling: an idle environment costs nothing.
 */
export class StatusTracker {
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  // Until every watch has listed, an observation would see half the cluster.
  private started = false;
  private stopped = false;

  constructor(
    private readonly clusterId: string,
    private readonly source: ObjectSource,
  ) {}

  objectChanged(object: KubernetesObject): void {
    const id = object.metadata?.labels?.[LABELS.environment];
    if (id) this.markDirty(id);
  }

  namespaceDeleted(namespace: V1Namespace): void {
    const id = namespace.metadata?.labels?.[LABELS.environment];
    if (id) this.onNamespaceGone(id).catch((error: unknown) => log.warn({ err: error, environmentId: id }, "could not act on a deleted namespace"));
  }

  /**
   * The watches have listed: observe every live environment on this cluster once (one whose
   * namespace went while no worker was watching is found here), then each as it changes.
   */
  async begin(): Promise<void> {
    const live = await db.environment.findMany({
      where: { clusterId: this.clusterId, status: { in: [...OBSERVED_STATUSES] as ObservedStatus[] } },
      select: { id: true },
    });
    for (const { id } of live) this.dirty.add(id);
    this.started = true;
    if (this.dirty.size > 0) this.schedule();
  }

  markDirty(environmentId: string): void {
    if (this.stopped) return;
    this.dirty.add(environmentId);
    if (this.started) this.schedule();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.flush());
    }, SETTLE_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    let envs: Observable[];
    try {
      // One query for the whole burst; writes are one an environment, and only on a change.
      // Another cluster's tracker hears every request for observation too, hence the cluster filter.
      envs = await db.environment.findMany({
        where: { id: { in: ids }, clusterId: this.clusterId, status: { in: [...OBSERVED_STATUSES] as ObservedStatus[] } },
        select: observableSelect,
      });
    } catch (error) {
      log.warn({ err: String((error as Error)?.message ?? error) }, "could not read environments to observe; will retry");
      for (const id of ids) this.markDirty(id);
      return;
    }
    for (const env of envs) {
      try {
        await this.observe(env);
      } catch (error) {
        log.warn({ err: error, environmentId: env.id }, "could not record an observation; will retry on the next change");
        this.markDirty(env.id);
      }
    }
  }

  private async observe(env: Observable): Promise<void> {
    const id = env.id;
    if (!this.source.namespaceExists(env.name)) {
      // Gone, or never made: either way the reconciler (re)creates it; no status guess from here.
      if (env.appliedGeneration > 0) await enqueue(reconcileJob, { environmentId: env.id }, { cause: "system: its namespace is missing" });
      return;
    }
    const deployments = this.source.deployments(env.name);
    const pods = this.source.pods(env.name);
    const components = env.components
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) =>
        observeComponent(
          // Asleep, what is wanted of a component is none running (but a persistent one).
          { name: c.name, image: formatImage(c), replicas: env.power === "asleep" && !c.persistent ? 0 : c.replicas },
          deployments.find((d) => d.metadata?.name === c.name),
          pods.filter((p) => p.metadata?.labels?.[LABELS.component] === c.name),
        ),
      );
    // Judged against the status people see now (a rollout in progress stays Updating).
    const observation = observeEnvironment(env.status as ObservedStatus, components, env.appliedGeneration >= env.desiredGeneration);
    const observed = { components: observation.components } as unknown as Prisma.InputJsonValue;
    // Deep equality, not text: Postgres returns jsonb keys in its own order.
    const sameObserved = isDeepStrictEqual(env.observed, observed);
    if (observation.status === env.phase && observation.reason === env.phaseReason && sameObserved) return;
    await db.$transaction(
      async (tx) => {
        const written = await writeState(tx, env, { phase: observation.status, phaseReason: observation.reason }, { extra: { observed } });
        // Someone wrote the state meanwhile (a change, an apply): look again after it.
        if (!written) this.markDirty(id);
      },
      { timeout: 10_000 },
    );
  }

  private async onNamespaceGone(id: string): Promise<void> {
    const env = await db.environment.findUnique({ where: { id }, select: { status: true, lifecycle: true, name: true } });
    if (!env) return;
    // The destroy job finds its namespace step done now, and goes on.
    if (env.lifecycle === "destroying") {
      await enqueue(destroyJob, { environmentId: id }, { cause: "system: its namespace is gone" });
      return;
    }
    // Someone deleted a live environment's namespace: cattle, not pets, so make it again.
    if (OBSERVED_STATUSES.has(env.status)) {
      await enqueue(reconcileJob, { environmentId: id }, { cause: "system: its namespace was deleted outside Corral" });
      await recordSystemAudit({ action: "environment.recreate", targetType: "environment", targetId: id, cause: "system: its namespace was deleted outside Corral", details: { name: env.name } });
    }
  }
}
