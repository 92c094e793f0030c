import { describe, expect, it } from "vitest";
import { parseChallenge } from "./bearer-challenge";

describe("parseChallenge", () => {
  it("reads Docker Hub's bearer challenge, commas inside quotes included", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/nginx:pull,push" },
    });
  });

  it("reads basic challenges, unquoted values and errors", () => {
    expect(parseChallenge('Basic realm="Registry"')).toEqual({ scheme: "basic", params: { realm: "Registry" } });
    expect(parseChallenge('bearer realm="r", error=invalid_token')?.params).toEqual({ realm: "r", error: "invalid_token" });
    expect(parseChallenge(null)).toBeNull();
  });
});
