// Pure pieces of the S3 copier: where a key goes, how a copy source is written on the wire, how a
// large object is cut into parts, and what ETag a multipart copy must end with.
import { createHash } from "node:crypto";
import { DataProblem } from "../data-problem";
import type { S3Location } from "../types";

export const minPartBytes = 5 * 1024 * 1024;
export const maxParts = 10_000;
/** CopyObject copies at most 5 GiB; above it only UploadPartCopy can. */
export const maxSingleCopyBytes = 5 * 1024 * 1024 * 1024;

/** The target key for a source key: the source's prefix swapped for the target's. */
export function mapKey(sourcePrefix: string, targetPrefix: string, key: string): string {
  if (!key.startsWith(sourcePrefix)) throw new Error(`key ${key} is not under the prefix ${sourcePrefix}`);
  return targetPrefix + key.slice(sourcePrefix.length);
}

/**
 * `x-amz-copy-source` for a key: S3 URL-decodes the header as a whole, so every byte outside
 * RFC 3986's unreserved set is escaped (`#`, `?`, `&`, `+`, `%`, unicode…); slashes stay readable.
 */
export function copySourceHeader(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeRfc3986).join("/")}`;
}

function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface PartRange {
  partNumber: number;
  start: number;
  /** Inclusive, as in `bytes=start-end`. */
  end: number;
}

/** Cuts `size` bytes into parts of `partSize` (grown when 10,000 parts would not hold it). */
export function planParts(size: number, partSize: number): PartRange[] {
  let each = Math.max(minPartBytes, partSize);
  if (Math.ceil(size / each) > maxParts) each = Math.ceil(size / maxParts);
  return planPartsFromSizes(Array.from({ length: Math.max(1, Math.ceil(size / each)) }, (_, i) => Math.min(each, size - i * each)));
}

/** Parts with the given sizes, back to back (the layout of a multipart source, mirrored). */
export function planPartsFromSizes(sizes: number[]): PartRange[] {
  let start = 0;
  return sizes.map((size, i) => {
    const part = { partNumber: i + 1, start, end: start + size - 1 };
    start += size;
    return part;
  });
}

/** The ETag S3 gives a multipart object: MD5 over the parts' binary MD5s, then `-` and the count. */
export function multipartEtag(partEtags: string[]): string {
  const md5 = createHash("md5");
  for (const etag of partEtags) md5.update(Buffer.from(unquote(etag), "hex"));
  return `"${md5.digest("hex")}-${partEtags.length}"`;
}

/** The part count of a multipart ETag (`"…-3"` → 3), or undefined for a single-part one. */
export function etagPartCount(etag: string): number | undefined {
  const m = /-(\d+)$/.exec(unquote(etag));
  return m ? Number(m[1]) : undefined;
}

export function unquote(etag: string): string {
  return etag.replace(/"/g, "");
}

export function describeLocation(l: S3Location, key?: string): string {
  return `s3://${l.bucket}/${key ?? l.prefix}${l.endpoint ? ` at ${l.endpoint}` : ""}`;
}

/** The same store: one endpoint (AWS when absent) and one bucket. */
export function sameBucket(a: S3Location, b: S3Location): boolean {
  return (a.endpoint ?? "aws") === (b.endpoint ?? "aws") && a.bucket === b.bucket;
}

/** Refuses prefixes that are not "" or end in "/", and a target overlapping its source. */
export function checkCopyLocations(source: S3Location, target: S3Location): void {
  for (const [what, l] of [["source", source], ["target", target]] as const) {
    if (l.prefix !== "" && !l.prefix.endsWith("/")) throw new DataProblem("invalid", `The ${what} prefix "${l.prefix}" must be empty or end with "/".`);
  }
  if (sameBucket(source, target) && (source.prefix.startsWith(target.prefix) || target.prefix.startsWith(source.prefix))) {
    throw new DataProblem("invalid", `The target ${describeLocation(target)} overlaps the source ${describeLocation(source)}: emptying or writing it would change the source.`);
  }
}
