import { describe, expect, it } from "vitest";
import { environmentManifests, type EnvironmentSpec } from "./manifests";

const spec: EnvironmentSpec = {
  id: "cm1abc",
  name: "qa-42",
  owner: "lena@example.com",
  template: "web stack",
  quota: { "requests.cpu": "4", pods: "20" },
  hostnames: [
    { fqdn: "web.qa-42.envs.example.com", componentName: "web" },
    { fqdn: "qa-42.envs.example.com", componentName: "web" },
  ],
  asleep: false,
  components: [
    { name: "web", image: "nginx:1.27.3", replicas: 2, port: 80, env: { B: "2", A: "1" }, resources: {}, public: true },
    { name: "worker", image: "acme/worker@sha256:" + "a".repeat(64), replicas: 1, port: null, env: {}, resources: { limits: { cpu: "1" } }, public: false },
  ],
};

const byKind = (kind: string) => environmentManifests(spec).filter((o) => o.kind === kind);

describe("environmentManifests", () => {
  it("makes a labelled namespace and, in it, limits, quota, data secret, and per component a deployment", () => {
    const objects = environmentManifests(spec);
    expect(objects.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      "Namespace/qa-42",
      "LimitRange/corral-limits",
      "Secret/corral-data",
      "ResourceQuota/corral-quota",
      "Deployment/web",
      "Service/web",
      "Ingress/web",
      "Deployment/worker",
    ]);
    for (const o of objects) {
      expect(o.metadata?.labels).toMatchObject({
        "corral.dev/managed-by": "corral",
        "corral.dev/environment": "cm1abc",
        "corral.dev/owner": "lena_example.com",
        "corral.dev/template": "web_stack",
      });
      if (o.kind !== "Namespace") expect(o.metadata?.namespace).toBe("qa-42");
    }
  });

  it("pins the exact image and selects the component's pods only", () => {
    const [web, worker] = byKind("Deployment") as any[];
    expect(web.spec.template.spec.containers[0].image).toBe("nginx:1.27.3");
    expect(worker.spec.template.spec.containers[0].image).toMatch(/@sha256:a{64}$/);
    expect(web.spec.selector.matchLabels).toEqual({ "corral.dev/environment": "cm1abc", "corral.dev/component": "web" });
    expect(web.spec.template.metadata.labels).toMatchObject(web.spec.selector.matchLabels);
    expect(web.spec.template.spec.containers[0].env).toEqual([{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    expect(worker.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: "1" } });
  });

  it("routes a public component's hostname to its service", () => {
    const [ingress] = byKind("Ingress") as any[];
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual(["web.qa-42.envs.example.com", "qa-42.envs.example.com"]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: "web", port: { number: 80 } });
  });

  it("is the same every time for the same input, so applying twice changes nothing", () => {
    expect(JSON.stringify(environmentManifests(spec))).toBe(JSON.stringify(environmentManifests(structuredClone(spec))));
  });

  it("leaves the quota out when the template sets none", () => {
    expect(environmentManifests({ ...spec, quota: {} }).some((o) => o.kind === "ResourceQuota")).toBe(false);
  });
});
