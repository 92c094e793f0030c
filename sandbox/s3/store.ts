import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { compareKeys, multipartEtag } from "./wire";

/** Headers S3 stores with an object and answers with it (beside x-amz-meta-*). */
export const systemMetadataHeaders = ["content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires", "x-amz-website-redirect-location"] as const;

export interface ObjectMetadata {
  /** The system headers above that were set, by lower-case name. */
  system: Record<string, string>;
  /** User metadata by lower-case name without `x-amz-meta-`. */
  user: Record<string, string>;
  tags: [string, string][];
}

export interface StoredObject extends ObjectMetadata {
  key: string;
  size: number;
  /** Quoted, as sent: `"<md5>"` or `"<md5 of part md5s>-N"`. */
  etag: string;
  /** Size of each part, for a multipart object (GetObject/HeadObject `partNumber`). */
  parts?: number[];
  lastModified: string;
  /** The data file, relative to the bucket's directory. */
  file: string;
}

interface UploadPart {
  partNumber: number;
  etag: string;
  md5: string;
  size: number;
  lastModified: string;
  file: string;
}

export interface Upload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  metadata: ObjectMetadata;
  parts: Map<number, UploadPart>;
}

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: [string, string][] = [],
  ) {
    super(message);
  }
}

export const minPartBytes = 5 * 1024 * 1024;

/**
 * Objects on disk, one data file and one JSON record each, named by a hash of the key so that any
 * key (`a//b`, `../x`, 1,024 bytes of unicode) is a safe file name; the index of keys is held in
 * memory and sorted by UTF-8 bytes, as S3 lists. Multipart uploads live in memory with their part
 * files on disk, and are forgotten on restart.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, { created: string; objects: Map<string, StoredObject>; sorted?: string[] }>();
  private readonly uploads = new Map<string, Upload>();

  constructor(private readonly directory: string) {}

  async load(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    for (const entry of await readdir(this.directory, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const dir = path.join(this.directory, entry.name);
      const info = await readFile(path.join(dir, "bucket.json"), "utf8").then((t) => JSON.parse(t) as { created: string }).catch(() => undefined);
      if (!info) continue;
      const objects = new Map<string, StoredObject>();
      for (const file of await readdir(path.join(dir, "objects")).catch(() => [] as string[])) {
        if (!file.endsWith(".json")) continue;
        const record = await readFile(path.join(dir, "objects", file), "utf8").then((t) => JSON.parse(t) as StoredObject).catch(() => undefined);
        if (record) objects.set(record.key, record);
      }
      this.buckets.set(entry.name, { created: info.created, objects });
    }
    await rm(path.join(this.directory, ".uploads"), { recursive: true, force: true });
  }

  bucketNames(): { name: string; created: string }[] {
    return [...this.buckets.entries()].map(([name, b]) => ({ name, created: b.created })).sort((a, b) => compareKeys(a.name, b.name));
  }

  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  async createBucket(name: string): Promise<void> {
    if (this.buckets.has(name)) return;
    const created = new Date().toISOString();
    await mkdir(path.join(this.directory, name, "objects"), { recursive: true });
    await writeFile(path.join(this.directory, name, "bucket.json"), JSON.stringify({ created }));
    this.buckets.set(name, { created, objects: new Map() });
  }

  async deleteBucket(name: string): Promise<void> {
    const b = this.bucket(name);
    if (b.objects.size > 0) throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", [["BucketName", name]]);
    this.buckets.delete(name);
    await rm(path.join(this.directory, name), { recursive: true, force: true });
  }

  /** Keys of a bucket in S3's order. */
  sortedKeys(bucket: string): string[] {
    const b = this.bucket(bucket);
    b.sorted ??= [...b.objects.keys()].sort(compareKeys);
    return b.sorted;
  }

  head(bucket: string, key: string): StoredObject | undefined {
    return this.bucket(bucket).objects.get(key);
  }

  get(bucket: string, key: string): StoredObject {
    const o = this.head(bucket, key);
    if (!o) throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", [["Key", key]]);
    return o;
  }

  dataPath(bucket: string, o: StoredObject): string {
    return path.join(this.directory, bucket, "objects", o.file);
  }

  read(bucket: string, o: StoredObject, range?: { start: number; end: number }): Readable {
    return createReadStream(this.dataPath(bucket, o), range);
  }

  async put(bucket: string, key: string, data: Buffer, metadata: ObjectMetadata): Promise<StoredObject> {
    this.bucket(bucket);
    const md5 = createHash("md5").update(data).digest("hex");
    const file = await this.newDataFile(bucket, key);
    await writeFile(file.tmp, data);
    return this.commit(bucket, key, file, { size: data.length, etag: `"${md5}"`, metadata });
  }

  /** Copies the source's bytes (or its metadata only, when source and target are one object). */
  async copy(source: { bucket: string; key: string }, bucket: string, key: string, metadata: ObjectMetadata): Promise<StoredObject> {
    const from = this.get(source.bucket, source.key);
    this.bucket(bucket);
    const file = await this.newDataFile(bucket, key);
    const md5 = createHash("md5");
    await pipeline(this.read(source.bucket, from), async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        md5.update(chunk);
        yield chunk;
      }
    }, createWriteStream(file.tmp));
    // A copy is written as one part, so it gets the plain MD5 even when the source was multipart.
    return this.commit(bucket, key, file, { size: from.size, etag: `"${md5.digest("hex")}"`, metadata });
  }

  async setTags(bucket: string, key: string, tags: [string, string][]): Promise<void> {
    const o = this.get(bucket, key);
    o.tags = tags;
    await this.writeRecord(bucket, o);
  }

  async delete(bucket: string, key: string): Promise<void> {
    const b = this.bucket(bucket);
    const o = b.objects.get(key);
    if (!o) return;
    b.objects.delete(key);
    b.sorted = undefined;
    const base = path.join(this.directory, bucket, "objects", o.file);
    await Promise.all([rm(base, { force: true }), rm(`${base}.json`, { force: true })]);
  }

  // Multipart uploads

  createUpload(bucket: string, key: string, metadata: ObjectMetadata): Upload {
    this.bucket(bucket);
    const upload: Upload = { uploadId: randomBytes(24).toString("base64url"), bucket, key, initiated: new Date().toISOString(), metadata, parts: new Map() };
    this.uploads.set(upload.uploadId, upload);
    return upload;
  }

  upload(bucket: string, key: string, uploadId: string): Upload {
    const u = this.uploads.get(uploadId);
    if (!u || u.bucket !== bucket || u.key !== key) {
      throw new S3Error(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", [["UploadId", uploadId]]);
    }
    return u;
  }

  uploadsIn(bucket: string): Upload[] {
    this.bucket(bucket);
    return [...this.uploads.values()].filter((u) => u.bucket === bucket).sort((a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated));
  }

  async putPart(upload: Upload, partNumber: number, data: Buffer | Readable): Promise<UploadPart> {
    const dir = path.join(this.directory, ".uploads", upload.uploadId);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${partNumber}.${randomBytes(4).toString("hex")}`);
    const md5 = createHash("md5");
    let size = 0;
    if (Buffer.isBuffer(data)) {
      md5.update(data);
      size = data.length;
      await writeFile(file, data);
    } else {
      await pipeline(data, async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          md5.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      }, createWriteStream(file));
    }
    const hex = md5.digest("hex");
    const part: UploadPart = { partNumber, etag: `"${hex}"`, md5: hex, size, lastModified: new Date().toISOString(), file };
    const previous = upload.parts.get(partNumber);
    upload.parts.set(partNumber, part);
    if (previous) await rm(previous.file, { force: true });
    if (!this.uploads.has(upload.uploadId)) await rm(dir, { recursive: true, force: true });
    return part;
  }

  async complete(upload: Upload, listed: { partNumber: number; etag: string }[]): Promise<StoredObject> {
    if (listed.length === 0) throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
    const parts: UploadPart[] = [];
    let last = 0;
    for (const l of listed) {
      if (l.partNumber <= last) throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
      last = l.partNumber;
      const p = upload.parts.get(l.partNumber);
      if (!p || p.etag.replace(/"/g, "") !== l.etag.replace(/"/g, "")) {
        throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.", [["PartNumber", String(l.partNumber)]]);
      }
      parts.push(p);
    }
    parts.slice(0, -1).forEach((p) => {
      if (p.size < minPartBytes) throw new S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", [["PartNumber", String(p.partNumber)], ["ProposedSize", String(p.size)], ["MinSizeAllowed", String(minPartBytes)]]);
    });
    this.uploads.delete(upload.uploadId);
    const file = await this.newDataFile(upload.bucket, upload.key);
    const out = createWriteStream(file.tmp);
    for (const p of parts) await pipeline(createReadStream(p.file), out, { end: false });
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await rm(path.join(this.directory, ".uploads", upload.uploadId), { recursive: true, force: true });
    const size = parts.reduce((n, p) => n + p.size, 0);
    return this.commit(upload.bucket, upload.key, file, { size, etag: multipartEtag(parts.map((p) => p.md5)), parts: parts.map((p) => p.size), metadata: upload.metadata });
  }

  async abort(upload: Upload): Promise<void> {
    this.uploads.delete(upload.uploadId);
    await rm(path.join(this.directory, ".uploads", upload.uploadId), { recursive: true, force: true });
  }

  private bucket(name: string) {
    const b = this.buckets.get(name);
    if (!b) throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", [["BucketName", name]]);
    return b;
  }

  private async newDataFile(bucket: string, key: string): Promise<{ tmp: string; name: string }> {
    // A fresh name per write, so a reader streaming the old version keeps its file until done.
    const name = `${createHash("sha256").update(key).digest("hex").slice(0, 40)}.${randomBytes(6).toString("hex")}`;
    return { tmp: path.join(this.directory, bucket, "objects", `${name}.tmp`), name };
  }

  private async commit(bucket: string, key: string, file: { tmp: string; name: string }, o: { size: number; etag: string; parts?: number[]; metadata: ObjectMetadata }): Promise<StoredObject> {
    const b = this.bucket(bucket);
    const dir = path.join(this.directory, bucket, "objects");
    await rename(file.tmp, path.join(dir, file.name));
    const record: StoredObject = { key, size: o.size, etag: o.etag, ...(o.parts ? { parts: o.parts } : {}), lastModified: new Date().toISOString(), file: file.name, ...cloneMetadata(o.metadata) };
    await this.writeRecord(bucket, record);
    const previous = b.objects.get(key);
    b.objects.set(key, record);
    if (!previous) b.sorted = undefined;
    else if (previous.file !== record.file) {
      const old = path.join(dir, previous.file);
      // Readers still streaming the old data keep their open descriptor; unlinking is safe.
      await Promise.all([rm(old, { force: true }), rm(`${old}.json`, { force: true })]);
    }
    return record;
  }

  private async writeRecord(bucket: string, o: StoredObject): Promise<void> {
    const file = path.join(this.directory, bucket, "objects", `${o.file}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(o));
    await rename(`${file}.tmp`, file);
  }
}

export function cloneMetadata(m: ObjectMetadata): ObjectMetadata {
  return { system: { ...m.system }, user: { ...m.user }, tags: m.tags.map(([k, v]) => [k, v]) };
}
