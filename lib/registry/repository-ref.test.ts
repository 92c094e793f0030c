import { describe, expect, it } from "vitest";
import { endpointFor, parseRepository } from "./repository-ref";

describe("parseRepository and endpointFor", () => {
  it("finds the host the way Docker does, Docker Hub for bare names", () => {
    expect(parseRepository("registry.sandbox.corral.test/shop/web")).toEqual({ host: "registry.sandbox.corral.test", path: "shop/web" });
    expect(parseRepository("nginx")).toEqual({ host: "docker.io", path: "library/nginx" });
    expect(parseRepository("bitnami/redis")).toEqual({ host: "docker.io", path: "bitnami/redis" });
    expect(parseRepository("docker.io/nginx")).toEqual({ host: "docker.io", path: "library/nginx" });
    expect(parseRepository("localhost:5000/team/app")).toEqual({ host: "localhost:5000", path: "team/app" });
  });

  it("uses the configured entry, else https://<host>; Docker Hub's API host; http on this machine", () => {
    const registries = { "registry.sandbox.corral.test": { url: "http://127.0.0.1:17005", username: "u", password: "p" }, "docker.io": { username: "d", password: "q" } };
    expect(endpointFor("registry.sandbox.corral.test", registries)).toEqual({ host: "registry.sandbox.corral.test", url: "http://127.0.0.1:17005", credentials: { username: "u", password: "p" } });
    expect(endpointFor("ghcr.io", registries)).toEqual({ host: "ghcr.io", url: "https://ghcr.io" });
    expect(endpointFor("docker.io", registries)).toEqual({ host: "docker.io", url: "https://registry-1.docker.io", credentials: { username: "d", password: "q" } });
    expect(endpointFor("localhost:5000", {})).toEqual({ host: "localhost:5000", url: "http://localhost:5000" });
  });
});
