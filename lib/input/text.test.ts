import { describe, expect, it } from "vitest";
import { findUnsafeText, line, text, unsafeTextProblem } from "./text";

describe("the text rule", () => {
  it.each(["plain", "ünïcödé 名前", "emoji 😀", "tab\tand\nnewline\r\n", ""])("accepts %j anywhere", (value) => {
    expect(unsafeTextProblem(value)).toBeNull();
  });

  it.each([
    ["a\u0000b", /U\+0000/],
    ["bell\u0007", /U\+0007/],
    ["esc\u001b[31m", /U\+001B/],
    ["del\u007f", /U\+007F/],
    ["lone \ud800 high", /surrogate/],
    ["lone \udc00 low", /surrogate/],
    ["\udc00\ud800 reversed", /surrogate/],
  ])("refuses %j", (value, message) => {
    expect(unsafeTextProblem(value)).toMatch(message);
  });

  it("names the field path of the first bad string, keys included", () => {
    expect(findUnsafeText({ a: "ok", components: [{ name: "x" }, { image: "n\u0000" }] })).toEqual({ path: "components.1.image", message: expect.stringMatching(/U\+0000/) });
    expect(findUnsafeText({ env: { "K\u0000": "v" } })?.path).toBe("env.K?");
    expect(findUnsafeText("\u0001")?.path).toBe("_");
    expect(findUnsafeText({ n: 1, b: true, z: null, s: ["fine"] })).toBeNull();
  });

  it("line refuses line breaks and tabs and overlong values; text allows line breaks", () => {
    expect(line(10).safeParse("one line").success).toBe(true);
    expect(line(10).safeParse("two\nlines").success).toBe(false);
    expect(line(10).safeParse("tab\there").success).toBe(false);
    expect(line(3).safeParse("long").success).toBe(false);
    expect(text(20).safeParse("two\nlines").success).toBe(true);
    expect(text(20).safeParse("nul\u0000").success).toBe(false);
  });
});

describe("deeply nested input", () => {
  it("is refused with a message, not a stack overflow", () => {
    const deep = JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`) as unknown;
    expect(findUnsafeText(deep)?.message).toMatch(/Nested more than 64 levels deep/);
    expect(unsafeTextProblem("csi\u009b31m")).toMatch(/U\+009B/);
  });
});
