import { describe, expect, it } from "vitest";
import { customHostnameProblem, defaultHostnames, urlOf } from "./hostnames";

const components = [
  { name: "api", public: true, port: 8080 },
  { name: "web", public: true, port: 8080 },
  { name: "worker", public: false, port: null },
  { name: "admin", public: true, port: null },
];

describe("hostnames", () => {
  it("name the environment after its web component, and each public component with a port", () => {
    expect(defaultHostnames({ name: "qa-1", components }, "envs.example.com")).toEqual([
      { fqdn: "qa-1.envs.example.com", componentName: "web" },
      { fqdn: "api.qa-1.envs.example.com", componentName: "api" },
      { fqdn: "web.qa-1.envs.example.com", componentName: "web" },
    ]);
    expect(defaultHostnames({ name: "qa-2", components: components.slice(0, 1) }, "envs.example.com")[0]).toEqual({ fqdn: "qa-2.envs.example.com", componentName: "api" });
    expect(defaultHostnames({ name: "qa-3", components: components.slice(2) }, "envs.example.com")).toEqual([]);
  });

  it("take custom names only under the environment's own name", () => {
    expect(customHostnameProblem("demo.qa-1.envs.example.com", "qa-1", "envs.example.com")).toBeNull();
    expect(customHostnameProblem("demo.example.org", "qa-1", "envs.example.com")).toMatch(/under the environment's own name, such as demo.qa-1.envs.example.com/);
    expect(customHostnameProblem("demo.envs.example.com", "qa-1", "envs.example.com")).toMatch(/under the environment's own name/);
    expect(customHostnameProblem("x.qa-2.envs.example.com", "qa-1", "envs.example.com")).toMatch(/under the environment's own name/);
    expect(customHostnameProblem("Demo_.qa-1.envs.example.com", "qa-1", "envs.example.com")).toMatch(/lower-case letters/);
    expect(customHostnameProblem("demo.qa-1.envs.example.com", "qa-1", null)).toMatch(/no DNS zone/);
  });

  it("open with the cluster's scheme and port", () => {
    expect(urlOf("web.qa-1.sandbox.localhost", { urlScheme: "http", urlPort: 17080 })).toBe("http://web.qa-1.sandbox.localhost:17080/");
    expect(urlOf("web.qa-1.envs.example.com", { urlScheme: "https", urlPort: 443 })).toBe("https://web.qa-1.envs.example.com/");
    expect(urlOf("web.qa-1.envs.example.com", null)).toBe("https://web.qa-1.envs.example.com/");
  });
});
