// Issue 17: the sandbox's S3 must treat awkward keys, copies, tags and multipart ETags as Amazon
// S3 does, with the AWS SDK and Debian's AWS CLI v2, because the S3 copier relies on all of it.
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
import { awsCli } from "./aws-cli";
import { run, startTestSandbox } from "./helpers";

const aws = awsCli();
const mb = 1024 * 1024;

/** Every kind of name the issue names, nested, doubled slashes and dot segments included. */
export const awkwardKeys = [
  "plain.txt",
  "with space.txt",
  "ünïcödé/日本語/😀.txt",
  "plus+sign.txt",
  "percent%20literal%.txt",
  "hash#tag.txt",
  "amp&and.txt",
  "at@sign.txt",
  "semi;colon.txt",
  "com,ma.txt",
  "equals=sign.txt",
  "dollar$sign.txt",
  "question?mark.txt",
  "all #&@+;,=$?% é.txt",
  "nested/deeper/and deeper/leaf.txt",
  "double//slash.txt",
  "//leading-slashes.txt",
  "trailing-slash/",
  "dots/./here.txt",
  "dots/../there.txt",
  "tilde~and*star'quote(paren).txt",
];

function bytesFor(key: string, size = 64): Buffer {
  const seed = createHash("sha256").update(key).digest();
  return Buffer.alloc(size, seed);
}

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));

describe("sandbox S3 with awkward keys (issue 17)", () => {
  let sandbox: Sandbox;
  let s3: S3Client;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ s3: { buckets: ["h3-src", "h3-dst", "h3-cli"] } });
    s3 = new S3Client({ endpoint: sandbox.s3.url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "any", secretAccessKey: "any" } });
    for (const key of awkwardKeys) {
      await s3.send(
        new PutObjectCommand({
          Bucket: "h3-src",
          Key: key,
          Body: bytesFor(key),
          ContentType: "text/x-awkward",
          CacheControl: "max-age=60",
          Metadata: { origin: "seed", name: "x" },
          Tagging: "team=qa&kind=awkward+key",
        }),
      );
    }
  });

  afterAll(async () => {
    await sandbox.stop();
  });

  it("round-trips every name through HEAD, GET, LIST and DELETE", async () => {
    for (const key of awkwardKeys) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: "h3-src", Key: key }));
      expect(head, key).toMatchObject({ ContentLength: 64, ContentType: "text/x-awkward", CacheControl: "max-age=60", Metadata: { origin: "seed", name: "x" }, ETag: `"${md5(bytesFor(key))}"` });
      const got = await s3.send(new GetObjectCommand({ Bucket: "h3-src", Key: key }));
      expect(md5(await got.Body!.transformToByteArray()), key).toBe(md5(bytesFor(key)));
    }
    const listed = await listAll(s3, "h3-src", {});
    expect(listed).toEqual([...awkwardKeys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));

    await s3.send(new PutObjectCommand({ Bucket: "h3-dst", Key: "dots/../gone.txt", Body: "x" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "h3-dst", Key: "dots/../gone.txt" }));
    await expect(s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: "dots/../gone.txt" }))).rejects.toMatchObject({ name: "NotFound" });
    // The dot segments were never resolved: the source's neighbours are untouched.
    expect((await s3.send(new HeadObjectCommand({ Bucket: "h3-src", Key: "dots/../there.txt" }))).ContentLength).toBe(64);
  });

  it("lists with encoding-type=url, start-after, delimiter and small pages", async () => {
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: "h3-src", EncodingType: "url", Prefix: "all #" }));
    expect(encoded.Contents?.map((c) => c.Key)).toEqual(["all+%23%26%40%2B%3B%2C%3D%24%3F%25+%C3%A9.txt"]);
    expect(formDecode(encoded.Prefix ?? "")).toBe("all #");

    const delimited = await s3.send(new ListObjectsV2Command({ Bucket: "h3-src", Delimiter: "/", EncodingType: "url" }));
    expect(delimited.CommonPrefixes?.map((p) => formDecode(p.Prefix ?? ""))).toEqual(["/", "dots/", "double/", "nested/", "trailing-slash/", "ünïcödé/"]);
    expect(delimited.Contents?.map((c) => formDecode(c.Key ?? ""))).toContain("question?mark.txt");

    const under = await s3.send(new ListObjectsV2Command({ Bucket: "h3-src", Prefix: "dots/", StartAfter: "dots/../there.txt" }));
    expect(under.Contents?.map((c) => c.Key)).toEqual(["dots/./here.txt"]);

    const paged = await listAll(s3, "h3-src", { MaxKeys: 2, Delimiter: "/" });
    const whole = await listAll(s3, "h3-src", { Delimiter: "/" });
    expect(paged.sort()).toEqual(whole.sort());
    expect(whole).toHaveLength(20);
  });

  it("serves byte ranges", async () => {
    const key = "all #&@+;,=$?% é.txt";
    const body = bytesFor(key);
    for (const [range, from, to] of [["bytes=0-9", 0, 10], ["bytes=60-", 60, 64], ["bytes=-4", 60, 64], ["bytes=10-1000", 10, 64]] as const) {
      const got = await s3.send(new GetObjectCommand({ Bucket: "h3-src", Key: key, Range: range }));
      expect(got.ContentRange).toBe(`bytes ${from}-${to - 1}/64`);
      expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body.subarray(from, to));
    }
    await expect(s3.send(new GetObjectCommand({ Bucket: "h3-src", Key: key, Range: "bytes=64-" }))).rejects.toMatchObject({ name: "InvalidRange" });
  });

  it("copies every name server-side, keeping metadata and tags unless replaced", async () => {
    for (const key of awkwardKeys) {
      await s3.send(new CopyObjectCommand({ Bucket: "h3-dst", Key: `copy/${key}`, CopySource: copySource("h3-src", key) }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: `copy/${key}` }));
      expect(head, key).toMatchObject({ ETag: `"${md5(bytesFor(key))}"`, ContentType: "text/x-awkward", CacheControl: "max-age=60", Metadata: { origin: "seed", name: "x" } });
      const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: "h3-dst", Key: `copy/${key}` }));
      expect(tags.TagSet, key).toEqual([{ Key: "team", Value: "qa" }, { Key: "kind", Value: "awkward key" }]);
    }

    const key = "hash#tag.txt";
    await s3.send(
      new CopyObjectCommand({
        Bucket: "h3-dst",
        Key: "replaced.txt",
        CopySource: copySource("h3-src", key),
        MetadataDirective: "REPLACE",
        ContentType: "application/json",
        Metadata: { fresh: "yes" },
        TaggingDirective: "REPLACE",
        Tagging: "only=this",
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: "replaced.txt" }));
    expect(head.ContentType).toBe("application/json");
    expect(head.CacheControl).toBeUndefined();
    expect(head.Metadata).toEqual({ fresh: "yes" });
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: "h3-dst", Key: "replaced.txt" }))).TagSet).toEqual([{ Key: "only", Value: "this" }]);

    // Metadata replaced, tags copied: the two directives are independent.
    await s3.send(new CopyObjectCommand({ Bucket: "h3-dst", Key: "half.txt", CopySource: copySource("h3-src", key), MetadataDirective: "REPLACE", CacheControl: "no-store" }));
    const half = await s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: "half.txt" }));
    expect(half).toMatchObject({ CacheControl: "no-store", Metadata: {} });
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: "h3-dst", Key: "half.txt" }))).TagSet).toHaveLength(2);

    await expect(s3.send(new CopyObjectCommand({ Bucket: "h3-src", Key: key, CopySource: copySource("h3-src", key) }))).rejects.toMatchObject({ name: "InvalidRequest" });
  });

  it("builds a multipart object from awkward sources with UploadPartCopy and gives it an md5-of-md5s-N ETag", async () => {
    const big = "big #&@+;,=$?%/é//20 MiB.bin";
    const data = Buffer.alloc(20 * mb);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    await s3.send(new PutObjectCommand({ Bucket: "h3-src", Key: big, Body: data }));

    const target = "multi/copy of #&@+;,=$?%.bin";
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "h3-dst", Key: target, ContentType: "application/x-big", Tagging: "a=b" }));
    const ranges = [[0, 8 * mb - 1], [8 * mb, 16 * mb - 1], [16 * mb, 20 * mb - 1]] as const;
    const parts = [];
    for (const [i, [start, end]] of ranges.entries()) {
      const r = await s3.send(new UploadPartCopyCommand({ Bucket: "h3-dst", Key: target, UploadId, PartNumber: i + 1, CopySource: copySource("h3-src", big), CopySourceRange: `bytes=${start}-${end}` }));
      expect(r.CopyPartResult?.ETag).toBe(`"${md5(data.subarray(start, end + 1))}"`);
      parts.push({ PartNumber: i + 1, ETag: r.CopyPartResult?.ETag });
    }
    await expect(
      s3.send(new UploadPartCopyCommand({ Bucket: "h3-dst", Key: target, UploadId, PartNumber: 9, CopySource: copySource("h3-src", big), CopySourceRange: `bytes=0-${20 * mb}` })),
    ).rejects.toMatchObject({ name: "InvalidArgument" });
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: "h3-dst", Key: target, UploadId, MultipartUpload: { Parts: parts } }));
    const expected = etagOfParts(ranges.map(([s, e]) => data.subarray(s, (e as number) + 1)));
    expect(done.ETag).toBe(expected);
    expect(expected).toMatch(/^"[0-9a-f]{32}-3"$/);

    const head = await s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: target }));
    expect(head).toMatchObject({ ETag: expected, ContentLength: 20 * mb, ContentType: "application/x-big" });
    const part2 = await s3.send(new HeadObjectCommand({ Bucket: "h3-dst", Key: target, PartNumber: 2 }));
    expect(part2).toMatchObject({ PartsCount: 3, ContentLength: 8 * mb });
    const got = await s3.send(new GetObjectCommand({ Bucket: "h3-dst", Key: target }));
    expect(md5(await got.Body!.transformToByteArray())).toBe(md5(data));

    // Parts uploaded the ordinary way get the same kind of ETag.
    const up = await s3.send(new CreateMultipartUploadCommand({ Bucket: "h3-dst", Key: "multi/uploaded" }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: "h3-dst", Key: "multi/uploaded", UploadId: up.UploadId, PartNumber: 1, Body: data.subarray(0, 5 * mb) }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: "h3-dst", Key: "multi/uploaded", UploadId: up.UploadId, PartNumber: 2, Body: data.subarray(5 * mb, 6 * mb) }));
    const fin = await s3.send(new CompleteMultipartUploadCommand({ Bucket: "h3-dst", Key: "multi/uploaded", UploadId: up.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
    expect(fin.ETag).toBe(etagOfParts([data.subarray(0, 5 * mb), data.subarray(5 * mb, 6 * mb)]));
  });

  it.skipIf(!aws)("syncs, lists, copies and removes every name with the AWS CLI v2", async () => {
    const env = { ...sandbox.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const cli = (...args: string[]) => run(aws ?? "aws", [...args, "--endpoint-url", sandbox.s3.url], env);
    // A 20 MiB object, which the CLI copies with UploadPartCopy (above its 8 MiB threshold).
    await s3.send(new PutObjectCommand({ Bucket: "h3-src", Key: "large/ü #+.bin", Body: Buffer.alloc(20 * mb, 7), ContentType: "application/x-large", Metadata: { big: "yes" } }));
    const sourceKeys = await listAll(s3, "h3-src", {});

    // Without --no-guess-mime-type the CLI sets a type guessed from the name on multipart copies, as it would against AWS.
    const sync = await cli("s3", "sync", "--no-guess-mime-type", "s3://h3-src/", "s3://h3-cli/");
    expect(sync.code, sync.stderr).toBe(0);
    expect(await listAll(s3, "h3-cli", {})).toEqual(sourceKeys);
    for (const key of sourceKeys) {
      const [a, b] = await Promise.all([s3.send(new GetObjectCommand({ Bucket: "h3-src", Key: key })), s3.send(new GetObjectCommand({ Bucket: "h3-cli", Key: key }))]);
      expect(md5(await b.Body!.transformToByteArray()), key).toBe(md5(await a.Body!.transformToByteArray()));
      expect(b.ContentType, key).toBe(a.ContentType);
    }
    const large = await s3.send(new HeadObjectCommand({ Bucket: "h3-cli", Key: "large/ü #+.bin" }));
    expect(large.ETag).toMatch(/-\d+"$/);
    expect(large.Metadata).toEqual({ big: "yes" });

    const ls = await cli("s3api", "list-objects-v2", "--bucket", "h3-cli", "--prefix", "all #", "--query", "Contents[].Key", "--output", "json");
    expect(JSON.parse(ls.stdout)).toEqual(["all #&@+;,=$?% é.txt"]);
    const head = await cli("s3api", "head-object", "--bucket", "h3-cli", "--key", "double//slash.txt");
    expect(head.code, head.stderr).toBe(0);
    expect(JSON.parse(head.stdout)).toMatchObject({ ContentLength: 64, ContentType: "text/x-awkward" });
    const cp = await cli("s3", "cp", "s3://h3-cli/question?mark.txt", "s3://h3-cli/copied/question?mark.txt");
    expect(cp.code, cp.stderr).toBe(0);
    expect((await s3.send(new HeadObjectCommand({ Bucket: "h3-cli", Key: "copied/question?mark.txt" }))).ContentLength).toBe(64);

    const rm = await cli("s3", "rm", "--recursive", "s3://h3-cli/");
    expect(rm.code, rm.stderr).toBe(0);
    expect(await listAll(s3, "h3-cli", {})).toEqual([]);
  });
});

function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key)}`;
}

function etagOfParts(parts: Buffer[]): string {
  const h = createHash("md5");
  for (const p of parts) h.update(createHash("md5").update(p).digest());
  return `"${h.digest("hex")}-${parts.length}"`;
}

async function listAll(s3: S3Client, bucket: string, o: { MaxKeys?: number; Delimiter?: string }): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token, EncodingType: "url", ...o }));
    out.push(...(page.Contents ?? []).map((c) => formDecode(c.Key ?? "")), ...(page.CommonPrefixes ?? []).map((p) => `prefix:${formDecode(p.Prefix ?? "")}`));
    token = page.NextContinuationToken;
  } while (token);
  return out;
}
