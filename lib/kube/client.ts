import "server-only";
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";

export interface ClusterRef {
  id: string;
  name: string;
  kubeContext: string | null;
  inCluster: boolean;
}

export interface KubeClients {
  config: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
}

// One set of clients per cluster and process: each holds its own HTTP agent and keep-alive pool.
const cache = new Map<string, KubeClients>();

/** Clients for a cluster record: its context of the kubeconfig Corral runs with, or the pod's service account. */
export function kubeClients(cluster: ClusterRef): KubeClients {
  const key = `${cluster.id}:${cluster.kubeContext ?? ""}:${cluster.inCluster}`;
  let clients = cache.get(key);
  if (!clients) {
    const config = new KubeConfig();
    if (cluster.inCluster) config.loadFromCluster();
    else {
      config.loadFromDefault();
      if (cluster.kubeContext) config.setCurrentContext(cluster.kubeContext);
    }
    clients = {
      config,
      core: config.makeApiClient(CoreV1Api),
      apps: config.makeApiClient(AppsV1Api),
      objects: KubernetesObjectApi.makeApiClient(config),
    };
    cache.set(key, clients);
  }
  return clients;
}

/** The context the process's kubeconfig points at, for the default cluster of a fresh install. */
export function currentKubeContext(): string | null {
  const config = new KubeConfig();
  try {
    config.loadFromDefault();
  } catch {
    return null;
  }
  return config.getCurrentContext() || null;
}
