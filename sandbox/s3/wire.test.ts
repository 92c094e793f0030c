import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { listPage } from "./listing";
import { compareKeys, multipartEtag, parseCopyRange, parseCopySource, parseRange, parseS3Target, urlEncodeKey } from "./wire";

describe("parseS3Target", () => {
  it("keeps empty, dot and dot-dot segments and a trailing slash as parts of the key", () => {
    expect(parseS3Target("/b/a//c").key).toBe("a//c");
    expect(parseS3Target("/b/a/../c/./d/").key).toBe("a/../c/./d/");
    expect(parseS3Target("/b/%2E%2E/x").key).toBe("../x");
  });

  it("decodes the key once, leaving + as +, and splits off the query", () => {
    const t = parseS3Target("/data/x%20y+z%25%23%3F%26.txt?tagging");
    expect(t).toMatchObject({ bucket: "data", key: "x y+z%#?&.txt" });
    expect(t.query.has("tagging")).toBe(true);
    expect(parseS3Target("/data?list-type=2")).toMatchObject({ bucket: "data", key: "" });
  });
});

describe("parseCopySource", () => {
  it("URL-decodes bucket and key as a whole and takes versionId", () => {
    expect(parseCopySource("src/a%23b%26c%40d%2Be%3Bf%2Cg%3Dh%24i%3Fj%20k%25l")).toEqual({ bucket: "src", key: "a#b&c@d+e;f,g=h$i?j k%l" });
    expect(parseCopySource("/src/dir%2Fsub/%C3%A9t%C3%A9.txt?versionId=abc")).toEqual({ bucket: "src", key: "dir/sub/été.txt", versionId: "abc" });
    expect(parseCopySource("src/a//b")).toEqual({ bucket: "src", key: "a//b" });
  });

  it("refuses a source without a key", () => {
    expect(parseCopySource("src")).toBeUndefined();
    expect(parseCopySource("src/")).toBeUndefined();
  });
});

describe("ranges", () => {
  it("reads first-last, open-ended and suffix ranges", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange("bytes=90-", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=-10", 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange("bytes=50-500", 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange("bytes=100-", 100)).toBe("unsatisfiable");
    expect(parseRange("bytes=0-1,4-5", 100)).toBeUndefined();
  });

  it("takes only whole, in-bounds copy ranges", () => {
    expect(parseCopyRange("bytes=0-4", 5)).toEqual({ start: 0, end: 4 });
    expect(parseCopyRange("bytes=0-5", 5)).toBeUndefined();
    expect(parseCopyRange("bytes=3-", 5)).toBeUndefined();
  });
});

describe("urlEncodeKey and compareKeys", () => {
  it("form-encodes keys, keeping slashes", () => {
    expect(urlEncodeKey("a b/c+d%e#é")).toBe("a+b/c%2Bd%25e%23%C3%A9");
  });

  it("orders by UTF-8 bytes", () => {
    // U+FF61 sorts before U+1F600 in UTF-16 code units' reverse: check byte order.
    expect(["\u{1F600}", "\uFF61", "a", "a/b", "a-b"].sort(compareKeys)).toEqual(["a", "a-b", "a/b", "\uFF61", "\u{1F600}"]);
  });
});

describe("multipartEtag", () => {
  it("is the MD5 of the parts' binary MD5s with the part count", () => {
    const a = createHash("md5").update("a").digest();
    const b = createHash("md5").update("b").digest();
    const expected = createHash("md5").update(Buffer.concat([a, b])).digest("hex");
    expect(multipartEtag([a.toString("hex"), b.toString("hex")])).toBe(`"${expected}-2"`);
  });
});

describe("listPage", () => {
  const keys = ["a/1", "a/2", "b", "c/x/1", "c/y", "d"].sort(compareKeys);

  it("groups common prefixes once across pages", () => {
    const first = listPage(keys, { prefix: "", delimiter: "/", maxKeys: 2, after: "" });
    expect(first).toMatchObject({ keys: ["b"], commonPrefixes: ["a/"], isTruncated: true, last: "b" });
    const second = listPage(keys, { prefix: "", delimiter: "/", maxKeys: 1, after: "b" });
    expect(second).toMatchObject({ keys: [], commonPrefixes: ["c/"], isTruncated: true, last: "c/" });
    const third = listPage(keys, { prefix: "", delimiter: "/", maxKeys: 5, after: "c/" });
    expect(third).toMatchObject({ keys: ["d"], commonPrefixes: [], isTruncated: false });
  });

  it("lists under a prefix after start-after", () => {
    expect(listPage(keys, { prefix: "c/", delimiter: "", maxKeys: 10, after: "c/x/1" }).keys).toEqual(["c/y"]);
    expect(listPage(keys, { prefix: "c/", delimiter: "/", maxKeys: 10, after: "" })).toMatchObject({ keys: ["c/y"], commonPrefixes: ["c/x/"] });
  });
});
