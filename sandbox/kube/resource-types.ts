export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Subresources served, e.g. "status", "scale", "log". */
  subresources?: string[];
  /** Columns for kubectl's server-side table printing; the default is Name and Age. */
  categories?: string[];
}

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const resourceTypes: ResourceType[] = [
  { group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace", namespaced: false, shortNames: ["ns"], subresources: ["status"] },
  { group: "", version: "v1", kind: "Node", plural: "nodes", singular: "node", namespaced: false, shortNames: ["no"], subresources: ["status"] },
  { group: "", version: "v1", kind: "Pod", plural: "pods", singular: "pod", namespaced: true, shortNames: ["po"], subresources: ["status", "log"], categories: ["all"] },
  { group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true, shortNames: ["svc"], subresources: ["status"], categories: ["all"] },
  { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true, shortNames: ["cm"] },
  { group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true },
  { group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", singular: "resourcequota", namespaced: true, shortNames: ["quota"], subresources: ["status"] },
  { group: "", version: "v1", kind: "LimitRange", plural: "limitranges", singular: "limitrange", namespaced: true, shortNames: ["limits"] },
  { group: "", version: "v1", kind: "Event", plural: "events", singular: "event", namespaced: true, shortNames: ["ev"] },
  { group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount", namespaced: true, shortNames: ["sa"] },
  { group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true, shortNames: ["deploy"], subresources: ["status", "scale"], categories: ["all"] },
  { group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", singular: "replicaset", namespaced: true, shortNames: ["rs"], subresources: ["status", "scale"], categories: ["all"] },
  { group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", singular: "ingress", namespaced: true, shortNames: ["ing"], subresources: ["status"] },
  { group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", singular: "lease", namespaced: true },
  // Stored as sent, with no controller: kubectl's `create` subcommands make them.
  { group: "batch", version: "v1", kind: "Job", plural: "jobs", singular: "job", namespaced: true, subresources: ["status"], categories: ["all"] },
  { group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", singular: "cronjob", namespaced: true, shortNames: ["cj"], subresources: ["status"], categories: ["all"] },
  { group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"], subresources: ["status"] },
  { group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", singular: "priorityclass", namespaced: false, shortNames: ["pc"] },
  { group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", singular: "role", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", singular: "rolebinding", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", singular: "clusterrole", namespaced: false },
  { group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", singular: "clusterrolebinding", namespaced: false },
];

export const resourceVerbs = verbs;

export function typeKey(t: Pick<ResourceType, "group" | "plural">): string {
  return `${t.group}/${t.plural}`;
}

export function groupVersion(t: Pick<ResourceType, "group" | "version">): string {
  return t.group === "" ? t.version : `${t.group}/${t.version}`;
}

const byKey = new Map(resourceTypes.map((t) => [typeKey(t), t]));
const byKind = new Map(resourceTypes.map((t) => [`${groupVersion(t)}|${t.kind}`, t]));

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  const t = byKey.get(`${group}/${plural}`);
  return t && t.version === version ? t : undefined;
}

export function findTypeByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byKind.get(`${apiVersion}|${kind}`);
}

export function mustFindType(group: string, plural: string): ResourceType {
  const t = byKey.get(`${group}/${plural}`);
  if (!t) throw new Error(`unknown resource type ${group}/${plural}`);
  return t;
}

export const types = {
  namespaces: mustFindType("", "namespaces"),
  nodes: mustFindType("", "nodes"),
  pods: mustFindType("", "pods"),
  services: mustFindType("", "services"),
  events: mustFindType("", "events"),
  deployments: mustFindType("apps", "deployments"),
  replicasets: mustFindType("apps", "replicasets"),
};
