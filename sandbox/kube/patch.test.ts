import { describe, expect, it } from "vitest";
import { applyConfiguration, appliedFieldsOf } from "./apply";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch";

describe("patches", () => {
  it("merge patch removes null fields and replaces lists", () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null }, l: [3] })).toEqual({ a: 1, b: { d: 3 }, l: [3] });
  });

  it("strategic merge patch merges containers by name", () => {
    const live = { containers: [{ name: "a", image: "x:1" }, { name: "b", image: "y:1" }] };
    const out = strategicMergePatch(live, { containers: [{ name: "b", image: "y:2" }] });
    expect(out).toEqual({ containers: [{ name: "a", image: "x:1" }, { name: "b", image: "y:2" }] });
  });

  it("json patch applies add, replace, remove and test", () => {
    const out = jsonPatch({ a: [1], b: "x" }, [
      { op: "add", path: "/a/-", value: 2 },
      { op: "replace", path: "/b", value: "y" },
      { op: "test", path: "/b", value: "y" },
      { op: "remove", path: "/a/0" },
    ]);
    expect(out).toEqual({ a: [2], b: "y" });
  });

  it("json patch refuses a failing test", () => {
    expect(() => jsonPatch({ b: "x" }, [{ op: "test", path: "/b", value: "z" }])).toThrow(/test failed/);
  });
});

describe("server-side apply", () => {
  it("removes fields the manager no longer applies and keeps others' fields", () => {
    const first = { metadata: { labels: { a: "1", b: "2" } }, data: { k: "v" } };
    const live = { metadata: { name: "x", labels: { a: "1", b: "2", other: "3" } }, data: { k: "v" } };
    const second = { metadata: { labels: { a: "1" } }, data: { k: "v2" } };
    const out = applyConfiguration(live, second, appliedFieldsOf(first));
    expect(out).toEqual({ metadata: { name: "x", labels: { a: "1", other: "3" } }, data: { k: "v2" } });
  });
});
