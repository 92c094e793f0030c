import type { KubeApi } from "./api";
import { resourceTypes, types } from "./resource-types";
import { nowSeconds } from "./store";
import type { KubeObject } from "./types";

/**
 * Namespaces start Active; a deleted one turns Terminating, and after a delay its contents and
 * then the namespace itself are removed, as the namespace controller does.
 */
export function installNamespaceController(api: KubeApi, terminationDelayMs: () => number): void {
  api.onCreate(types.namespaces, (ns) => {
    ns["spec"] = { finalizers: ["kubernetes"] };
    ns["status"] = { phase: "Active" };
    ns.metadata.labels = { ...ns.metadata.labels, "kubernetes.io/metadata.name": ns.metadata.name };
  });
  api.onDelete(types.namespaces, (ns) => {
    if (ns.metadata.deletionTimestamp) return ns;
    const marked = api.store.mutate(types.namespaces, undefined, ns.metadata.name, (o) => {
      o.metadata.deletionTimestamp = nowSeconds();
      o["status"] = {
        phase: "Terminating",
        conditions: [{ type: "NamespaceContentRemaining", status: "True", lastTransitionTime: nowSeconds(), reason: "SomeResourcesRemain", message: "Some resources are remaining" }],
      };
    });
    setTimeout(() => finish(api, ns), terminationDelayMs()).unref();
    return marked ?? ns;
  });
}

function finish(api: KubeApi, ns: KubeObject): void {
  const current = api.store.get(types.namespaces, undefined, ns.metadata.name);
  if (!current || current.metadata.uid !== ns.metadata.uid) return;
  for (const t of resourceTypes) {
    if (!t.namespaced) continue;
    for (const o of api.store.list(t, ns.metadata.name)) {
      if (api.store.get(t, o.metadata.namespace, o.metadata.name)) api.store.remove(t, o.metadata.namespace, o.metadata.name);
    }
  }
  api.store.remove(types.namespaces, undefined, ns.metadata.name);
}

export function bootstrapCluster(api: KubeApi): void {
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    if (!api.store.get(types.namespaces, undefined, name)) api.create(types.namespaces, undefined, { metadata: { name } });
  }
  if (!api.store.get(types.nodes, undefined, "sandbox-node")) {
    api.create(types.nodes, undefined, {
      metadata: { name: "sandbox-node", labels: { "kubernetes.io/hostname": "sandbox-node", "kubernetes.io/os": "linux" } },
      spec: {},
    });
    api.store.mutate(types.nodes, undefined, "sandbox-node", (n) => {
      n["status"] = {
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: nowSeconds(), lastTransitionTime: nowSeconds() }],
        addresses: [{ type: "InternalIP", address: "10.0.0.10" }, { type: "Hostname", address: "sandbox-node" }],
        capacity: { cpu: "8", memory: "32Gi", pods: "250" },
        allocatable: { cpu: "8", memory: "32Gi", pods: "250" },
        nodeInfo: { kubeletVersion: "v1.32.0", containerRuntimeVersion: "containerd://1.7.0", operatingSystem: "linux", architecture: "amd64" },
      };
    });
  }
}

/** Services get a cluster IP and defaulted ports; ingresses an address, so callers can read them back. */
export function installServiceDefaults(api: KubeApi): void {
  let next = 10;
  api.onCreate(types.services, (svc) => {
    const spec = (svc["spec"] ?? {}) as Record<string, unknown>;
    spec["type"] ??= "ClusterIP";
    if (spec["clusterIP"] === undefined && spec["type"] !== "ExternalName") {
      spec["clusterIP"] = `10.96.${Math.floor(next / 250)}.${(next % 250) + 1}`;
      spec["clusterIPs"] = [spec["clusterIP"]];
      next++;
    }
    if (Array.isArray(spec["ports"])) {
      for (const p of spec["ports"] as Record<string, unknown>[]) {
        p["protocol"] ??= "TCP";
        p["targetPort"] ??= p["port"];
      }
    }
    svc["spec"] = spec;
    svc["status"] = { loadBalancer: {} };
  });
  const ingresses = resourceTypes.find((t) => t.plural === "ingresses");
  if (ingresses) api.onCreate(ingresses, (ing) => {
    ing["status"] = { loadBalancer: { ingress: [{ ip: "127.0.0.1" }] } };
  });
}
