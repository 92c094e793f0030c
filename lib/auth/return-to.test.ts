import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

describe("safeReturnTo", () => {
  it.each(["/environments/abc?x=1#y", "/tokens", "/"])("keeps the same-site path %s", (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "",
    null,
    undefined,
  ])("sends %j to the environments page instead", (value) => {
    expect(safeReturnTo(value)).toBe("/environments");
  });
});
