// Copies the objects under one S3 prefix to another, server-side: Corral sends CopyObject and
// UploadPartCopy requests and S3 moves the bytes, so no object passes through Corral.
//
// Permissions (for the README): the copies are signed with the TARGET's credentials, so the
// target's principal needs, besides s3:ListBucket/PutObject/DeleteObject/AbortMultipartUpload on
// the target, read on the source: s3:GetObject and s3:GetObjectTagging on the source objects (S3
// checks both when it copies an object with its tags). The source's own credentials only list
// and read it. A bucket policy on the source bucket granting that:
//
//   { "Version": "2012-10-17", "Statement": [{
//       "Sid": "CorralCopiesRead",
//       "Effect": "Allow",
//       "Principal": { "AWS": "arn:aws:iam::<target-account>:user/<corral-target-user>" },
//       "Action": ["s3:GetObject", "s3:GetObjectTagging"],
//       "Resource": "arn:aws:s3:::<source-bucket>/<source-prefix>*" }] }
//
// A source on another endpoint (another S3-compatible service, or AWS vs. a local one) cannot be
// copied server-side. The copier refuses it, and a copy refused as AccessDenied on the source, in
// plain words, instead of streaming the bytes through Corral: a streamed copy of a production
// bucket would move every byte through the worker (its time, memory and egress cost) silently,
// where the brief asks for no object bytes through Corral; granting read is the admin's one-line fix.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { abortableSleep, backoffDelay } from "../../dns/backoff";
import { DataProblem } from "../data-problem";
import type { CopyResult, ProgressListener, S3Location, StoreProgress } from "../types";
import { emptyS3Prefix } from "./empty-s3-prefix";
import { describeS3Error, s3ClientFor } from "./s3-client";
import { type PartRange, checkCopyLocations, copySourceHeader, describeLocation, etagPartCount, mapKey, maxSingleCopyBytes, multipartEtag, planParts, planPartsFromSizes } from "./s3-keys";
import { verifyS3Copy } from "./verify-s3-copy";

export interface CopyS3Options {
  source: S3Location;
  target: S3Location;
  /** Objects copied at once (default 16). */
  concurrency?: number;
  /** Objects larger than this are copied in parts (default 5 GiB, CopyObject's limit). */
  multipartThresholdBytes?: number;
  /** Part size for objects copied in parts (default 512 MiB, at least 5 MiB). */
  partSizeBytes?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
}

/** What one object's copy left in the target, for the verification. */
export interface CopiedObject {
  source: ListedObject;
  targetKey: string;
  /** The ETag the target object must have: the source's, or computed from the copied parts. */
  expectedEtag: string;
  multipart: boolean;
}

const objectRetry = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };
const partConcurrency = 4;

export async function copyS3(o: CopyS3Options): Promise<CopyResult> {
  const { source, target, signal } = o;
  checkCopyLocations(source, target);
  if ((source.endpoint ?? "") !== (target.endpoint ?? "")) {
    throw new DataProblem(
      "invalid",
      `The source ${describeLocation(source)} and the target ${describeLocation(target)} are on different S3 endpoints; Corral copies only server-side (S3 to S3 on one endpoint) and does not stream objects through itself.`,
    );
  }
  const threshold = Math.min(o.multipartThresholdBytes ?? maxSingleCopyBytes, maxSingleCopyBytes);
  const partSize = o.partSizeBytes ?? 512 * 1024 * 1024;
  const concurrency = Math.max(1, o.concurrency ?? 16);
  const sourceClient = s3ClientFor(source);
  const targetClient = s3ClientFor(target);
  const progress: StoreProgress = { store: "s3", phase: "emptying", itemsDone: 0, unitsDone: 0, bytesDone: 0 };
  const report = (p: Partial<StoreProgress>) => o.onProgress?.({ ...Object.assign(progress, p) });

  report({});
  await emptyS3Prefix(target, signal, targetClient);

  // Totals come from a listing pass before any copy starts, so progress has them from the first object.
  report({ phase: "copying" });
  const objects = await listObjects(sourceClient, source, signal);
  const bytesTotal = objects.reduce((n, x) => n + x.size, 0);
  report({ itemsTotal: objects.length, unitsTotal: objects.length, bytesTotal });

  const copied: CopiedObject[] = [];
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      signal?.throwIfAborted();
      const object = objects[next++] as ListedObject;
      const targetKey = mapKey(source.prefix, target.prefix, object.key);
      // Bytes this object has added to the progress, taken back when its copy starts over.
      let counted = 0;
      const onBytes = (n: number) => {
        counted += n;
        report({ bytesDone: progress.bytesDone + n, current: object.key });
      };
      const ctx: ObjectCopy = { source, target, sourceClient, targetClient, object, targetKey, signal, onBytes };
      const done = await withObjectRetry(ctx, () => {
        progress.bytesDone -= counted;
        counted = 0;
        return object.size > threshold || etagPartCount(object.etag) !== undefined ? copyInParts(ctx, partSize) : copyWhole(ctx);
      });
      onBytes(object.size - counted);
      copied.push(done);
      report({ itemsDone: progress.itemsDone + 1, unitsDone: progress.unitsDone + 1, current: object.key });
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, objects.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    // Stop the other workers at their next object; what they were copying finishes or aborts itself.
    next = objects.length;
    throw failed.reason;
  }

  report({ phase: "verifying", current: undefined });
  const verification = await verifyS3Copy(targetClient, target, copied, signal);
  if (!verification.ok) {
    throw new DataProblem("invalid", `The copy of ${describeLocation(source)} to ${describeLocation(target)} does not match: ${verification.mismatches.slice(0, 5).join("; ")}${verification.mismatches.length > 5 ? `; and ${verification.mismatches.length - 5} more` : ""}`);
  }
  report({ phase: "done" });
  return { store: "s3", itemsCopied: copied.length, unitsCopied: copied.length, bytesCopied: bytesTotal, verification };
}

async function listObjects(client: S3Client, l: S3Location, signal?: AbortSignal): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  try {
    do {
      const page: ListObjectsV2CommandOutput = await client.send(new ListObjectsV2Command({ Bucket: l.bucket, Prefix: l.prefix, ContinuationToken: token }), { abortSignal: signal });
      for (const c of page.Contents ?? []) out.push({ key: c.Key ?? "", size: c.Size ?? 0, etag: c.ETag ?? "" });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw describeS3Error(error, `listing ${describeLocation(l)}`);
  }
  return out;
}

interface ObjectCopy {
  source: S3Location;
  target: S3Location;
  sourceClient: S3Client;
  targetClient: S3Client;
  object: ListedObject;
  targetKey: string;
  signal?: AbortSignal;
  onBytes: (n: number) => void;
}

/** Retries an object's copy while S3 is unavailable (after the SDK's own retries gave up). */
async function withObjectRetry(ctx: ObjectCopy, copy: () => Promise<CopiedObject>): Promise<CopiedObject> {
  const what = `copying ${describeLocation(ctx.source, ctx.object.key)} to ${describeLocation(ctx.target, ctx.targetKey)}`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await copy();
    } catch (error) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      const problem = describeS3Error(error, what);
      if (problem.kind === "refused") {
        throw new DataProblem("refused", `${problem.message}. The copy is signed by the target's credentials, which need s3:GetObject and s3:GetObjectTagging on the source (see the S3 copier's notes for a bucket policy).`, { cause: error });
      }
      if (problem.kind !== "unavailable" || attempt >= objectRetry.attempts) throw problem;
      await abortableSleep(backoffDelay(attempt - 1, objectRetry), ctx.signal);
    }
  }
}

async function copyWhole(ctx: ObjectCopy): Promise<CopiedObject> {
  await ctx.targetClient.send(
    new CopyObjectCommand({
      Bucket: ctx.target.bucket,
      Key: ctx.targetKey,
      CopySource: copySourceHeader(ctx.source.bucket, ctx.object.key),
      // The listed version, or a failure: a copy never mixes two versions of the source.
      CopySourceIfMatch: ctx.object.etag,
      MetadataDirective: "COPY",
      TaggingDirective: "COPY",
    }),
    { abortSignal: ctx.signal },
  );
  ctx.onBytes(ctx.object.size);
  return { source: ctx.object, targetKey: ctx.targetKey, expectedEtag: ctx.object.etag, multipart: false };
}

/**
 * UploadPartCopy in ranges. A multipart source is cut where its own parts were (HeadObject with
 * partNumber), so the copy's ETag equals the source's; otherwise into `partSize` pieces. Metadata
 * and tags are read from the source and set on the new upload, which does not inherit them.
 */
async function copyInParts(ctx: ObjectCopy, partSize: number): Promise<CopiedObject> {
  const { sourceClient, targetClient, signal } = ctx;
  const head = await sourceClient.send(new HeadObjectCommand({ Bucket: ctx.source.bucket, Key: ctx.object.key, IfMatch: ctx.object.etag }), { abortSignal: signal });
  const tags = await sourceClient.send(new GetObjectTaggingCommand({ Bucket: ctx.source.bucket, Key: ctx.object.key }), { abortSignal: signal });
  const parts = (await sourcePartLayout(ctx, head)) ?? planParts(ctx.object.size, partSize);
  const tagging = new URLSearchParams((tags.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])).toString();
  const created = await targetClient.send(
    new CreateMultipartUploadCommand({
      Bucket: ctx.target.bucket,
      Key: ctx.targetKey,
      ContentType: head.ContentType,
      CacheControl: head.CacheControl,
      ContentDisposition: head.ContentDisposition,
      ContentEncoding: head.ContentEncoding,
      ContentLanguage: head.ContentLanguage,
      Expires: head.Expires,
      Metadata: head.Metadata,
      ...(tagging ? { Tagging: tagging } : {}),
    }),
    { abortSignal: signal },
  );
  const uploadId = created.UploadId;
  try {
    const etags: string[] = [];
    let next = 0;
    const copyPart = async () => {
      while (next < parts.length) {
        const part = parts[next++] as PartRange;
        const out = await targetClient.send(
          new UploadPartCopyCommand({
            Bucket: ctx.target.bucket,
            Key: ctx.targetKey,
            UploadId: uploadId,
            PartNumber: part.partNumber,
            CopySource: copySourceHeader(ctx.source.bucket, ctx.object.key),
            CopySourceIfMatch: ctx.object.etag,
            ...(ctx.object.size > 0 ? { CopySourceRange: `bytes=${part.start}-${part.end}` } : {}),
          }),
          { abortSignal: signal },
        );
        etags[part.partNumber - 1] = out.CopyPartResult?.ETag ?? "";
        ctx.onBytes(part.end - part.start + 1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(partConcurrency, parts.length) }, copyPart));
    const done = await targetClient.send(
      new CompleteMultipartUploadCommand({ Bucket: ctx.target.bucket, Key: ctx.targetKey, UploadId: uploadId, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: etags[p.partNumber - 1] })) } }),
      { abortSignal: signal },
    );
    const expected = multipartEtag(etags);
    if (done.ETag && done.ETag !== expected) {
      throw new DataProblem("invalid", `copying ${describeLocation(ctx.source, ctx.object.key)}: the completed object's ETag ${done.ETag} is not the one its parts give, ${expected}`);
    }
    return { source: ctx.object, targetKey: ctx.targetKey, expectedEtag: expected, multipart: true };
  } catch (error) {
    // Cancelled or failed: the upload's parts would be stored (and billed) until aborted.
    await targetClient.send(new AbortMultipartUploadCommand({ Bucket: ctx.target.bucket, Key: ctx.targetKey, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}

/** The sizes of a multipart source's parts, or undefined when it has one part or S3 will not say. */
async function sourcePartLayout(ctx: ObjectCopy, head: HeadObjectCommandOutput): Promise<PartRange[] | undefined> {
  const count = etagPartCount(ctx.object.etag);
  if (!count || count < 2 || head.ContentLength !== ctx.object.size) return undefined;
  const sizes: number[] = [];
  for (let n = 1; n <= count; n++) {
    const part = await ctx.sourceClient.send(new HeadObjectCommand({ Bucket: ctx.source.bucket, Key: ctx.object.key, PartNumber: n, IfMatch: ctx.object.etag }), { abortSignal: ctx.signal });
    if (part.PartsCount !== count || part.ContentLength === undefined) return undefined;
    sizes.push(part.ContentLength);
  }
  return sizes.reduce((a, b) => a + b, 0) === ctx.object.size ? planPartsFromSizes(sizes) : undefined;
}
