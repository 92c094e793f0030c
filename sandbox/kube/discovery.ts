import { type ResourceType, groupVersion, resourceTypes, resourceVerbs } from "./resource-types";

export const serverVersion = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-corral-sandbox",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function groups(): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of resourceTypes) if (t.group !== "") out.set(t.group, t.version);
  return out;
}

export function apiGroupList(): Record<string, unknown> {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups()].map(([name, version]) => apiGroup(name, version)),
  };
}

export function apiGroup(name: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: `${name}/${version}`, version };
  return { kind: "APIGroup", apiVersion: "v1", name, versions: [gv], preferredVersion: gv };
}

export function hasGroup(name: string): string | undefined {
  return groups().get(name);
}

export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const inGroup = resourceTypes.filter((t) => t.group === group && t.version === version);
  if (inGroup.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of inGroup) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: resourceVerbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    });
    for (const sub of t.subresources ?? []) resources.push(subresource(t, sub));
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupVersion({ group, version }), resources };
}

function subresource(t: ResourceType, sub: string): Record<string, unknown> {
  if (sub === "log") return { name: `${t.plural}/log`, singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] };
  if (sub === "scale") {
    return { name: `${t.plural}/scale`, singularName: "", namespaced: t.namespaced, group: "autoscaling", version: "v1", kind: "Scale", verbs: ["get", "patch", "update"] };
  }
  return { name: `${t.plural}/${sub}`, singularName: "", namespaced: t.namespaced, kind: t.kind, verbs: ["get", "patch", "update"] };
}
