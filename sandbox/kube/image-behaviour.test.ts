import { describe, expect, it } from "vitest";
import { behaviourOf, parseImage } from "./image-behaviour";

describe("image behaviour convention", () => {
  it.each([
    ["nginx:1.27", "ok"],
    ["registry.local:5000/team/api:1.2.3", "ok"],
    ["team/api:9.9", "unpullable"],
    ["team/api:1.0-missing", "unpullable"],
    ["team/does-not-exist:1.0", "unpullable"],
    ["team/api:crashloop", "crashloop"],
    ["team/api:2.0-crashloop", "crashloop"],
    ["team/api:slow", "slow"],
  ])("%s is %s", (image, expected) => {
    expect(behaviourOf(image)).toBe(expected);
  });

  it("keeps a registry port out of the tag", () => {
    expect(parseImage("registry.local:5000/api")).toEqual({ repository: "registry.local:5000/api", tag: "latest" });
    expect(parseImage("api@sha256:abc")).toEqual({ repository: "api", tag: "sha256:abc" });
  });
});
