import { randomBytes } from "node:crypto";
import type { KubeApi } from "./api";
import { types } from "./resource-types";
import { nowSeconds } from "./store";
import type { KubeObject } from "./types";

export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  component: string;
  fieldPath?: string;
}

/** Records a core/v1 Event about an object; a repeat of the same reason and message bumps its count, as the kubelet does. */
export function recordEvent(api: KubeApi, about: KubeObject, e: EventInput): void {
  const ns = about.metadata.namespace ?? "default";
  const existing = api.store
    .list(types.events, ns)
    .find((ev) => {
      const inv = ev["involvedObject"] as Record<string, unknown> | undefined;
      return inv?.["uid"] === about.metadata.uid && ev["reason"] === e.reason && ev["message"] === e.message && inv?.["fieldPath"] === e.fieldPath;
    });
  const now = nowSeconds();
  try {
    if (existing) {
      api.store.mutate(types.events, ns, existing.metadata.name, (ev) => {
        ev["count"] = (typeof ev["count"] === "number" ? ev["count"] : 1) + 1;
        ev["lastTimestamp"] = now;
      });
      return;
    }
    api.create(types.events, ns, {
      metadata: { name: `${about.metadata.name}.${randomBytes(8).toString("hex")}`, namespace: ns },
      involvedObject: {
        kind: about.kind,
        namespace: ns,
        name: about.metadata.name,
        uid: about.metadata.uid,
        apiVersion: about.apiVersion,
        resourceVersion: about.metadata.resourceVersion,
        ...(e.fieldPath ? { fieldPath: e.fieldPath } : {}),
      },
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: { component: e.component, ...(e.component === "kubelet" ? { host: "sandbox-node" } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      reportingComponent: e.component,
      reportingInstance: "sandbox-node",
    });
  } catch {
    // Events are best effort, as in a real cluster (e.g. the namespace is going away).
  }
}
