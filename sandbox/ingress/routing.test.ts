import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/types";
import { RoutingTable, pathMatches, requestHost } from "./routing";

let created = 0;
/** Each Ingress a second younger than the one before. */
function ing(name: string, spec: Record<string, unknown>, namespace = "env"): KubeObject {
  const creationTimestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, created++)).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name, namespace, uid: name, resourceVersion: "1", generation: 1, creationTimestamp }, spec };
}
const to = (service: string) => ({ service: { name: service, port: { number: 80 } } });
const paths = (...ps: [string, string, string][]) => ({ paths: ps.map(([path, pathType, service]) => ({ path, pathType, backend: to(service) })) });
const serviceOf = (t: RoutingTable, host: string, path: string) => {
  const r = t.route(host, path);
  return r.kind === "backend" ? r.backend.service?.name : r.kind;
};

describe("ingress routing", () => {
  it("matches paths as Kubernetes defines them", () => {
    expect(pathMatches({ path: "/foo", pathType: "Prefix" }, "/foo/bar")).toBe(true);
    expect(pathMatches({ path: "/foo", pathType: "Prefix" }, "/foo/")).toBe(true);
    expect(pathMatches({ path: "/foo", pathType: "Prefix" }, "/foobar")).toBe(false);
    expect(pathMatches({ path: "", pathType: "Prefix" }, "/anything")).toBe(true);
    expect(pathMatches({ path: "/foo", pathType: "Exact" }, "/foo/")).toBe(false);
    expect(pathMatches({ path: "/foo", pathType: "Exact" }, "/foo")).toBe(true);
    expect(pathMatches({ path: "/foo", pathType: "ImplementationSpecific" }, "/foobar")).toBe(true);
  });

  it("reads the host a request names", () => {
    expect(requestHost("Web.Example.TEST:8080")).toBe("web.example.test");
    expect(requestHost("web.example.test.")).toBe("web.example.test");
    expect(requestHost("[::1]:17080")).toBe("[::1]");
    expect(requestHost(undefined)).toBe("");
  });

  it("prefers the exact host, then a one-label wildcard, then rules without a host", () => {
    const t = new RoutingTable([
      ing("wild", { rules: [{ host: "*.example.test", http: paths(["/", "Prefix", "wild"]) }] }),
      ing("exact", { rules: [{ host: "a.example.test", http: paths(["/", "Prefix", "exact"]) }] }),
      ing("any", { rules: [{ http: paths(["/", "Prefix", "any"]) }] }),
    ]);
    expect(serviceOf(t, "a.example.test", "/")).toBe("exact");
    expect(serviceOf(t, "b.example.test", "/")).toBe("wild");
    expect(serviceOf(t, "c.b.example.test", "/")).toBe("any");
    expect(serviceOf(t, "example.test", "/")).toBe("any");
  });

  it("takes the longest path, Exact before Prefix on a tie, the oldest Ingress on a conflict", () => {
    const t = new RoutingTable([
      ing("one", { rules: [{ host: "h", http: paths(["/", "Prefix", "root"], ["/api", "Prefix", "api"], ["/api", "Exact", "api-exact"]) }] }),
      ing("two", { rules: [{ host: "h", http: paths(["/api/v2", "Prefix", "v2"], ["/api", "Prefix", "later"]) }] }),
    ]);
    expect(serviceOf(t, "h", "/api")).toBe("api-exact");
    expect(serviceOf(t, "h", "/api/")).toBe("api");
    expect(serviceOf(t, "h", "/api/v2/x")).toBe("v2");
    expect(serviceOf(t, "h", "/other")).toBe("root");
  });

  it("sends unmatched paths to the host's default backend, unknown hosts to an Ingress without rules, else nowhere", () => {
    const withDefault = new RoutingTable([ing("a", { defaultBackend: to("fallback"), rules: [{ host: "h", http: paths(["/only", "Exact", "only"]) }] })]);
    expect(serviceOf(withDefault, "h", "/only")).toBe("only");
    expect(serviceOf(withDefault, "h", "/else")).toBe("fallback");
    // Its default backend is the host's, not every host's.
    expect(serviceOf(withDefault, "other", "/")).toBe("no-host");

    const noDefault = new RoutingTable([ing("a", { rules: [{ host: "h", http: paths(["/only", "Exact", "only"]) }] })]);
    expect(serviceOf(noDefault, "h", "/else")).toBe("no-path");

    const catchAll = new RoutingTable([ing("a", { rules: [{ host: "h", http: paths(["/only", "Exact", "only"]) }] }), ing("b", { defaultBackend: to("cluster-default") })]);
    expect(serviceOf(catchAll, "h", "/else")).toBe("cluster-default");
    expect(serviceOf(catchAll, "nobody", "/")).toBe("cluster-default");
  });

  it("keeps the backend's namespace and port by name", () => {
    const t = new RoutingTable([ing("a", { rules: [{ host: "h", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }] }, "shop")]);
    expect(t.route("h", "/")).toEqual({ kind: "backend", backend: { namespace: "shop", ingress: "shop/a", service: { name: "web", port: { name: "http" } } } });
  });
});
