import "server-only";
import { ensureDefaultCluster } from "@/lib/clusters/default-cluster";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { enqueueReconcile } from "@/lib/jobs/queue";
import { log } from "@/lib/log";
import { applyObjects, claimNamespace, deleteNamespace, readNamespaceLabels } from "@/lib/kube/apply";
import { kubeClients } from "@/lib/kube/client";
import { KubeError, MISCONFIGURED, toKubeError } from "@/lib/kube/errors";
import { LABELS } from "@/lib/kube/labels";
import { environmentManifests, type EnvironmentSpec } from "@/lib/kube/manifests";
import { formatImage } from "./image-ref";
import { requestObservation } from "./observation-bus";
import { recordStatus } from "./record-status";

const include = { components: { orderBy: { name: "asc" } }, template: true, cluster: true, owner: { select: { email: true } } } as const;

export interface Attempt {
  retryCount: number;
  retryLimit: number;
}

/**
 * One pass of the reconciler for one environment: read the desired state, bring the cluster
 * to it with server-side apply (or remove it), record what was applied. Safe to run any
 * number of times, from any worker, after any crash: every step is idempotent and the next
 * pass re-reads everything. Transient failures throw, so the queue retries with backoff;
 * refusals (invalid, forbidden, over quota) fail the environment with Kubernetes' reason.
 */
export async function reconcileEnvironment(environmentId: string, attempt: Attempt = { retryCount: 0, retryLimit: 0 }) {
  let env = await db.environment.findUnique({ where: { id: environmentId }, include });
  if (!env || env.status === "destroyed" || env.status === "sleeping") return;
  if (env.status === "failed" && env.appliedGeneration >= env.desiredGeneration) return;

  if (!env.cluster && env.status === "destroying") return finishDestroy(env.id); // never placed: nothing to remove
  if (!env.cluster) {
    const cluster = await ensureDefaultCluster();
    if (!cluster) return fail(env, "No cluster is configured to place this environment on. An admin must add one.");
    await db.environment.update({ where: { id: env.id }, data: { clusterId: cluster.id } });
    env = { ...env, clusterId: cluster.id, cluster };
  }
  const cluster = env.cluster!;
  let kube: ReturnType<typeof kubeClients>;
  try {
    kube = kubeClients(cluster);
    return await reconcileInCluster(env);
  } catch (error) {
    const e = toKubeError(error);
    if (e.transient && attempt.retryCount < attempt.retryLimit) throw e;
    log.warn({ environmentId, status: e.status, reason: e.reason, err: e.message }, "reconcile failed");
    if (env.status !== "destroying") return fail(env, plainReason(e));
    // Destroy is never given up: say why it is stuck, and let the queue and the sweep try again.
    const reason = plainReason(e);
    if (env.statusReason !== reason) await db.$transaction((tx) => recordStatus(tx, env!, "destroying", reason));
    throw e;
  }

  async function reconcileInCluster(env: Loaded) {
    if (env.status === "destroying") return await destroyInCluster(env);
    const generation = env.desiredGeneration;
    const objects = environmentManifests(toSpec(env));
    if ((await claimNamespace(kube, objects[0]!, LABELS.environment, env.id)) === "foreign") {
      return fail(env, `A namespace named ${env.name} already exists in the cluster and is not this environment's; Corral leaves it alone.`);
    }
    await applyObjects(kube, objects);
    await db.environment.updateMany({
      where: { id: env.id, appliedGeneration: { lt: generation } },
      data: { appliedGeneration: generation, appliedAt: new Date() },
    });
    requestObservation(env.id);
  }

  async function destroyInCluster(target: NonNullable<typeof env>) {
    const owner = await readNamespaceLabels(kube, target.name);
    // Never delete a namespace that is not this environment's, whatever its name.
    const gone = owner === null || owner[LABELS.environment] !== target.id || (await deleteNamespace(kube, target.name));
    if (gone) return finishDestroy(target.id);
    // Terminating: the namespace watch finishes the job when it goes; this is the backstop.
    await enqueueReconcile(target.id, { startAfterSeconds: 5 });
  }
}

/** The namespace is gone: the environment is Destroyed, its name free again, its history kept. */
export async function finishDestroy(environmentId: string) {
  await db.$transaction(async (tx) => {
    const env = await tx.environment.findUnique({ where: { id: environmentId }, select: { id: true, status: true } });
    if (env?.status !== "destroying") return;
    await recordStatus(tx, env, "destroyed", null, { liveName: null, destroyedAt: new Date(), observed: {} }, "Namespace deleted");
  });
}

async function fail(env: { id: string; status: EnvironmentStatus; desiredGeneration: number }, reason: string) {
  await db.$transaction(async (tx) => {
    // Record the generation as dealt with, so the sweeper does not retry a refusal forever.
    await recordStatus(tx, env, "failed", reason, { appliedGeneration: env.desiredGeneration });
  });
}

function plainReason(e: KubeError): string {
  if (e.reason === MISCONFIGURED) return `The cluster cannot be used: ${e.message}. An admin must correct the cluster's settings; then Retry.`;
  if (e.status === 0) return `Kubernetes could not be reached: ${e.message}. Retry when the cluster is back.`;
  if (e.status === 403 && /quota/i.test(e.message)) return `The cluster's quota does not allow this: ${e.message}`;
  if (e.status === 403) return `Kubernetes refused: ${e.message}`;
  if (e.status === 422) return `Kubernetes found the request invalid: ${e.message}`;
  return `Kubernetes answered ${e.status} ${e.reason}: ${e.message}`;
}

type Loaded = NonNullable<Awaited<ReturnType<typeof db.environment.findUnique<{ where: { id: string }; include: typeof include }>>>>;

function toSpec(env: Loaded): EnvironmentSpec {
  return {
    id: env.id,
    name: env.name,
    owner: env.owner.email,
    template: env.template?.name ?? null,
    quota: (env.template?.quota ?? {}) as Record<string, string>,
    domain: config().CORRAL_ENV_DOMAIN,
    components: env.components.map((c) => ({
      name: c.name,
      image: formatImage(c),
      replicas: c.replicas,
      port: c.port,
      env: (c.env ?? {}) as Record<string, string>,
      resources: (c.resources ?? {}) as EnvironmentSpec["components"][number]["resources"],
      public: c.public,
    })),
  };
}
