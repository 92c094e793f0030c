import { describe, expect, it } from "vitest";
import { makeMatcher, stripAnsi } from "./filter";

describe("log search", () => {
  it("matches plain text literally, ignoring case unless asked", () => {
    const m = makeMatcher({ query: "error (x)", regex: false, caseSensitive: false });
    if (!m || "error" in m) throw new Error("expected a matcher");
    expect(m.test("ERROR (x) happened")).toBe(true);
    expect(m.test("error x")).toBe(false);
    expect(m.ranges("an Error (x) and error (x)")).toEqual([[3, 12], [17, 26]]);
    const strict = makeMatcher({ query: "Error", regex: false, caseSensitive: true });
    expect(strict && "test" in strict && strict.test("error")).toBe(false);
  });

  it("takes regular expressions and explains a broken one", () => {
    const m = makeMatcher({ query: "took \\d{3,}ms", regex: true, caseSensitive: false });
    expect(m && "test" in m && m.test("slow query took 950ms")).toBe(true);
    expect(makeMatcher({ query: "(", regex: true, caseSensitive: false })).toEqual({ error: expect.stringMatching(/^Not a valid regular expression/) });
  });

  it("finds nothing to do for an empty query, and strips colours before matching", () => {
    expect(makeMatcher({ query: "", regex: false, caseSensitive: false })).toBeNull();
    expect(stripAnsi("\u001b[31mERROR\u001b[0m upstream")).toBe("ERROR upstream");
  });
});
