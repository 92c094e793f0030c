import "server-only";
import { type KubernetesObject, PatchStrategy, type V1Namespace } from "@kubernetes/client-node";
import type { KubeClients } from "./client";
import { KubeError, toKubeError } from "./errors";
import { FIELD_MANAGER, LABELS, MANAGED_SELECTOR } from "./labels";
import { PRUNABLE_KINDS } from "./manifests";

/**
 * Server-side apply of every object, as field manager `corral`: the API server merges, so
 * applying the same objects again changes nothing, and fields other managers own (an HPA's
 * replicas, say) are left to them unless Corral set them itself. The namespace goes first,
 * since everything else lives in it.
 */
export async function applyObjects(kube: KubeClients, objects: KubernetesObject[]): Promise<void> {
  const [first, ...rest] = objects;
  if (first?.kind === "Namespace") {
    try {
      await applyOne(kube, first);
    } catch (error) {
      throw new ApplyIncomplete(toKubeError(error), 0, objects.map(named));
    }
  } else if (first) rest.unshift(first);
  // Every object is tried, each with its own retries, so one failing leaves the others applied.
  const outcomes = await Promise.allSettled(rest.map((o) => applyOne(kube, o)));
  const failed = outcomes.flatMap((o, i) => (o.status === "rejected" ? [{ object: rest[i]!, error: toKubeError(o.reason) }] : []));
  if (failed.length === 0) return;
  // A refusal decides what happens next over a transient failure beside it.
  const telling = failed.find((f) => !f.error.transient) ?? failed[0]!;
  throw new ApplyIncomplete(telling.error, objects.length - failed.length, failed.map((f) => named(f.object)));
}

/**
 * An apply that got part of the way: which objects are still owed ("Deployment api"), in the
 * order they are applied. Its status and reason are those of the failure that decides what
 * follows (a refusal before a transient failure).
 */
export class ApplyIncomplete extends KubeError {
  constructor(
    failure: KubeError,
    readonly applied: number,
    readonly owed: string[],
  ) {
    super(failure.status, failure.reason, failure.message, { cause: failure.cause ?? failure });
    this.retryAfterSeconds = failure.retryAfterSeconds;
  }

  get total(): number {
    return this.applied + this.owed.length;
  }
}

function named(object: KubernetesObject): string {
  return `${object.kind} ${object.metadata?.name}`;
}

async function applyOne(kube: KubeClients, object: KubernetesObject) {
  try {
    await kube.objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  } catch (error) {
    const e = toKubeError(error);
    e.message = `${object.kind} ${object.metadata?.name}: ${e.message}`;
    throw e;
  }
}

/**
 * Deletes what Corral applied in the environment's namespace and no longer wants: objects of
 * the prunable kinds that carry Corral's and this environment's labels but are not among
 * `wanted`. Anything without those labels is someone else's and is never touched. The names
 * of what was deleted ("Deployment/worker").
 */
export async function pruneObjects(kube: KubeClients, namespace: string, environmentId: string, wanted: KubernetesObject[]): Promise<string[]> {
  const keep = new Set(wanted.map((o) => `${o.kind}/${o.metadata?.name}`));
  const selector = `${MANAGED_SELECTOR},${LABELS.environment}=${environmentId}`;
  const pruned: string[] = [];
  for (const { apiVersion, kind } of PRUNABLE_KINDS) {
    let items: KubernetesObject[];
    try {
      items = (await kube.objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, selector)).items;
    } catch (error) {
      throw withWhat(error, `listing ${kind}s`);
    }
    for (const item of items) {
      const name = item.metadata?.name;
      if (!name || keep.has(`${kind}/${name}`) || item.metadata?.deletionTimestamp) continue;
      try {
        await kube.objects.delete({ apiVersion, kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, "Background");
      } catch (error) {
        if (toKubeError(error).status !== 404) throw withWhat(error, `${kind} ${name}`);
      }
      pruned.push(`${kind}/${name}`);
    }
  }
  return pruned;
}

function withWhat(error: unknown, what: string) {
  const e = toKubeError(error);
  e.message = `${what}: ${e.message}`;
  return e;
}

/**
 * Creates the namespace unless it exists, and says whose it is: "ours" when it carries this
 * environment's label (made now or before), "foreign" otherwise. Creating first (rather than
 * applying with force) means a namespace someone else makes at the same moment is never
 * taken over: the API server lets only one create win.
 */
export async function claimNamespace(kube: KubeClients, namespace: KubernetesObject, environmentLabel: string, environmentId: string): Promise<"ours" | "foreign"> {
  const name = namespace.metadata?.name ?? "";
  const labels = await readNamespaceLabels(kube, name);
  if (labels) return labels[environmentLabel] === environmentId ? "ours" : "foreign";
  try {
    await kube.core.createNamespace({ body: namespace as V1Namespace, fieldManager: FIELD_MANAGER });
    return "ours";
  } catch (error) {
    const e = toKubeError(error);
    if (e.status !== 409) throw e;
    const now = await readNamespaceLabels(kube, name);
    return now?.[environmentLabel] === environmentId ? "ours" : "foreign";
  }
}

/** Starts deleting a namespace and everything in it; true when it is already gone. */
export async function deleteNamespace(kube: KubeClients, name: string): Promise<boolean> {
  try {
    await kube.core.deleteNamespace({ name, propagationPolicy: "Background" });
    return false;
  } catch (error) {
    const e = toKubeError(error);
    if (e.status === 404) return true;
    throw e;
  }
}

/** The namespace's labels, or null when it does not exist. */
export async function readNamespaceLabels(kube: KubeClients, name: string): Promise<Record<string, string> | null> {
  try {
    const ns = await kube.core.readNamespace({ name });
    return ns.metadata?.labels ?? {};
  } catch (error) {
    const e = toKubeError(error);
    if (e.status === 404) return null;
    throw e;
  }
}
