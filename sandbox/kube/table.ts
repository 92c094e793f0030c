import { isPlainObject } from "./json";
import type { ResourceType } from "./resource-types";
import type { KubeObject } from "./types";

interface Column {
  name: string;
  type: "string" | "integer";
  format?: string;
  priority?: number;
  cell: (o: KubeObject) => string | number;
}

const nameCol: Column = { name: "Name", type: "string", format: "name", cell: (o) => o.metadata.name };
const ageCol: Column = { name: "Age", type: "string", cell: (o) => age(o.metadata.creationTimestamp) };

const columns: Record<string, Column[]> = {
  "/namespaces": [nameCol, { name: "Status", type: "string", cell: (o) => str(field(o, "status", "phase")) || "Active" }, ageCol],
  "/pods": [
    nameCol,
    { name: "Ready", type: "string", cell: (o) => `${containerStatuses(o).filter((c) => c["ready"] === true).length}/${podContainers(o).length}` },
    { name: "Status", type: "string", cell: podStatusText },
    { name: "Restarts", type: "integer", cell: (o) => containerStatuses(o).reduce((n, c) => n + (typeof c["restartCount"] === "number" ? c["restartCount"] : 0), 0) },
    ageCol,
    { name: "IP", type: "string", priority: 1, cell: (o) => str(field(o, "status", "podIP")) || "<none>" },
    { name: "Node", type: "string", priority: 1, cell: (o) => str(field(o, "spec", "nodeName")) || "<none>" },
  ],
  "apps/deployments": [
    nameCol,
    { name: "Ready", type: "string", cell: (o) => `${num(field(o, "status", "readyReplicas"))}/${num(field(o, "spec", "replicas"))}` },
    { name: "Up-to-date", type: "integer", cell: (o) => num(field(o, "status", "updatedReplicas")) },
    { name: "Available", type: "integer", cell: (o) => num(field(o, "status", "availableReplicas")) },
    ageCol,
  ],
  "apps/replicasets": [
    nameCol,
    { name: "Desired", type: "integer", cell: (o) => num(field(o, "spec", "replicas")) },
    { name: "Current", type: "integer", cell: (o) => num(field(o, "status", "replicas")) },
    { name: "Ready", type: "integer", cell: (o) => num(field(o, "status", "readyReplicas")) },
    ageCol,
  ],
  "/services": [
    nameCol,
    { name: "Type", type: "string", cell: (o) => str(field(o, "spec", "type")) || "ClusterIP" },
    { name: "Cluster-IP", type: "string", cell: (o) => str(field(o, "spec", "clusterIP")) || "<none>" },
    { name: "External-IP", type: "string", cell: () => "<none>" },
    { name: "Port(s)", type: "string", cell: servicePorts },
    ageCol,
  ],
};

export type IncludeObject = "None" | "Metadata" | "Object";

/** Renders objects as a meta.k8s.io/v1 Table, which kubectl asks for to print `get` output. */
export function toTable(t: ResourceType, objects: KubeObject[], resourceVersion: string, include: IncludeObject, extraMeta: Record<string, unknown> = {}): Record<string, unknown> {
  const cols = columns[`${t.group}/${t.plural}`] ?? [nameCol, ageCol];
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion, ...extraMeta },
    columnDefinitions: cols.map((c) => ({ name: c.name, type: c.type, format: c.format ?? "", description: c.name, priority: c.priority ?? 0 })),
    rows: objects.map((o) => ({
      cells: cols.map((c) => c.cell(o)),
      object: include === "Object" ? o : include === "Metadata" ? { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata } : undefined,
    })),
  };
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(",")[0] ?? "");
}

function podStatusText(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return "Terminating";
  for (const c of containerStatuses(o)) {
    const state = c["state"];
    if (isPlainObject(state) && isPlainObject(state["waiting"]) && typeof state["waiting"]["reason"] === "string") return state["waiting"]["reason"];
    if (isPlainObject(state) && isPlainObject(state["terminated"]) && typeof state["terminated"]["reason"] === "string") return state["terminated"]["reason"];
  }
  return str(field(o, "status", "phase")) || "Pending";
}

function servicePorts(o: KubeObject): string {
  const ports = field(o, "spec", "ports");
  if (!Array.isArray(ports) || ports.length === 0) return "<none>";
  return ports.map((p) => (isPlainObject(p) ? `${String(p["port"])}/${String(p["protocol"] ?? "TCP")}` : "")).join(",");
}

function containerStatuses(o: KubeObject): Record<string, unknown>[] {
  const s = field(o, "status", "containerStatuses");
  return Array.isArray(s) ? s.filter(isPlainObject) : [];
}

function podContainers(o: KubeObject): unknown[] {
  const c = field(o, "spec", "containers");
  return Array.isArray(c) ? c : [];
}

function field(o: KubeObject, a: string, b: string): unknown {
  const x = o[a];
  return isPlainObject(x) ? x[b] : undefined;
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

export function age(timestamp: string): string {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
