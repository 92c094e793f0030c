import { describe, expect, it } from "vitest";
import { parseFieldSelector, parseLabelSelector } from "./selectors";

describe("label selectors", () => {
  it("supports equality, inequality, set and existence requirements", () => {
    const m = parseLabelSelector("app=web,tier!=db,env in (qa, dev),owner,!legacy");
    expect(m({ app: "web", env: "qa", owner: "x" })).toBe(true);
    expect(m({ app: "web", env: "prod", owner: "x" })).toBe(false);
    expect(m({ app: "web", env: "qa" })).toBe(false);
    expect(m({ app: "web", env: "qa", owner: "x", legacy: "1" })).toBe(false);
    expect(m({ app: "web", env: "qa", owner: "x", tier: "db" })).toBe(false);
  });

  it("supports notin, which matches a missing label", () => {
    const m = parseLabelSelector("env notin (prod)");
    expect(m({})).toBe(true);
    expect(m({ env: "prod" })).toBe(false);
  });
});

describe("field selectors", () => {
  it("compares dotted paths as strings", () => {
    const m = parseFieldSelector("metadata.name=a,status.phase!=Failed");
    expect(m({ metadata: { name: "a" }, status: { phase: "Running" } })).toBe(true);
    expect(m({ metadata: { name: "a" }, status: { phase: "Failed" } })).toBe(false);
    expect(m({ metadata: { name: "b" } })).toBe(false);
  });
});
