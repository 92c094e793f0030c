import "server-only";
import type { V1Deployment, V1Namespace, V1Pod } from "@kubernetes/client-node";
import { type ClusterRef, kubeClients } from "@/lib/kube/client";
import { makeKubeInformer, resilientInformer } from "@/lib/kube/informers";
import { MANAGED_SELECTOR } from "@/lib/kube/labels";
import { onObservationRequested } from "./observation-bus";
import { StatusTracker } from "./status-tracker";

/**
 * Watches everything Corral manages in one cluster — namespaces, deployments, pods, all by
 * the managed-by label — and feeds a status tracker. Three watches a cluster, whatever the
 * number of environments.
 */
export async function watchCluster(cluster: ClusterRef) {
  const { config, core, apps } = kubeClients(cluster);
  const namespaces = resilientInformer<V1Namespace>(`${cluster.name}/namespaces`, () =>
    makeKubeInformer(config, "/api/v1/namespaces", () => core.listNamespace({ labelSelector: MANAGED_SELECTOR }), MANAGED_SELECTOR),
  );
  const deployments = resilientInformer<V1Deployment>(`${cluster.name}/deployments`, () =>
    makeKubeInformer(config, "/apis/apps/v1/deployments", () => apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR }), MANAGED_SELECTOR),
  );
  const pods = resilientInformer<V1Pod>(`${cluster.name}/pods`, () =>
    makeKubeInformer(config, "/api/v1/pods", () => core.listPodForAllNamespaces({ labelSelector: MANAGED_SELECTOR }), MANAGED_SELECTOR),
  );

  const tracker = new StatusTracker(cluster.id, {
    deployments: (ns) => deployments.informer.list(ns),
    pods: (ns) => pods.informer.list(ns),
    namespaceExists: (name) => namespaces.informer.get(name) !== undefined,
  });
  const changed = (o: V1Deployment | V1Pod | V1Namespace) => tracker.objectChanged(o);
  for (const event of ["add", "update", "delete"] as const) {
    deployments.informer.on(event, changed);
    pods.informer.on(event, changed);
    namespaces.informer.on(event, changed);
  }
  namespaces.informer.on("delete", (ns) => tracker.namespaceDeleted(ns));
  const off = onObservationRequested((id) => tracker.markDirty(id));

  const stop = async () => {
    off();
    tracker.stop();
    await Promise.all([namespaces.stop(), deployments.stop(), pods.stop()]);
  };
  const listed = await Promise.all([namespaces.start(), deployments.start(), pods.start()]);
  if (!listed.every(Boolean)) {
    // Judging status from half-empty caches would mark healthy environments Degraded; the
    // worker tries this cluster again at its next sweep.
    await stop();
    throw new Error(`the cluster ${cluster.name} could not be listed`);
  }
  await tracker.begin();
  return { stop };
}
