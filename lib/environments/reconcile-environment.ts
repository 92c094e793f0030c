import "server-only";
import { ensureDefaultCluster } from "@/lib/clusters/default-cluster";
import { db } from "@/lib/db/client";
import type { JobContext } from "@/lib/jobs/define-job";
import { dnsSyncJob } from "@/lib/jobs/definitions/dns-sync";
import { enqueue } from "@/lib/jobs/queue";
import { ApplyIncomplete, applyObjects, claimNamespace, pruneObjects } from "@/lib/kube/apply";
import { type KubeClients, kubeClients } from "@/lib/kube/client";
import { KubeError, MISCONFIGURED, toKubeError } from "@/lib/kube/errors";
import { LABELS } from "@/lib/kube/labels";
import { environmentManifests, type EnvironmentSpec, type WakerTarget } from "@/lib/kube/manifests";
import { phaseAfterApply } from "./environment-state";
import { formatImage } from "./image-ref";
import { requestObservation } from "./observation-bus";
import { syncHostnameRows } from "./sync-hostname-rows";
import { ensureEnvironmentStores } from "@/lib/data/ensure-environment-stores";
import { isDataProblem } from "@/lib/data/data-problem";
import { updateState } from "./write-state";

const include = { components: { orderBy: { name: "asc" } }, template: true, cluster: true, owner: { select: { email: true } } } as const;

export type ReconcileContext = Pick<JobContext, "lastAttempt" | "log" | "retryTransient"> & Partial<Pick<JobContext, "runAgainAfter">>;

// How often a wake in start order looks again whether the group before is ready.
const START_ORDER_RECHECK_SECONDS = 2;

/**
 * One pass of the reconciler for one environment: read the desired state, bring the cluster
 * to it with server-side apply, prune what is no longer wanted, record the generation
 * applied. Safe to run any number of times, from any worker, after any crash: every step is
 * idempotent and the next pass re-reads everything (server-side apply makes the objects an
 * earlier pass applied cost a round trip each, and change nothing). Transient failures (the
 * API server throttling, answering 5xx, dropping connections, after lib/kube's own retries)
 * never make it Failed: it keeps its status with the reason — the object still owed and when
 * the next pass comes — and the job runs again after a capped backoff, for as long as it takes.
 * Only refusals (invalid, forbidden, over quota, a namespace not its own, a cluster Corral
 * cannot use) make the environment Failed with the reason.
 * Destroying is not done here: that is the destroy job's clean-up steps.
 */
export async function reconcileEnvironment(environmentId: string, ctx: ReconcileContext) {
  let env = await db.environment.findUnique({ where: { id: environmentId }, include });
  if (!env || env.lifecycle !== "active") return;
  if (env.appliedGeneration >= env.desiredGeneration && env.phase === "failed") return;
  const generation = env.desiredGeneration;

  if (!env.cluster) {
    const cluster = await ensureDefaultCluster();
    if (!cluster) return fail(env.id, generation, "No cluster is configured to place this environment on. An admin must add one.");
    await db.environment.update({ where: { id: env.id }, data: { clusterId: cluster.id } });
    env = { ...env, clusterId: cluster.id, cluster };
  }

  // The template's stores first, so the first pods already read their credentials. A store host
  // that is down is retried like the cluster; one that refuses marks only that store failed.
  let data: Record<string, string>;
  try {
    data = await ensureEnvironmentStores({ id: env.id, name: env.name, templateKinds: env.template?.dataStores ?? [] }, ctx.log);
  } catch (error) {
    if (isDataProblem(error, "unavailable")) return retryLater(env.id, `Making its data stores: ${error.message}`, 0, ctx);
    if (!ctx.lastAttempt) throw error;
    return fail(env.id, generation, `A data store could not be made: ${isDataProblem(error) ? error.message : "its host did not answer"}. Retry when it is back.`);
  }

  // What the pass is doing, for the reason shown if the cluster fails it transiently.
  let doing = "Reaching the cluster";
  try {
    const kube = kubeClients(env.cluster!);
    const hostnames = await syncHostnameRows(env);
    const held = env.power === "awake" ? await heldInStartOrder(kube, env) : new Set<string>();
    const spec = toSpec(env, hostnames, held);
    const objects = environmentManifests({ ...spec, data });
    doing = "Creating the namespace";
    if ((await claimNamespace(kube, objects[0]!, LABELS.environment, env.id)) === "foreign") {
      return fail(env.id, generation, `A namespace named ${env.name} already exists in the cluster and is not this environment's; Corral leaves it alone.`);
    }
    doing = `Applying ${objects.length} objects`;
    await applyObjects(kube, objects);
    // A first apply of the first desired state has nothing older to prune (six list calls saved per create).
    const firstEver = env.appliedAt === null && generation === 1;
    doing = "Removing what is no longer wanted";
    const pruned = firstEver ? [] : await pruneObjects(kube, env.name, env.id, objects);
    if (pruned.length > 0) {
      ctx.log.info({ environmentId, pruned }, "pruned what is no longer wanted");
      await db.historyEntry.create({ data: { environmentId, message: `Removed what is no longer wanted: ${pruned.join(", ")}` } });
    }
    if (held.size > 0) {
      // Not applied yet: the later groups start once the earlier ones are ready.
      ctx.log.info({ environmentId, held: [...held] }, "starting in order: waiting for an earlier group");
      requestObservation(env.id);
      ctx.runAgainAfter?.(START_ORDER_RECHECK_SECONDS);
      return;
    }
    await updateState(db, env.id, (now) =>
      now.lifecycle !== "active"
        ? null
        : now.appliedGeneration >= generation
          ? now.retryReason !== null || now.retryAt !== null
            ? { patch: { retryReason: null, retryAt: null } }
            : null
          : { patch: { appliedGeneration: generation, appliedAt: now.appliedAt ?? new Date(), phase: phaseAfterApply(now), phaseReason: null, retryReason: null, retryAt: null } },
    );
    requestObservation(env.id);
    // The names' records follow in the cluster's DNS sync (one pass for many environments).
    if (env.cluster?.dnsDomain) await enqueue(dnsSyncJob, { clusterId: env.cluster.id }, { cause: `environment ${env.name}` });
  } catch (error) {
    if (error instanceof KubeError && error.transient) {
      const what = error instanceof ApplyIncomplete ? applyingWords(error) : doing;
      return retryLater(env.id, `${what}: ${error.transientWords}`, error.retryAfterSeconds ?? 0, ctx);
    }
    const e = toKubeError(error);
    // Not the cluster's answer (the database, a bug): the queue tries again, a few times.
    if (!(error instanceof KubeError) && !ctx.lastAttempt) throw error;
    ctx.log.warn({ environmentId, status: e.status, reason: e.reason, err: e.message }, "reconcile failed");
    return fail(env.id, generation, plainReason(e));
  }
}

/** What the cluster refused, recorded as seen: the generation is dealt with, so nothing retries a refusal by itself. */
async function fail(environmentId: string, generation: number, reason: string) {
  await updateState(db, environmentId, (now) =>
    now.lifecycle !== "active" || now.desiredGeneration !== generation
      ? null
      : { patch: { phase: "failed", phaseReason: reason, appliedGeneration: generation, retryReason: null, retryAt: null } },
  );
}

/**
 * A transient failure: the environment keeps its status, says why it waits and when the next
 * pass comes, and the job runs again after a capped backoff (the sweep leaves it alone until then).
 */
async function retryLater(environmentId: string, why: string, atLeastSeconds: number, ctx: ReconcileContext) {
  const { attempt, delaySeconds } = await ctx.retryTransient(why, { atLeastSeconds });
  const reason = `${why}; retrying, attempt ${attempt}, next in ${delaySeconds} s.`;
  const retryAt = new Date(Date.now() + delaySeconds * 1_000);
  ctx.log.info({ environmentId, attempt, retryInSeconds: delaySeconds, err: why }, "reconcile met a transient failure; runs again");
  await updateState(db, environmentId, (now) => (now.lifecycle !== "active" ? null : { patch: { retryReason: reason, retryAt } }));
}

/** "Applying Deployment api and 1 more (6 of 8 applied)": the first object still owed, in the order applied. */
function applyingWords(e: ApplyIncomplete): string {
  const [first, ...more] = e.owed;
  return `Applying ${first}${more.length > 0 ? ` and ${more.length} more` : ""} (${e.applied} of ${e.total} applied)`;
}

export function plainReason(e: KubeError): string {
  if (e.reason === MISCONFIGURED) return `The cluster cannot be used: ${e.message}. An admin must correct the cluster's settings; then Retry.`;
  if (e.status === 0) return `Kubernetes could not be reached: ${e.message}. Retry when the cluster is back.`;
  if (e.status === 403 && /quota/i.test(e.message)) return `The cluster's quota does not allow this: ${e.message}`;
  if (e.status === 403) return `Kubernetes refused: ${e.message}`;
  if (e.status === 422) return `Kubernetes found the request invalid: ${e.message}`;
  return `Kubernetes answered ${e.status} ${e.reason}: ${e.message}`;
}

type Loaded = NonNullable<Awaited<ReturnType<typeof db.environment.findUnique<{ where: { id: string }; include: typeof include }>>>>;

function toSpec(env: Loaded, hostnames: EnvironmentSpec["hostnames"], held: Set<string>): EnvironmentSpec {
  return {
    id: env.id,
    name: env.name,
    owner: env.owner.email,
    template: env.template?.name ?? null,
    quota: (env.template?.quota ?? {}) as Record<string, string>,
    hostnames,
    asleep: env.power === "asleep",
    waker: env.cluster ? wakerTarget(env.cluster.wakerUrl, env.id) : null,
    holding: held.size > 0,
    components: env.components.map((c) => ({
      name: c.name,
      image: formatImage(c),
      replicas: c.replicas,
      port: c.port,
      env: (c.env ?? {}) as Record<string, string>,
      resources: (c.resources ?? {}) as EnvironmentSpec["components"][number]["resources"],
      public: c.public,
      restartedAt: c.restartedAt?.toISOString() ?? null,
      persistent: c.persistent,
      held: held.has(c.name),
    })),
  };
}

/** Where the cluster's ingress reaches Corral's waker for this environment; null without one. */
export function wakerTarget(wakerUrl: string | null, environmentId: string): WakerTarget | null {
  if (!wakerUrl) return null;
  const url = new URL(wakerUrl);
  const scheme = url.protocol === "https:" ? "https" : "http";
  return { scheme, host: url.hostname, port: url.port ? Number(url.port) : scheme === "https" ? 443 : 80, path: `${url.pathname.replace(/\/+$/, "")}/api/waker/${environmentId}` };
}

/**
 * Components to hold at zero while an earlier group of the start order is not ready yet. Only
 * components not running now are held: an ordinary change never scales a running one down.
 */
async function heldInStartOrder(kube: KubeClients, env: Loaded): Promise<Set<string>> {
  const ordered = env.components.filter((c) => c.startOrder !== null && c.replicas > 0);
  if (new Set(ordered.map((c) => c.startOrder)).size < 2) return new Set();
  const list = await kube.apps.listNamespacedDeployment({ namespace: env.name, labelSelector: `${LABELS.environment}=${env.id}` }).catch((error: unknown) => {
    const e = toKubeError(error);
    if (e.status === 404) return { items: [] };
    throw e;
  });
  const running = new Map(list.items.map((d) => [d.metadata?.name ?? "", { replicas: d.spec?.replicas ?? 0, ready: d.status?.readyReplicas ?? 0 }]));
  const held = new Set<string>();
  const groups = [...new Set(ordered.map((c) => c.startOrder!))].sort((a, b) => a - b);
  let earlierReady = true;
  for (const order of groups) {
    const group = ordered.filter((c) => c.startOrder === order);
    if (!earlierReady) for (const c of group) if ((running.get(c.name)?.replicas ?? 0) === 0) held.add(c.name);
    const ready = group.every((c) => {
      const r = running.get(c.name);
      return r !== undefined && r.replicas >= c.replicas && r.ready >= c.replicas;
    });
    earlierReady = earlierReady && ready;
  }
  return held;
}
