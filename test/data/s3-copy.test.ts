// The S3 copier against the sandbox's S3: what it copies is checked independently here (bytes'
// MD5, content type, cache control, metadata, tags), not through the copier's own verification.
import {
  CreateMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDataProblem } from "@/lib/data/data-problem";
import { copyS3 } from "@/lib/data/s3/copy-s3";
import { createS3Store, dropS3Store } from "@/lib/data/s3/s3-store";
import { testS3Connection } from "@/lib/data/s3/test-s3-connection";
import type { S3Location, StoreProgress } from "@/lib/data/types";
import type { Sandbox } from "@/sandbox/index";
import { startTestSandbox } from "../sandbox/helpers";

const mb = 1024 * 1024;
const names = ["plain.txt", "with space.txt", "ünïcödé/日本語/😀.txt", "all #&@+;,=$?% é.txt", "nested/deeper/leaf.txt", "double//slash.txt", "dots/../there.txt", "trailing/", "empty.bin"];

describe("copyS3 against the sandbox", () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  let loc: (bucket: string, prefix: string) => S3Location;
  let sourceBefore: Map<string, string>;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ s3: { buckets: ["h3-src", "h3-dst"] } });
    s3 = new S3Client({ endpoint: sandbox.s3.url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "any", secretAccessKey: "any" } });
    loc = (bucket, prefix) => ({ endpoint: sandbox.s3.url, region: "us-east-1", accessKeyId: "any", secretAccessKey: "any", bucket, prefix, forcePathStyle: true });
    for (const [i, name] of names.entries()) {
      await s3.send(
        new PutObjectCommand({
          Bucket: "h3-src",
          Key: `seed/${name}`,
          Body: name === "empty.bin" ? Buffer.alloc(0) : Buffer.alloc(100 + i * 1000, i),
          ContentType: `text/x-${i}`,
          CacheControl: "max-age=60",
          ContentDisposition: `attachment; filename="f${i}"`,
          Metadata: { index: String(i) },
          Tagging: `n=${i}&kind=seed`,
        }),
      );
    }
    const big = Buffer.alloc(20 * mb);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    await s3.send(new PutObjectCommand({ Bucket: "h3-src", Key: "seed/big/20 MiB #1.bin", Body: big, ContentType: "application/x-big", ContentEncoding: "identity", Metadata: { big: "yes" }, Tagging: "size=20" }));
    // A multipart source (5 MiB + 5 MiB + 1 MiB), as the CLI or SDK leave large uploads.
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "h3-src", Key: "seed/big/multipart.bin", ContentType: "application/x-multi", Metadata: { parts: "3" }, Tagging: "m=1" }));
    const parts = [];
    for (const [n, size] of [[1, 5 * mb], [2, 5 * mb], [3, mb]] as const) {
      const r = await s3.send(new UploadPartCommand({ Bucket: "h3-src", Key: "seed/big/multipart.bin", UploadId, PartNumber: n, Body: Buffer.alloc(size, n) }));
      parts.push({ PartNumber: n, ETag: r.ETag });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: "h3-src", Key: "seed/big/multipart.bin", UploadId, MultipartUpload: { Parts: parts } }));
    await s3.send(new PutObjectCommand({ Bucket: "h3-src", Key: "other/not-copied.txt", Body: "x" }));
    sourceBefore = await etags(s3, "h3-src", "");
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it("copies every object with its bytes, content headers, metadata and tags, and verifies counts, sizes and ETags", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "h3-dst", Key: "env-1/stale.txt", Body: "old" }));
    await s3.send(new PutObjectCommand({ Bucket: "h3-dst", Key: "env-10/kept.txt", Body: "neighbour" }));
    const progress: StoreProgress[] = [];
    const result = await copyS3({ source: loc("h3-src", "seed/"), target: loc("h3-dst", "env-1/"), concurrency: 4, onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ store: "s3", itemsCopied: names.length + 2, verification: { ok: true, mismatches: [] } });
    expect(result.verification.items.map((i) => `${i.name}/${i.measure}`)).toEqual(expect.arrayContaining(["objects/count", "bytes/size", "objects copied whole/etag", "objects copied in parts/etag"]));
    await expectSameObjects(s3, "seed/", "env-1/");
    await expect(s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: "env-1/stale.txt" }))).rejects.toMatchObject({ name: "NotFound" });
    expect((await s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: "env-10/kept.txt" }))).ContentLength).toBe(9);

    // The multipart source was copied along its own parts: the copy's ETag is the source's.
    const [a, b] = await Promise.all([head(s3, "h3-src", "seed/big/multipart.bin"), head(s3, "h3-dst", "env-1/big/multipart.bin")]);
    expect(b.ETag).toBe(a.ETag);
    expect(b.ETag).toMatch(/-3"$/);

    const last = progress.at(-1);
    expect(last).toMatchObject({ phase: "done", itemsDone: names.length + 2, itemsTotal: names.length + 2, bytesDone: result.bytesCopied, bytesTotal: result.bytesCopied });
    expect(progress.filter((p) => p.phase === "copying" && p.itemsTotal !== undefined).length).toBeGreaterThan(names.length);
  });

  it("copies objects above the threshold in parts, with an md5-of-md5s ETag and their metadata and tags", async () => {
    const result = await copyS3({ source: loc("h3-src", "seed/big/"), target: loc("h3-dst", "parts/a b/"), multipartThresholdBytes: 6 * mb, partSizeBytes: 5 * mb });
    expect(result.verification.ok).toBe(true);
    const copied = await head(s3, "h3-dst", "parts/a b/20 MiB #1.bin");
    expect(copied).toMatchObject({ ETag: expect.stringMatching(/-4"$/), ContentType: "application/x-big", ContentEncoding: "identity", Metadata: { big: "yes" } });
    const bytes = await body(s3, "h3-dst", "parts/a b/20 MiB #1.bin");
    expect(copied.ETag).toBe(etagOfParts([0, 5, 10, 15].map((m) => bytes.subarray(m * mb, Math.min(bytes.length, (m + 5) * mb)))));
    await expectSameObjects(s3, "seed/big/", "parts/a b/");
    const parts = result.verification.items.find((i) => i.name === "objects copied in parts");
    expect(parts).toMatchObject({ source: "2 ETags (MD5 of the copied parts' MD5s)", target: "2 equal", match: true });
  });

  it("refuses a target overlapping its source and sources on another endpoint", async () => {
    await expect(copyS3({ source: loc("h3-src", "seed/"), target: loc("h3-src", "seed/nested/") })).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("overlaps the source") });
    await expect(copyS3({ source: loc("h3-src", ""), target: loc("h3-src", "copy/") })).rejects.toMatchObject({ kind: "invalid" });
    await expect(copyS3({ source: { ...loc("h3-src", "seed/"), endpoint: "http://127.0.0.1:1" }, target: loc("h3-dst", "x/") })).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("different S3 endpoints") });
  });

  it("cancels: rejects, leaves the target incomplete and no multipart upload open", async () => {
    const controller = new AbortController();
    const run = copyS3({
      source: loc("h3-src", "seed/"),
      target: loc("h3-dst", "cancelled/"),
      concurrency: 2,
      multipartThresholdBytes: 6 * mb,
      partSizeBytes: 5 * mb,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "copying" && p.bytesDone > 0) controller.abort(new Error("cancelled by the test"));
      },
    });
    await expect(run).rejects.toThrow("cancelled by the test");
    const left = await etags(s3, "h3-dst", "cancelled/");
    expect(left.size).toBeLessThan(names.length + 2);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: "h3-dst", Prefix: "cancelled/" }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it("with S3 failing and dropping connections, completes or rejects as unavailable; a rerun without faults succeeds", async () => {
    sandbox.setFaults("s3", { errorRate: 0.3, dropRate: 0.1, seed: 7 });
    let outcome: string;
    try {
      const r = await copyS3({ source: loc("h3-src", "seed/"), target: loc("h3-dst", "faulty/"), concurrency: 4, multipartThresholdBytes: 6 * mb, partSizeBytes: 5 * mb });
      outcome = r.verification.ok ? "copied" : "mismatch";
    } catch (error) {
      outcome = isDataProblem(error, "unavailable") ? "unavailable" : `unexpected: ${String(error)}`;
    } finally {
      sandbox.setFaults("s3", { errorRate: 0, dropRate: 0 });
    }
    expect(["copied", "unavailable"]).toContain(outcome);
    const rerun = await copyS3({ source: loc("h3-src", "seed/"), target: loc("h3-dst", "faulty/"), multipartThresholdBytes: 6 * mb, partSizeBytes: 5 * mb });
    expect(rerun.verification.ok).toBe(true);
    await expectSameObjects(s3, "seed/", "faulty/");
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: "h3-dst", Prefix: "faulty/" }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  it("stores: a store is a prefix; dropping it empties it and is idempotent", async () => {
    const admin = loc("h3-dst", "stores/");
    const store = createS3Store(admin, { prefix: "env-7" });
    expect(store.prefix).toBe("stores/env-7/");
    expect(() => createS3Store(admin, { prefix: "../x" })).toThrow(/not a usable store prefix/);
    await copyS3({ source: loc("h3-src", "seed/nested/"), target: store });
    expect((await etags(s3, "h3-dst", "stores/env-7/")).size).toBe(1);
    await dropS3Store(admin, { prefix: "env-7" });
    await dropS3Store(admin, { prefix: "env-7" });
    expect((await etags(s3, "h3-dst", "stores/env-7/")).size).toBe(0);
  });

  it("testS3Connection counts objects, probes writes and names what failed", async () => {
    expect(await testS3Connection(loc("h3-src", "seed/"), { needWrite: false })).toEqual({ objects: names.length + 2 });
    expect(await testS3Connection(loc("h3-dst", "probe/"), { needWrite: true })).toEqual({ objects: 0 });
    expect((await etags(s3, "h3-dst", "probe/")).size).toBe(0);
    await expect(testS3Connection(loc("h3-missing", ""), { needWrite: false })).rejects.toMatchObject({ kind: "not-found", message: expect.stringContaining("NoSuchBucket") });
    const port = await closedPort();
    await expect(testS3Connection({ ...loc("h3-src", ""), endpoint: `http://127.0.0.1:${port}` }, { needWrite: false })).rejects.toMatchObject({ kind: "unavailable", message: expect.stringContaining("could not be reached") });
  });

  it("never wrote to the source", async () => {
    expect(await etags(s3, "h3-src", "")).toEqual(sourceBefore);
  });
});

async function expectSameObjects(s3: S3Client, from: string, to: string): Promise<void> {
  const source = await etags(s3, "h3-src", from);
  const target = await etags(s3, "h3-dst", to);
  expect([...target.keys()].sort()).toEqual([...source.keys()].map((k) => to + k.slice(from.length)).sort());
  for (const key of source.keys()) {
    const tkey = to + key.slice(from.length);
    const [a, b] = await Promise.all([head(s3, "h3-src", key), head(s3, "h3-dst", tkey)]);
    expect(md5(await body(s3, "h3-dst", tkey)), key).toBe(md5(await body(s3, "h3-src", key)));
    for (const field of ["ContentType", "CacheControl", "ContentDisposition", "ContentEncoding", "ContentLength", "Metadata"] as const) expect(b[field], `${key} ${field}`).toEqual(a[field]);
    const [ta, tb] = await Promise.all([s3.send(new GetObjectTaggingCommand({ Bucket: "h3-src", Key: key })), s3.send(new GetObjectTaggingCommand({ Bucket: "h3-dst", Key: tkey }))]);
    expect(tb.TagSet, key).toEqual(ta.TagSet);
  }
}

async function etags(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const c of page.Contents ?? []) out.set(c.Key ?? "", `${c.ETag} ${c.Size}`);
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

const head = (s3: S3Client, bucket: string, key: string) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
async function body(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

function etagOfParts(parts: Buffer[]): string {
  const h = createHash("md5");
  for (const p of parts) h.update(createHash("md5").update(p).digest());
  return `"${h.digest("hex")}-${parts.length}"`;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
