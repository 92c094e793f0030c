import "server-only";
import type { V1EnvVar } from "@kubernetes/client-node";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { kubeClients } from "@/lib/kube/client";
import { readNamespaceLabels } from "@/lib/kube/apply";
import { toKubeError } from "@/lib/kube/errors";
import { LABELS } from "@/lib/kube/labels";
import { assertMayAct } from "./state-machine";

export interface EnvVarView {
  name: string;
  /** Null when hidden (a Secret's) or worked out by Kubernetes (a field, a resource). */
  value: string | null;
  /** Where it comes from, in plain words, when not a plain value: "Secret corral-data". */
  from: string | null;
  hidden: boolean;
}

/**
 * A component's environment variables as its containers get them from the cluster: plain
 * values shown, values from Secrets hidden (their names and the Secret shown), ConfigMaps'
 * values shown. Only for those who may change the environment.
 */
export async function readComponentEnv(actor: Actor, id: string, componentName: string): Promise<{ items: EnvVarView[] }> {
  const env = await db.environment.findUnique({
    where: { id },
    select: { id: true, name: true, ownerId: true, status: true, cluster: true, components: { where: { name: componentName }, select: { name: true } } },
  });
  if (!env || env.status === "destroyed") throw new AppError("not_found", "There is no such environment.");
  assertMayAct(actor, env.ownerId, "update");
  if (env.components.length === 0) throw new AppError("not_found", `The environment has no component “${componentName}”.`);
  if (!env.cluster) return { items: [] };
  const kube = kubeClients(env.cluster);
  try {
    // Only this environment's own namespace: one of the same name made by someone else is not ours to read.
    if ((await readNamespaceLabels(kube, env.name))?.[LABELS.environment] !== env.id) return { items: [] };
    const deployment = await kube.apps.readNamespacedDeployment({ namespace: env.name, name: componentName });
    const container = deployment.spec?.template.spec?.containers.find((c) => c.name === componentName) ?? deployment.spec?.template.spec?.containers[0];
    const items: EnvVarView[] = [];
    for (const from of container?.envFrom ?? []) {
      if (from.secretRef?.name) {
        const secret = await kube.core.readNamespacedSecret({ namespace: env.name, name: from.secretRef.name }).catch(notFoundAsNull);
        const keys = [...Object.keys(secret?.data ?? {}), ...Object.keys(secret?.stringData ?? {})];
        for (const key of new Set(keys)) items.push({ name: `${from.prefix ?? ""}${key}`, value: null, from: `Secret ${from.secretRef.name}`, hidden: true });
      } else if (from.configMapRef?.name) {
        const map = await kube.core.readNamespacedConfigMap({ namespace: env.name, name: from.configMapRef.name }).catch(notFoundAsNull);
        for (const [key, value] of Object.entries(map?.data ?? {})) items.push({ name: `${from.prefix ?? ""}${key}`, value, from: `ConfigMap ${from.configMapRef.name}`, hidden: false });
      }
    }
    // Plain `env` entries come after envFrom and win over it, as in the container.
    for (const v of container?.env ?? []) {
      const i = items.findIndex((x) => x.name === v.name);
      if (i >= 0) items.splice(i, 1);
      items.push(view(v));
    }
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)) };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const e = toKubeError(error);
    if (e.status === 404) return { items: [] };
    throw new AppError("unavailable", `The cluster ${env.cluster.name} could not be asked for ${componentName}'s environment: ${e.message}`);
  }
}

function view(v: V1EnvVar): EnvVarView {
  const source = v.valueFrom;
  if (source?.secretKeyRef) return { name: v.name, value: null, from: `Secret ${source.secretKeyRef.name}, key ${source.secretKeyRef.key}`, hidden: true };
  if (source?.configMapKeyRef) return { name: v.name, value: null, from: `ConfigMap ${source.configMapKeyRef.name}, key ${source.configMapKeyRef.key}`, hidden: false };
  if (source?.fieldRef) return { name: v.name, value: null, from: `the pod's ${source.fieldRef.fieldPath}`, hidden: false };
  if (source?.resourceFieldRef) return { name: v.name, value: null, from: `the container's ${source.resourceFieldRef.resource}`, hidden: false };
  return { name: v.name, value: v.value ?? "", from: null, hidden: false };
}

function notFoundAsNull(error: unknown): null {
  if (toKubeError(error).status === 404) return null;
  throw error;
}
