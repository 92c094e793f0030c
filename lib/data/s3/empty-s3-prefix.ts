import { AbortMultipartUploadCommand, DeleteObjectsCommand, ListMultipartUploadsCommand, type ListMultipartUploadsCommandOutput, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from "@aws-sdk/client-s3";
import { DataProblem } from "../data-problem";
import type { S3Location } from "../types";
import { describeS3Error, s3ClientFor } from "./s3-client";
import { describeLocation } from "./s3-keys";

/**
 * Deletes every object under the location's prefix (DeleteObjects, 1,000 keys a request) and
 * aborts the multipart uploads in progress there, so no half-written part outlives it.
 * Returns the number of objects deleted.
 */
export async function emptyS3Prefix(target: S3Location, signal?: AbortSignal, client: S3Client = s3ClientFor(target)): Promise<number> {
  const where = describeLocation(target);
  let deleted = 0;
  try {
    // Pages are deleted as they come: a listing of what is gone would only repeat it.
    for (;;) {
      signal?.throwIfAborted();
      const page: ListObjectsV2CommandOutput = await client.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: target.prefix, MaxKeys: 1000 }), { abortSignal: signal });
      const keys = (page.Contents ?? []).map((c) => c.Key ?? "").filter((k) => k.startsWith(target.prefix));
      if (keys.length > 0) {
        const out = await client.send(new DeleteObjectsCommand({ Bucket: target.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }), { abortSignal: signal });
        const failed = out.Errors ?? [];
        if (failed.length > 0) {
          const first = failed[0];
          throw new DataProblem(first?.Code === "AccessDenied" ? "refused" : "unavailable", `emptying ${where}: ${failed.length} objects could not be deleted, e.g. ${first?.Key} (${first?.Code}: ${first?.Message})`);
        }
        deleted += keys.length;
      }
      if (!page.IsTruncated) break;
    }
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      signal?.throwIfAborted();
      const page: ListMultipartUploadsCommandOutput = await client.send(new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: target.prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }), { abortSignal: signal });
      for (const u of page.Uploads ?? []) {
        if (!u.Key?.startsWith(target.prefix)) continue;
        await client.send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: u.Key, UploadId: u.UploadId }), { abortSignal: signal }).catch((e: unknown) => {
          if ((e as { name?: string }).name !== "NoSuchUpload") throw e;
        });
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    throw describeS3Error(error, `emptying ${where}`);
  }
  return deleted;
}
