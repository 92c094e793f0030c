import { isReady } from "../kube/deployment-controller";
import { isPlainObject } from "../kube/json";
import type { ContainerView, Kubelet } from "../kube/kubelet";
import { typeKey, types } from "../kube/resource-types";
import type { ObjectStore } from "../kube/store";
import type { KubeObject } from "../kube/types";
import type { IngressBackend } from "./routing";

export type Upstream =
  | { kind: "pod"; pod: KubeObject; container: ContainerView }
  /** A Service of type ExternalName: the request is proxied to that host, as ingress-nginx does. */
  | { kind: "external"; host: string; port: number }
  /** 503: nothing to send the request to (no Service, no such port, no Ready endpoint). */
  | { kind: "unavailable"; message: string }
  /** 502: the request would reach a container that does not answer. */
  | { kind: "bad-gateway"; message: string };

/**
 * Turns a backend into the container that answers, as kube-proxy and an ingress controller
 * do together: the Service in the Ingress's namespace, its port by number or name, its
 * selector, the Ready pods among those it selects (round robin), the container behind the
 * target port.
 */
export class EndpointPicker {
  private readonly turns = new Map<string, number>();
  /** Endpoints by namespace, then service and port; dropped when a pod or service in the namespace changes. */
  private readonly cache = new Map<string, Map<string, Endpoints>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly kubelet: Kubelet,
  ) {
    store.subscribe((e) => {
      if (e.typeKey === podsKey || e.typeKey === servicesKey) this.cache.delete(e.object.metadata.namespace ?? "");
    });
  }

  pick(backend: IngressBackend): Upstream {
    const ns = backend.namespace;
    if (!backend.service) return { kind: "unavailable", message: `ingress ${backend.ingress} names a resource backend, which the sandbox does not serve` };
    const key = `${backend.service.name}:${backend.service.port.number ?? backend.service.port.name ?? ""}`;
    let inNamespace = this.cache.get(ns);
    if (!inNamespace) this.cache.set(ns, (inNamespace = new Map()));
    let found = inNamespace.get(key);
    if (!found) inNamespace.set(key, (found = this.endpoints(ns, backend.service)));
    if (found.kind !== "endpoints") return found;
    const turnKey = `${ns}/${key}`;
    const turn = this.turns.get(turnKey) ?? 0;
    this.turns.set(turnKey, turn + 1);
    const { pod, container: index } = found.list[turn % found.list.length] as Endpoint;
    const container = this.kubelet.containers(ns, pod.metadata.name, pod.metadata.uid)?.[index];
    if (!container || container.state !== "running" || !container.log) {
      return { kind: "bad-gateway", message: `container ${container ? `"${container.name}" ` : ""}of pod "${ns}/${pod.metadata.name}" is not running${container?.reason ? ` (${container.reason})` : ""}` };
    }
    return { kind: "pod", pod, container };
  }

  private endpoints(ns: string, service: NonNullable<IngressBackend["service"]>): Endpoints {
    const { name, port } = service;
    const svc = this.store.get(types.services, ns, name);
    if (!svc) return { kind: "unavailable", message: `service "${ns}/${name}" not found` };
    const spec = isPlainObject(svc["spec"]) ? svc["spec"] : {};
    const ports = Array.isArray(spec["ports"]) ? spec["ports"].filter(isPlainObject) : [];
    const servicePort = ports.find((p) => (port.number !== undefined ? p["port"] === port.number : p["name"] === port.name));
    if (!servicePort) return { kind: "unavailable", message: `service "${ns}/${name}" has no port ${port.number ?? port.name ?? "(none given)"}` };
    if (spec["type"] === "ExternalName") {
      const host = typeof spec["externalName"] === "string" ? spec["externalName"] : "";
      if (!host) return { kind: "unavailable", message: `service "${ns}/${name}" is ExternalName without an externalName` };
      return { kind: "external", host, port: Number(servicePort["port"]) };
    }
    const selector = isPlainObject(spec["selector"]) ? (spec["selector"] as Record<string, unknown>) : {};
    // A Service without a selector needs hand-made Endpoints, which the sandbox does not keep.
    if (Object.keys(selector).length === 0) return { kind: "unavailable", message: `service "${ns}/${name}" has no selector, so no endpoints` };
    const targetPort = (servicePort["targetPort"] ?? servicePort["port"]) as number | string;
    const selected = this.store
      .list(types.pods, ns)
      .filter((p) => !p.metadata.deletionTimestamp && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
    const list: Endpoint[] = [];
    for (const pod of selected) {
      const container = containerIndex(pod, targetPort);
      if (isReady(pod) && container !== undefined) list.push({ pod, container });
    }
    if (list.length > 0) return { kind: "endpoints", list };
    const crashing = selected.map((p) => ({ pod: p, c: this.kubelet.containers(ns, p.metadata.name, p.metadata.uid)?.find(isCrashing) })).find((x) => x.c);
    // What an ingress in front of a crash loop mostly shows: the upstream refuses or resets connections.
    if (crashing?.c) return { kind: "bad-gateway", message: `container "${crashing.c.name}" of pod "${ns}/${crashing.pod.metadata.name}" is not running (${crashing.c.reason ?? crashing.c.state})` };
    return { kind: "unavailable", message: `service "${ns}/${name}" has no ready endpoints (${selected.length} pod${selected.length === 1 ? "" : "s"} selected)` };
  }
}

interface Endpoint {
  pod: KubeObject;
  /** Index of the container behind the target port. */
  container: number;
}

type Endpoints = { kind: "endpoints"; list: Endpoint[] } | Extract<Upstream, { kind: "unavailable" | "bad-gateway" | "external" }>;

const podsKey = typeKey(types.pods);
const servicesKey = typeKey(types.services);

/**
 * The container behind a target port: the one declaring it (by number or name). A number
 * nobody declares goes to the first container, since declaring ports is optional in
 * Kubernetes; a name nobody declares leaves the pod out of the endpoints, as the endpoints
 * controller does.
 */
function containerIndex(pod: KubeObject, targetPort: number | string): number | undefined {
  const spec = isPlainObject(pod["spec"]) ? pod["spec"] : {};
  const containers = Array.isArray(spec["containers"]) ? spec["containers"].filter(isPlainObject) : [];
  const i = containers.findIndex((c) => Array.isArray(c["ports"]) && c["ports"].some((p) => isPlainObject(p) && (typeof targetPort === "number" ? p["containerPort"] === targetPort : p["name"] === targetPort)));
  if (i >= 0) return i;
  return typeof targetPort === "number" && containers.length > 0 ? 0 : undefined;
}

function isCrashing(c: ContainerView): boolean {
  return c.state === "terminated" || c.reason === "CrashLoopBackOff";
}
