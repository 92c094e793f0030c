// Pure pieces of S3's wire format that the sandbox must get exactly right: where a request's key
// is, what a copy source names, byte ranges, URL-encoded listings and multipart ETags.
import { createHash } from "node:crypto";

export interface S3Target {
  bucket: string;
  key: string;
  query: URLSearchParams;
}

/**
 * Splits a raw request target (as sent, not normalised) into bucket, key and query. The key is
 * everything after the bucket's slash, percent-decoded once: `a//b`, `a/./b`, `a/../b` and a
 * trailing `/` are keys of their own, as they are in S3 (WHATWG URL parsing would resolve them).
 */
export function parseS3Target(rawUrl: string): S3Target {
  const q = rawUrl.indexOf("?");
  const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
  const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : "");
  const path = rawPath.replace(/^\/+/, "");
  const slash = path.indexOf("/");
  if (slash < 0) return { bucket: safeDecode(path), key: "", query };
  return { bucket: safeDecode(path.slice(0, slash)), key: safeDecode(path.slice(slash + 1)), query };
}

/**
 * `x-amz-copy-source` as S3 reads it: `[/]bucket/key[?versionId=id]`, URL-encoded as a whole
 * (clients encode `#`, `?`, `&`, `+`, `%` and non-ASCII; `/` may be encoded or not).
 */
export function parseCopySource(header: string): { bucket: string; key: string; versionId?: string } | undefined {
  let value = header.trim();
  let versionId: string | undefined;
  const q = value.indexOf("?");
  if (q >= 0) {
    versionId = new URLSearchParams(value.slice(q + 1)).get("versionId") ?? undefined;
    value = value.slice(0, q);
  }
  const decoded = safeDecode(value).replace(/^\//, "");
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) return undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId ? { versionId } : {}) };
}

/** A `Range: bytes=…` for an object of `size` bytes: the inclusive span, "unsatisfiable", or undefined (serve it all). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | "unsatisfiable" | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? "").trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    return size === 0 ? "unsatisfiable" : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

/** `x-amz-copy-source-range` must be `bytes=first-last`, both given and inside the object. */
export function parseCopyRange(header: string, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return end >= start && end < size ? { start, end } : undefined;
}

/**
 * What S3 answers for `encoding-type=url`: form encoding (a space is `+`) with `/` left as is;
 * botocore reverses it with `unquote_plus`, the JS SDK with decodeURIComponent after `+` → space.
 */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+");
}

/** S3 orders keys by their UTF-8 bytes, which differs from JS string order above U+FFFF and between surrogates and U+E000–U+FFFF. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The ETag S3 gives a multipart object: MD5 of the parts' binary MD5s, a dash, the number of parts. */
export function multipartEtag(partMd5Hex: string[]): string {
  const md5 = createHash("md5");
  for (const hex of partMd5Hex) md5.update(Buffer.from(hex, "hex"));
  return `"${md5.digest("hex")}-${partMd5Hex.length}"`;
}

/** `x-amz-tagging` is a URL query string (`a=1&b=2`). */
export function parseTaggingHeader(header: string | undefined): [string, string][] {
  if (!header) return [];
  return [...new URLSearchParams(header).entries()];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
