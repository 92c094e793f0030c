import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "@/sandbox/index";
import { awsCli } from "./aws-cli";
import { run, startTestSandbox } from "./helpers";

const aws = awsCli();
if (!aws) console.warn("skipping AWS CLI tests: aws not installed (apt-get install -y awscli)");
const mb = 1024 * 1024;

describe("S3", () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ s3: { buckets: ["data", "backups"] } });
    // Default SDK settings: CRC32 checksums in aws-chunked bodies, which the sandbox decodes.
    s3 = new S3Client({ endpoint: sandbox.s3.url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "any", secretAccessKey: "any" } });
    dir = await mkdtemp(path.join(tmpdir(), "sandbox-s3-"));
  });

  afterAll(async () => {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("stores and lists objects with the SDK's default checksums", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "data", Key: "dumps/a.sql", Body: "select 1;" }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "data", Key: "dumps/a.sql" }));
    expect(await got.Body?.transformToString()).toBe("select 1;");
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "data", Prefix: "dumps/" }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(["dumps/a.sql"]);
  });

  it("completes a multipart upload with a copied part, lists parts and aborts another", async () => {
    const partA = Buffer.alloc(5 * mb, "a");
    await s3.send(new PutObjectCommand({ Bucket: "data", Key: "source.bin", Body: Buffer.alloc(6 * mb, "b") }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "backups", Key: "big.bin" }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: "backups", Key: "big.bin", UploadId, PartNumber: 1, Body: partA }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: "backups", Key: "big.bin", UploadId, PartNumber: 2, CopySource: "data/source.bin", CopySourceRange: "bytes=0-1048575" }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: "backups", Key: "big.bin", UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * mb],
      [2, mb],
    ]);
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "backups",
        Key: "big.bin",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult?.ETag }] },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: "backups", Key: "big.bin" }));
    const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
    expect(bytes.length).toBe(6 * mb);
    expect(bytes.subarray(5 * mb).every((b) => b === "b".charCodeAt(0))).toBe(true);

    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket: "backups", Key: "gone.bin" }));
    await s3.send(new UploadPartCommand({ Bucket: "backups", Key: "gone.bin", UploadId: other.UploadId, PartNumber: 1, Body: "x" }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: "backups", Key: "gone.bin", UploadId: other.UploadId }));
    await expect(s3.send(new ListPartsCommand({ Bucket: "backups", Key: "gone.bin", UploadId: other.UploadId }))).rejects.toMatchObject({ name: "NoSuchUpload" });
  });

  it.skipIf(!aws)("works with aws s3 ls, cp and sync", async () => {
    const env = { ...sandbox.awsEnv, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" };
    const cli = (...args: string[]) => run(aws ?? "aws", [...args, "--endpoint-url", sandbox.s3.url], env);
    const src = path.join(dir, "src");
    await mkdir(path.join(src, "nested"), { recursive: true });
    await writeFile(path.join(src, "one.txt"), "one");
    await writeFile(path.join(src, "nested", "two.txt"), "two");
    // Large enough for the CLI to use a multipart upload.
    await writeFile(path.join(src, "large.bin"), Buffer.alloc(9 * mb, "z"));

    const buckets = await cli("s3", "ls");
    expect(buckets.stdout, buckets.stderr).toMatch(/\bdata\b/);
    const cp = await cli("s3", "cp", path.join(src, "one.txt"), "s3://data/cli/one.txt");
    expect(cp.code, cp.stderr).toBe(0);
    const sync = await cli("s3", "sync", src, "s3://backups/synced");
    expect(sync.code, sync.stderr).toBe(0);
    const ls = await cli("s3", "ls", "--recursive", "s3://backups/synced/");
    expect(ls.stdout).toContain("synced/nested/two.txt");
    expect(ls.stdout).toMatch(/9437184 synced\/large\.bin/);
    const back = path.join(dir, "back");
    const down = await cli("s3", "sync", "s3://backups/synced", back);
    expect(down.code, down.stderr).toBe(0);
    expect(await readFile(path.join(back, "nested", "two.txt"), "utf8")).toBe("two");
    expect((await readFile(path.join(back, "large.bin"))).length).toBe(9 * mb);
  });
});
