import { isReady } from "../kube/deployment-controller";
import { isPlainObject } from "../kube/json";
import type { ContainerView, Kubelet } from "../kube/kubelet";
import { types } from "../kube/resource-types";
import type { ObjectStore } from "../kube/store";
import type { KubeObject } from "../kube/types";
import type { IngressBackend } from "./routing";

export type Upstream =
  | { kind: "pod"; pod: KubeObject; container: ContainerView }
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

  constructor(
    private readonly store: ObjectStore,
    private readonly kubelet: Kubelet,
  ) {}

  pick(backend: IngressBackend): Upstream {
    const ns = backend.namespace;
    if (!backend.service) return { kind: "unavailable", message: `ingress ${backend.ingress} names a resource backend, which the sandbox does not serve` };
    const { name, port } = backend.service;
    const svc = this.store.get(types.services, ns, name);
    if (!svc) return { kind: "unavailable", message: `service "${ns}/${name}" not found` };
    const spec = isPlainObject(svc["spec"]) ? svc["spec"] : {};
    const ports = Array.isArray(spec["ports"]) ? spec["ports"].filter(isPlainObject) : [];
    const servicePort = ports.find((p) => (port.number !== undefined ? p["port"] === port.number : p["name"] === port.name));
    if (!servicePort) return { kind: "unavailable", message: `service "${ns}/${name}" has no port ${port.number ?? port.name ?? "(none given)"}` };
    const selector = isPlainObject(spec["selector"]) ? (spec["selector"] as Record<string, unknown>) : {};
    // A Service without a selector needs hand-made Endpoints, which the sandbox does not keep.
    if (Object.keys(selector).length === 0) return { kind: "unavailable", message: `service "${ns}/${name}" has no selector, so no endpoints` };
    const targetPort = (servicePort["targetPort"] ?? servicePort["port"]) as number | string;
    const selected = this.store
      .list(types.pods, ns)
      .filter((p) => !p.metadata.deletionTimestamp && Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v));
    const endpoints = selected.filter((p) => isReady(p) && containerIndex(p, targetPort) !== undefined);
    if (endpoints.length === 0) {
      const crashing = selected.map((p) => ({ pod: p, c: this.kubelet.containers(ns, p.metadata.name, p.metadata.uid)?.find(isCrashing) })).find((x) => x.c);
      // What an ingress in front of a crash loop mostly shows: the upstream refuses or resets connections.
      if (crashing?.c) return { kind: "bad-gateway", message: `container "${crashing.c.name}" of pod "${ns}/${crashing.pod.metadata.name}" is not running (${crashing.c.reason ?? crashing.c.state})` };
      return { kind: "unavailable", message: `service "${ns}/${name}" has no ready endpoints (${selected.length} pod${selected.length === 1 ? "" : "s"} selected)` };
    }
    const key = `${ns}/${name}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, turn + 1);
    const pod = endpoints[turn % endpoints.length] as KubeObject;
    const container = this.kubelet.containers(ns, pod.metadata.name, pod.metadata.uid)?.[containerIndex(pod, targetPort) ?? 0];
    if (!container || container.state !== "running" || !container.log) {
      return { kind: "bad-gateway", message: `container ${container ? `"${container.name}" ` : ""}of pod "${ns}/${pod.metadata.name}" is not running${container?.reason ? ` (${container.reason})` : ""}` };
    }
    return { kind: "pod", pod, container };
  }
}

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
