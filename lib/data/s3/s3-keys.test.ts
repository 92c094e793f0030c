import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeS3Error } from "./s3-client";
import { checkCopyLocations, copySourceHeader, etagPartCount, mapKey, multipartEtag, planParts, planPartsFromSizes } from "./s3-keys";

const mb = 1024 * 1024;

describe("mapKey", () => {
  it("swaps the source prefix for the target's", () => {
    expect(mapKey("seed/", "env-1/", "seed/a//b c")).toBe("env-1/a//b c");
    expect(mapKey("", "env-1/", "x")).toBe("env-1/x");
    expect(() => mapKey("seed/", "t/", "other/x")).toThrow();
  });
});

describe("copySourceHeader", () => {
  it("escapes everything S3 would decode, keeping slashes", () => {
    expect(copySourceHeader("src", "a #&@+;,=$?%/é//x'(*).txt")).toBe("src/a%20%23%26%40%2B%3B%2C%3D%24%3F%25/%C3%A9//x%27%28%2A%29.txt");
    expect(decodeURIComponent(copySourceHeader("src", "a #&@+;,=$?%/é//x").slice(4))).toBe("a #&@+;,=$?%/é//x");
  });
});

describe("multipart ETags", () => {
  it("are the MD5 of the part MD5s with the count", () => {
    const parts = ["one", "two", "three"].map((s) => createHash("md5").update(s).digest("hex"));
    const expected = createHash("md5").update(Buffer.concat(parts.map((p) => Buffer.from(p, "hex")))).digest("hex");
    expect(multipartEtag(parts.map((p) => `"${p}"`))).toBe(`"${expected}-3"`);
    expect(etagPartCount(`"${expected}-3"`)).toBe(3);
    expect(etagPartCount(`"${parts[0]}"`)).toBeUndefined();
  });
});

describe("planParts", () => {
  it("cuts into part-size ranges with a shorter last part", () => {
    expect(planParts(12 * mb, 5 * mb)).toEqual([
      { partNumber: 1, start: 0, end: 5 * mb - 1 },
      { partNumber: 2, start: 5 * mb, end: 10 * mb - 1 },
      { partNumber: 3, start: 10 * mb, end: 12 * mb - 1 },
    ]);
  });

  it("never goes below 5 MiB nor above 10,000 parts", () => {
    expect(planParts(12 * mb, 1024)).toHaveLength(3);
    const huge = planParts(5 * 1024 ** 4, 5 * mb);
    expect(huge.length).toBeLessThanOrEqual(10_000);
    expect(huge.at(-1)?.end).toBe(5 * 1024 ** 4 - 1);
  });

  it("mirrors given part sizes", () => {
    expect(planPartsFromSizes([5, 5, 1]).map((p) => [p.start, p.end])).toEqual([[0, 4], [5, 9], [10, 10]]);
  });
});

describe("checkCopyLocations", () => {
  const l = { region: "us-east-1", accessKeyId: "a", secretAccessKey: "b", bucket: "b", prefix: "" };
  it("refuses overlapping prefixes in one bucket and prefixes without a slash", () => {
    expect(() => checkCopyLocations({ ...l, prefix: "a/" }, { ...l, prefix: "a/b/" })).toThrow(/overlaps/);
    expect(() => checkCopyLocations({ ...l, prefix: "a/" }, { ...l, prefix: "b" })).toThrow(/must be empty or end/);
    expect(() => checkCopyLocations({ ...l, prefix: "a/" }, { ...l, prefix: "ab/" })).not.toThrow();
    expect(() => checkCopyLocations(l, { ...l, bucket: "other" })).not.toThrow();
  });
});

describe("describeS3Error", () => {
  const err = (name: string, status?: number, extra: object = {}) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });
  it.each([
    [err("SlowDown", 503), "unavailable"],
    [err("InternalError", 500), "unavailable"],
    [err("RequestTimeout", 400), "unavailable"],
    [err("Throttling", 400), "unavailable"],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "unavailable"],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), "unavailable"],
    [err("AccessDenied", 403), "refused"],
    [err("InvalidAccessKeyId", 403), "refused"],
    [err("SignatureDoesNotMatch", 403), "refused"],
    [err("NoSuchBucket", 404), "not-found"],
    [err("NoSuchKey", 404), "not-found"],
    [err("PreconditionFailed", 412), "invalid"],
    [err("EntityTooSmall", 400), "invalid"],
  ])("%s → %s", (error, kind) => {
    expect(describeS3Error(error, "copying s3://a/b").kind).toBe(kind);
  });

  it("names what was being done", () => {
    expect(describeS3Error(err("NoSuchBucket", 404), "listing s3://x/").message).toBe("listing s3://x/: the bucket does not exist (NoSuchBucket)");
  });
});
