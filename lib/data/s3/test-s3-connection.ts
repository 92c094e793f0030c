import { DeleteObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, PutObjectCommand } from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { DataProblem } from "../data-problem";
import type { S3Location } from "../types";
import { describeS3Error, s3ClientFor } from "./s3-client";
import { describeLocation } from "./s3-keys";

/**
 * Checks that the location answers and the credentials may list it (and, with needWrite, write and
 * delete a small probe object under the prefix). Returns the number of objects under the prefix.
 */
export async function testS3Connection(l: S3Location, o: { needWrite: boolean }): Promise<{ objects: number }> {
  const client = s3ClientFor(l, { maxAttempts: 2 });
  const where = describeLocation(l);
  let objects = 0;
  try {
    let token: string | undefined;
    do {
      const page: ListObjectsV2CommandOutput = await client.send(new ListObjectsV2Command({ Bucket: l.bucket, Prefix: l.prefix, ContinuationToken: token }));
      objects += page.KeyCount ?? page.Contents?.length ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    throw plain(error, `listing ${where}`, "list the bucket (s3:ListBucket)");
  }
  if (o.needWrite) {
    const probe = `${l.prefix}.corral-probe-${randomBytes(6).toString("hex")}`;
    try {
      await client.send(new PutObjectCommand({ Bucket: l.bucket, Key: probe, Body: "corral write probe" }));
    } catch (error) {
      throw plain(error, `writing a probe object to ${where}`, "write objects (s3:PutObject)");
    }
    try {
      await client.send(new DeleteObjectCommand({ Bucket: l.bucket, Key: probe }));
    } catch (error) {
      throw plain(error, `deleting the probe object ${probe} in s3://${l.bucket}`, "delete objects (s3:DeleteObject)");
    }
  }
  return { objects };
}

function plain(error: unknown, what: string, permission: string): DataProblem {
  const problem = describeS3Error(error, what);
  const code = (error as { name?: string }).name;
  if (problem.kind === "refused" && (code === "AccessDenied" || code === "Forbidden")) {
    return new DataProblem("refused", `${what}: access denied; the credentials may not ${permission}.`, { cause: error });
  }
  return problem;
}
