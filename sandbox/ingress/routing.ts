import { isPlainObject } from "../kube/json";
import type { KubeObject } from "../kube/types";

/** Where an Ingress sends a request: a Service port in the Ingress's namespace. */
export interface IngressBackend {
  namespace: string;
  /** The Ingress the backend came from, namespace/name. */
  ingress: string;
  /** The Ingress's annotations (the sandbox honours upstream-vhost and a fixed rewrite-target, as ingress-nginx does). */
  annotations?: Record<string, string>;
  /** Absent for a `resource` backend, which the sandbox does not serve. */
  service?: { name: string; port: { number?: number; name?: string } };
}

export type PathType = "Exact" | "Prefix" | "ImplementationSpecific";

interface PathRoute {
  path: string;
  pathType: PathType;
  backend: IngressBackend;
}

/** What one host (exact, wildcard or none) answers: its paths, and where unmatched paths go. */
interface HostServer {
  routes: PathRoute[];
  defaultBackend?: IngressBackend;
}

export type RouteResult =
  | { kind: "backend"; backend: IngressBackend }
  /** No Ingress names this host and none catches every host. */
  | { kind: "no-host" }
  /** The host has rules, but none of their paths matches and no default backend is set. */
  | { kind: "no-path" };

/**
 * The routing table an ingress controller builds from every Ingress in the cluster, as
 * ingress-nginx does: one server per host; a request picks the server of its exact host, else
 * of the wildcard (`*.example.com`, exactly one label) covering it, else the rules without a
 * host. Inside a server the longest matching path wins (Exact before Prefix on a tie, then the
 * oldest Ingress); unmatched paths go to the defaultBackend of the Ingress that named the host,
 * then to the cluster-wide default: the defaultBackend of the oldest Ingress without rules.
 */
export class RoutingTable {
  private readonly exact = new Map<string, HostServer>();
  /** Keyed by the wildcard's suffix: `*.example.com` → `example.com`. */
  private readonly wildcard = new Map<string, HostServer>();
  private readonly catchAll: HostServer = { routes: [] };
  private globalDefault: IngressBackend | undefined;

  constructor(ingresses: KubeObject[]) {
    // Oldest first, then by namespace/name, so that on conflicting rules the first Ingress created
    // wins, as in ingress-nginx.
    const ordered = [...ingresses].sort(
      (a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || key(a).localeCompare(key(b)),
    );
    for (const ing of ordered) this.add(ing);
    for (const server of [...this.exact.values(), ...this.wildcard.values(), this.catchAll]) {
      // Stable sort: longest path first, Exact before Prefix, then creation order.
      server.routes.sort((a, b) => b.path.length - a.path.length || rank(a.pathType) - rank(b.pathType));
    }
  }

  route(host: string, path: string): RouteResult {
    const server = this.serverFor(host);
    if (!server) return this.globalDefault ? { kind: "backend", backend: this.globalDefault } : { kind: "no-host" };
    const hit = server.routes.find((r) => pathMatches(r, path));
    const backend = hit?.backend ?? server.defaultBackend ?? this.globalDefault;
    return backend ? { kind: "backend", backend } : { kind: "no-path" };
  }

  private serverFor(host: string): HostServer | undefined {
    const exact = this.exact.get(host);
    if (exact) return exact;
    const dot = host.indexOf(".");
    const wildcard = dot > 0 ? this.wildcard.get(host.slice(dot + 1)) : undefined;
    if (wildcard) return wildcard;
    return this.catchAll.routes.length > 0 ? this.catchAll : undefined;
  }

  private add(ing: KubeObject): void {
    const namespace = ing.metadata.namespace ?? "default";
    const ingress = `${namespace}/${ing.metadata.name}`;
    const spec = isPlainObject(ing["spec"]) ? ing["spec"] : {};
    const annotations = ing.metadata.annotations && Object.keys(ing.metadata.annotations).length > 0 ? ing.metadata.annotations : undefined;
    const backendOf = (value: unknown) => backendOfSpec(value, namespace, ingress, annotations);
    const defaultBackend = backendOf(spec["defaultBackend"]);
    const rules = Array.isArray(spec["rules"]) ? spec["rules"].filter(isPlainObject) : [];
    // Only an Ingress without rules claims the hosts nobody names, so that one environment's
    // defaultBackend does not answer for every unknown host in the cluster.
    if (defaultBackend && rules.length === 0 && !this.globalDefault) this.globalDefault = defaultBackend;
    for (const rule of rules) {
      const host = typeof rule["host"] === "string" ? rule["host"].toLowerCase() : "";
      let server: HostServer;
      if (!host) server = this.catchAll;
      else {
        const table = host.startsWith("*.") ? this.wildcard : this.exact;
        const key = host.startsWith("*.") ? host.slice(2) : host;
        server = table.get(key) ?? { routes: [] };
        table.set(key, server);
        if (defaultBackend && !server.defaultBackend) server.defaultBackend = defaultBackend;
      }
      const http = isPlainObject(rule["http"]) ? rule["http"] : {};
      const paths = Array.isArray(http["paths"]) ? http["paths"].filter(isPlainObject) : [];
      for (const p of paths) {
        const backend = backendOf(p["backend"]);
        if (!backend) continue;
        const pathType = p["pathType"] === "Exact" || p["pathType"] === "Prefix" ? p["pathType"] : "ImplementationSpecific";
        const raw = typeof p["path"] === "string" && p["path"] !== "" ? p["path"] : "/";
        server.routes.push({ path: pathType === "Prefix" ? trimSlash(raw) : raw, pathType, backend });
      }
    }
  }
}

/**
 * Exact: the whole path. Prefix: whole path elements (`/foo` matches `/foo`, `/foo/` and
 * `/foo/bar`, not `/foobar`; a trailing slash in the rule is ignored). ImplementationSpecific:
 * a plain string prefix, which is what ingress-nginx's non-regex locations do.
 */
export function pathMatches(r: { path: string; pathType: PathType }, path: string): boolean {
  if (r.pathType === "Exact") return path === r.path;
  if (r.pathType === "ImplementationSpecific") return path.startsWith(r.path);
  if (r.path === "") return true;
  return path === r.path || path.startsWith(`${r.path}/`);
}

/** The host a request names: Host header without its port or trailing dot, lower case. */
export function requestHost(header: string | undefined): string {
  const h = (header ?? "").trim().toLowerCase();
  const bare = h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.replace(/:\d*$/, "");
  return bare.replace(/\.$/, "");
}

function backendOfSpec(value: unknown, namespace: string, ingress: string, annotations: Record<string, string> | undefined): IngressBackend | undefined {
  if (!isPlainObject(value)) return undefined;
  const service = isPlainObject(value["service"]) ? value["service"] : undefined;
  if (!service) return value["resource"] !== undefined ? { namespace, ingress } : undefined;
  const port = isPlainObject(service["port"]) ? service["port"] : {};
  return {
    namespace,
    ingress,
    ...(annotations ? { annotations } : {}),
    service: {
      name: String(service["name"] ?? ""),
      port: { ...(typeof port["number"] === "number" ? { number: port["number"] } : {}), ...(typeof port["name"] === "string" ? { name: port["name"] } : {}) },
    },
  };
}

// "/" becomes "" so that it prefixes every path; "/foo/" is the same rule as "/foo".
function trimSlash(p: string): string {
  return p.replace(/\/+$/, "");
}

function key(o: KubeObject): string {
  return `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

function rank(t: PathType): number {
  return t === "Exact" ? 0 : 1;
}
