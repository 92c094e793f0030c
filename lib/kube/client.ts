import "server-only";
import { AppsV1Api, type Configuration, CoreV1Api, createConfiguration, KubeConfig, KubernetesObjectApi, ServerConfiguration, setHeaderMiddleware } from "@kubernetes/client-node";
import { KubeError, MISCONFIGURED } from "./errors";
import { RetryingHttpLibrary } from "./retrying-http";

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

/**
 * Clients for a cluster record: its context of the kubeconfig Corral runs with, or the pod's
 * service account. A context the kubeconfig lacks is a KubeError saying so, not retried.
 */
export function kubeClients(cluster: ClusterRef): KubeClients {
  const key = `${cluster.id}:${cluster.kubeContext ?? ""}:${cluster.inCluster}`;
  let clients = cache.get(key);
  if (!clients) {
    const config = new KubeConfig();
    if (cluster.inCluster) config.loadFromCluster();
    else {
      config.loadFromDefault();
      if (cluster.kubeContext) {
        if (!config.getContextObject(cluster.kubeContext)) {
          throw new KubeError(0, MISCONFIGURED, `the cluster ${cluster.name} names the kubeconfig context “${cluster.kubeContext}”, which Corral's kubeconfig does not have`);
        }
        config.setCurrentContext(cluster.kubeContext);
      }
    }
    if (!config.getCurrentCluster()) {
      throw new KubeError(0, MISCONFIGURED, `Corral's kubeconfig has no cluster for ${cluster.name} (no current context)`);
    }
    const configuration = retryingConfiguration(config);
    clients = {
      config,
      core: new CoreV1Api(configuration),
      apps: new AppsV1Api(configuration),
      objects: new ObjectApi(configuration, config),
    };
    cache.set(key, clients);
  }
  return clients;
}

/**
 * What KubeConfig.makeApiClient builds, with the HTTP layer that retries transient failures
 * (lib/kube/retry-policy.ts): every call made through these clients is retried in this one place.
 */
function retryingConfiguration(config: KubeConfig): Configuration {
  return createConfiguration({
    baseServer: new ServerConfiguration(config.getCurrentCluster()!.server, {}),
    authMethods: { default: config },
    httpApi: new RetryingHttpLibrary(),
    middleware: [setHeaderMiddleware("User-Agent", "corral")],
  });
}

/** KubernetesObjectApi.makeApiClient, on a configuration of Corral's own. */
class ObjectApi extends KubernetesObjectApi {
  constructor(configuration: Configuration, config: KubeConfig) {
    super(configuration);
    this.setDefaultNamespace(config);
  }
}

/** Why a cluster record's context cannot be used with Corral's kubeconfig, or null when it can. */
export function kubeContextProblem(kubeContext: string | null, inCluster: boolean): string | null {
  if (inCluster) return null;
  const config = new KubeConfig();
  try {
    config.loadFromDefault();
  } catch (error) {
    return `Corral's kubeconfig could not be read: ${(error as Error).message}`;
  }
  if (kubeContext === null) return config.getCurrentContext() ? null : "Corral's kubeconfig has no current context: name one.";
  if (config.getContextObject(kubeContext)) return null;
  const known = config.getContexts().map((c) => c.name);
  return `Corral's kubeconfig has no context “${kubeContext}”${known.length > 0 ? `; it has ${known.map((n) => `“${n}”`).join(", ")}` : ""}.`;
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
