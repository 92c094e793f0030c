import type { KubernetesObject } from "@kubernetes/client-node";
import { createHash } from "node:crypto";
import { LABELS, labelValue, MANAGED_BY } from "./labels";

// The objects an environment is made of, built from its desired state alone: the same input
// gives the same objects, so applying them again changes nothing.

export interface ComponentSpec {
  name: string;
  image: string;
  replicas: number;
  port: number | null;
  env: Record<string, string>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  public: boolean;
  /** When someone last asked for a restart: a change of the pod template, so every pod is replaced. */
  restartedAt?: string | null;
  /** Keeps running while the environment sleeps. */
  persistent?: boolean;
  /** Held at zero replicas for now (waking in start order: an earlier group is not ready yet). */
  held?: boolean;
}

/** Where a sleeping environment's names are sent: Corral's waker, as the cluster's ingress reaches it. */
export interface WakerTarget {
  scheme: "http" | "https";
  host: string;
  port: number;
  /** The waker's path for this environment; every path of its names is rewritten to it. */
  path: string;
}

export interface EnvironmentSpec {
  id: string;
  name: string;
  owner: string;
  template: string | null;
  quota: Record<string, string>;
  components: ComponentSpec[];
  /** The names the environment answers at, each routed to one component (lib/environments/hostnames.ts). */
  hostnames: { fqdn: string; componentName: string }[];
  /** Asleep: every Deployment scaled to zero (but persistent components'), everything else kept. */
  asleep: boolean;
  /** Asleep with a waker: its names answer with the waker's "waking up" page, which wakes it. */
  waker?: WakerTarget | null;
  /** Waking in start order and not all up yet: its names stay with the waker until they are. */
  holding?: boolean;
  /** Connection variables of the environment's own stores (lib/data/store-variables.ts), for the data Secret. */
  data?: Record<string, string>;
}

/**
 * Every kind Corral applies inside an environment's namespace. After each apply, objects of
 * these kinds that carry the environment's labels but are no longer wanted are pruned (the
 * ApplySet idea of `kubectl apply --prune`): found by Corral's labels, never by guessing.
 */
export const PRUNABLE_KINDS = [
  { apiVersion: "apps/v1", kind: "Deployment" },
  { apiVersion: "v1", kind: "Service" },
  { apiVersion: "networking.k8s.io/v1", kind: "Ingress" },
  { apiVersion: "v1", kind: "Secret" },
  { apiVersion: "v1", kind: "ResourceQuota" },
  { apiVersion: "v1", kind: "LimitRange" },
] as const;

export const DATA_SECRET = "corral-data";
const QUOTA = "corral-quota";
export const WAKER_SERVICE = "corral-waker";
const LIMITS = "corral-limits";

// Containers that name no resources get these, so one environment cannot starve a node.
const DEFAULT_REQUESTS = { cpu: "50m", memory: "64Mi" };
const DEFAULT_LIMITS = { cpu: "500m", memory: "512Mi" };

export function environmentManifests(env: EnvironmentSpec): KubernetesObject[] {
  const labels = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.environment]: env.id,
    [LABELS.environmentName]: env.name,
    [LABELS.owner]: labelValue(env.owner),
    ...(env.template ? { [LABELS.template]: labelValue(env.template) } : {}),
  };
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace: env.name, labels: { ...labels, ...extra } });

  const objects: KubernetesObject[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: env.name, labels } } as KubernetesObject,
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: meta(LIMITS),
      spec: { limits: [{ type: "Container", defaultRequest: DEFAULT_REQUESTS, default: DEFAULT_LIMITS }] },
    } as KubernetesObject,
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta(DATA_SECRET),
      type: "Opaque",
      // Where this environment's own data lives: its stores' hosts, names and own credentials.
      stringData: { CORRAL_ENVIRONMENT: env.name, ...env.data },
    } as KubernetesObject,
  ];
  if (Object.keys(env.quota).length > 0) {
    objects.push({ apiVersion: "v1", kind: "ResourceQuota", metadata: meta(QUOTA), spec: { hard: env.quota } } as KubernetesObject);
  }

  const dataDigest = env.data && Object.keys(env.data).length > 0 ? digestOf(env.data) : null;
  for (const c of env.components) {
    const selector = { [LABELS.environment]: env.id, [LABELS.component]: c.name };
    const componentLabels = { [LABELS.component]: c.name };
    objects.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(c.name, componentLabels),
      spec: {
        replicas: (env.asleep && !c.persistent) || c.held ? 0 : c.replicas,
        revisionHistoryLimit: 3,
        progressDeadlineSeconds: 300,
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: {
            labels: { ...labels, ...componentLabels },
            // What `kubectl rollout restart` does, under Corral's own name and from its desired state;
            // and a digest of the data Secret, so pods read new store credentials (envFrom is read at start).
            ...(c.restartedAt || dataDigest ? { annotations: { ...(c.restartedAt ? { [LABELS.restartedAt]: c.restartedAt } : {}), ...(dataDigest ? { [LABELS.dataDigest]: dataDigest } : {}) } } : {}),
          },
          spec: {
            containers: [
              {
                name: c.name,
                image: c.image,
                ...(c.port ? { ports: [{ name: "http", containerPort: c.port }] } : {}),
                env: [
                  ...Object.entries(c.env)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, value]) => ({ name, value })),
                ],
                envFrom: [{ secretRef: { name: DATA_SECRET } }],
                ...(c.resources.requests || c.resources.limits ? { resources: c.resources } : {}),
              },
            ],
          },
        },
      },
    } as KubernetesObject);
    if (!c.port) continue;
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(c.name, componentLabels),
      spec: { selector, ports: [{ name: "http", port: c.port, targetPort: c.port }] },
    } as KubernetesObject);
    // One Ingress a component, a rule for each of its names (public components' own and custom ones).
    const hosts = env.hostnames.filter((h) => h.componentName === c.name).map((h) => h.fqdn);
    if (hosts.length > 0) {
      const waking = (env.asleep || env.holding) && !c.persistent && env.waker ? env.waker : null;
      const backend = waking ? { service: { name: WAKER_SERVICE, port: { number: waking.port } } } : { service: { name: c.name, port: { number: c.port } } };
      objects.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { ...meta(c.name, componentLabels), ...(waking ? { annotations: wakerAnnotations(waking) } : {}) },
        spec: { rules: hosts.map((host) => ({ host, http: { paths: [{ path: "/", pathType: "Prefix", backend }] } })) },
      } as KubernetesObject);
    }
  }
  if ((env.asleep || env.holding) && env.waker && objects.some((o) => o.kind === "Ingress")) {
    // ingress-nginx (and the sandbox's ingress) proxy an ExternalName Service's host like any upstream.
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(WAKER_SERVICE),
      spec: { type: "ExternalName", externalName: env.waker.host, ports: [{ name: env.waker.scheme, port: env.waker.port, targetPort: env.waker.port }] },
    } as KubernetesObject);
  }
  return objects;
}

/** Every path of a sleeping name goes to the waker's page for this environment, with Corral's own Host. */
function wakerAnnotations(w: WakerTarget): Record<string, string> {
  return {
    "nginx.ingress.kubernetes.io/upstream-vhost": w.host,
    "nginx.ingress.kubernetes.io/rewrite-target": w.path,
    ...(w.scheme === "https" ? { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" } : {}),
  };
}

function digestOf(values: Record<string, string>): string {
  const sorted = Object.keys(values).sort().map((k) => [k, values[k]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex").slice(0, 16);
}
