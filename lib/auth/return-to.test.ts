import { describe, expect, it } from "vitest";
import { REDIRECT_BYPASSES } from "@/test/support/redirect-bypasses";
import { safeReturnTo } from "./return-to";


describe("safeReturnTo", () => {
  it.each(["/environments/abc?x=1#y", "/tokens", "/", "/environments?owner=me%2Fteam", "/a/./b/../c"])("keeps the same-site path %s", (path) => {
    expect(safeReturnTo(path)).toMatch(/^\/(?![/\\])/);
    expect(new URL(safeReturnTo(path), "http://corral.test").origin).toBe("http://corral.test");
  });

  it("keeps ordinary paths as they were", () => {
    expect(safeReturnTo("/environments/abc?x=1#y")).toBe("/environments/abc?x=1#y");
    expect(safeReturnTo("/a/./b/../c")).toBe("/a/c");
  });

  it.each([...REDIRECT_BYPASSES, null, undefined])("sends %j to the environments page instead", (value) => {
    expect(safeReturnTo(value)).toBe("/environments");
  });
});
