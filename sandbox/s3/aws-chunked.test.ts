import { describe, expect, it } from "vitest";
import { decodeAwsChunked, isAwsChunked } from "./aws-chunked";

describe("aws-chunked", () => {
  it("decodes signed and unsigned chunks with trailers", () => {
    const body = Buffer.from("5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n");
    const { data, trailers } = decodeAwsChunked(body);
    expect(data.toString()).toBe("hello world");
    expect(trailers["x-amz-checksum-crc32"]).toBe("AAAAAA==");
  });

  it("recognises streaming payloads", () => {
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" })).toBe(true);
    expect(isAwsChunked({ "content-encoding": "aws-chunked" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "UNSIGNED-PAYLOAD" })).toBe(false);
  });
});
