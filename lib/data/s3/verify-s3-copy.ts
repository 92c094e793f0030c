import { ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from "@aws-sdk/client-s3";
import type { S3Location, Verification, VerificationItem } from "../types";
import type { CopiedObject } from "./copy-s3";
import { describeS3Error } from "./s3-client";
import { describeLocation, unquote } from "./s3-keys";

const listedMismatches = 50;

/**
 * Lists the target afresh and compares it with what was copied: the number of objects, each
 * object's size, and each ETag — equal to the source's for objects copied whole, equal to the
 * MD5 of the copied parts' MD5s (`-N`) for objects copied in parts. Items record the totals of
 * each comparison; every mismatching object gets an item of its own.
 */
export async function verifyS3Copy(client: S3Client, target: S3Location, copied: CopiedObject[], signal?: AbortSignal): Promise<Verification> {
  const found = new Map<string, { size: number; etag: string }>();
  let token: string | undefined;
  try {
    do {
      const page: ListObjectsV2CommandOutput = await client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.prefix, ContinuationToken: token }), { abortSignal: signal });
      for (const c of page.Contents ?? []) found.set(c.Key ?? "", { size: c.Size ?? 0, etag: c.ETag ?? "" });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw describeS3Error(error, `listing ${describeLocation(target)} to verify the copy`);
  }
  const items: VerificationItem[] = [];
  const mismatches: string[] = [];
  const mismatch = (item: VerificationItem, words: string) => {
    if (mismatches.length < listedMismatches) items.push(item);
    mismatches.push(words);
  };
  items.push({ name: "objects", measure: "count", source: String(copied.length), target: String(found.size), match: copied.length === found.size });
  if (copied.length !== found.size) mismatches.push(`${copied.length} objects in the source, ${found.size} in the copy`);
  const expectedKeys = new Set(copied.map((c) => c.targetKey));
  for (const key of found.keys()) if (!expectedKeys.has(key)) mismatch({ name: key, measure: "count", source: "absent", target: "present", match: false }, `object ${key} is in the copy but not in the source`);

  let sizesMatched = 0;
  let wholeEtags = 0;
  let wholeMatched = 0;
  let partEtags = 0;
  let partMatched = 0;
  let sourceBytes = 0;
  let targetBytes = 0;
  for (const c of copied) {
    const t = found.get(c.targetKey);
    sourceBytes += c.source.size;
    if (!t) {
      mismatch({ name: c.targetKey, measure: "count", source: "present", target: "absent", match: false }, `object ${c.source.key} is missing from the copy`);
      continue;
    }
    targetBytes += t.size;
    if (t.size === c.source.size) sizesMatched++;
    else mismatch({ name: c.targetKey, measure: "size", source: String(c.source.size), target: String(t.size), match: false }, `object ${c.source.key}: ${c.source.size} bytes in the source, ${t.size} in the copy`);
    const etagOk = unquote(t.etag) === unquote(c.expectedEtag);
    if (c.multipart) {
      partEtags++;
      if (etagOk) partMatched++;
    } else {
      wholeEtags++;
      if (etagOk) wholeMatched++;
    }
    if (!etagOk) {
      mismatch(
        { name: c.targetKey, measure: "etag", source: c.expectedEtag, target: t.etag, match: false },
        `object ${c.source.key}: ETag ${t.etag} in the copy, ${c.expectedEtag} expected (${c.multipart ? "computed from the copied parts" : "the source's"})`,
      );
    }
  }
  items.push({ name: "bytes", measure: "size", source: String(sourceBytes), target: String(targetBytes), match: sourceBytes === targetBytes });
  items.push({ name: "objects", measure: "size", source: `${copied.length} sizes`, target: `${sizesMatched} equal`, match: sizesMatched === copied.length });
  items.push({ name: "objects copied whole", measure: "etag", source: `${wholeEtags} ETags (the source's)`, target: `${wholeMatched} equal`, match: wholeMatched === wholeEtags });
  items.push({ name: "objects copied in parts", measure: "etag", source: `${partEtags} ETags (MD5 of the copied parts' MD5s)`, target: `${partMatched} equal`, match: partMatched === partEtags });
  return { ok: mismatches.length === 0, items, mismatches };
}
