import { createHash, randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { pipeline } from "node:stream/promises";
import { type FaultBoard, applyHttpFaults } from "../faults";
import { readBody } from "../http-util";
import { type XmlPair, childEl, childEls, childText, parseXml, toXml } from "../xml";
import { decodeAwsChunked, isAwsChunked } from "./aws-chunked";
import { listPage } from "./listing";
import { type ObjectMetadata, ObjectStore, S3Error, type StoredObject, cloneMetadata, systemMetadataHeaders } from "./store";
import { parseCopyRange, parseCopySource, parseRange, parseS3Target, parseTaggingHeader, urlEncodeKey } from "./wire";

const xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";
const maxCopyBytes = 5 * 1024 * 1024 * 1024;
const owner: XmlPair[] = [["ID", "sandbox"], ["DisplayName", "sandbox"]];

export interface S3Options {
  host: string;
  port: number;
  buckets: string[];
  directory: string;
  faults: FaultBoard;
}

export interface S3Service {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

/**
 * An S3 API on loopback over the sandbox's own object store (see README, "S3"): path-style only,
 * signatures not checked, aws-chunked bodies decoded, keys taken byte for byte as S3 does.
 */
export async function startS3(opts: S3Options): Promise<S3Service> {
  const store = new ObjectStore(opts.directory);
  await store.load();
  for (const name of opts.buckets) await store.createBucket(name);
  const server = createServer((req, res) => {
    void (async () => {
      const faulted = await applyHttpFaults(
        opts.faults,
        "s3",
        req,
        res,
        (r) => sendError(r, req, new S3Error(500, "InternalError", "We encountered an internal error. Please try again.")),
        (r) => sendError(r, req, new S3Error(503, "SlowDown", "Please reduce your request rate.")),
      );
      if (faulted) return;
      await handle(store, req, res);
    })().catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendError(res, req, err instanceof S3Error ? err : new S3Error(500, "InternalError", err instanceof Error ? err.message : String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : opts.port,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(store: ObjectStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { bucket, key, query: q } = parseS3Target(req.url ?? "/");
  const method = req.method ?? "GET";
  if (!bucket) {
    if (method !== "GET") throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    return sendXml(res, 200, "ListAllMyBucketsResult", [["Owner", owner], ["Buckets", store.bucketNames().map((b): XmlPair => ["Bucket", [["Name", b.name], ["CreationDate", b.created]]])]]);
  }
  if (!key) return handleBucket(store, req, res, bucket, q, method);
  if (Buffer.byteLength(key) > 1024) throw new S3Error(400, "KeyTooLongError", "Your key is too long");
  for (const sub of ["acl", "legal-hold", "retention", "select", "torrent", "restore", "attributes"]) {
    if (q.has(sub)) throw notImplemented(sub);
  }
  const versionId = q.get("versionId");
  if (versionId && versionId !== "null") throw new S3Error(400, "InvalidArgument", "Invalid version id specified (the sandbox does not keep versions)", [["ArgumentName", "versionId"], ["ArgumentValue", versionId]]);
  const uploadId = q.get("uploadId");

  if (q.has("tagging")) return objectTagging(store, req, res, bucket, key, method);
  if (method === "POST" && q.has("uploads")) {
    await drain(req);
    const upload = store.createUpload(bucket, key, metadataFrom(req));
    return sendXml(res, 200, "InitiateMultipartUploadResult", [["Bucket", bucket], ["Key", key], ["UploadId", upload.uploadId]]);
  }
  if (uploadId) {
    const upload = store.upload(bucket, key, uploadId);
    if (method === "PUT") return uploadPart(store, req, res, upload, q);
    if (method === "POST") {
      const doc = parseXml((await readBody(req)).toString("utf8"));
      const parts = childEls(doc, "Part").map((p) => ({ partNumber: Number(childText(p, "PartNumber")), etag: childText(p, "ETag") ?? "" }));
      const o = await store.complete(upload, parts);
      return sendXml(res, 200, "CompleteMultipartUploadResult", [["Location", `http://${req.headers.host ?? "sandbox"}/${bucket}/${encodeURI(key)}`], ["Bucket", bucket], ["Key", key], ["ETag", o.etag]]);
    }
    if (method === "DELETE") {
      await store.abort(upload);
      return sendEmpty(res, 204);
    }
    if (method === "GET") return listParts(res, upload, q);
  }
  if (method === "GET" || method === "HEAD") return getObject(store, req, res, bucket, key, q);
  if (method === "PUT") {
    if (req.headers["x-amz-copy-source"]) return copyObject(store, req, res, bucket, key);
    const data = await bodyOf(req);
    const md5 = req.headers["content-md5"];
    if (typeof md5 === "string" && md5 !== createHash("md5").update(data).digest("base64")) {
      throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
    const o = await store.put(bucket, key, data, metadataFrom(req));
    res.setHeader("etag", o.etag);
    return sendEmpty(res, 200);
  }
  if (method === "DELETE") {
    await store.delete(bucket, key);
    return sendEmpty(res, 204);
  }
  throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}

async function handleBucket(store: ObjectStore, req: IncomingMessage, res: ServerResponse, bucket: string, q: URLSearchParams, method: string): Promise<void> {
  if (method === "PUT" && ![...q.keys()].length) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", [["BucketName", bucket]]);
    await drain(req);
    await store.createBucket(bucket);
    res.setHeader("location", `/${bucket}`);
    return sendEmpty(res, 200);
  }
  if (!store.hasBucket(bucket)) throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", [["BucketName", bucket]]);
  if (method === "HEAD") return sendEmpty(res, 200);
  if (method === "DELETE" && ![...q.keys()].length) {
    await store.deleteBucket(bucket);
    return sendEmpty(res, 204);
  }
  if (method === "POST" && q.has("delete")) return deleteObjects(store, req, res, bucket);
  if (method === "GET" && q.has("location")) return sendXml(res, 200, "LocationConstraint", "");
  if (method === "GET" && q.has("versioning")) return sendXml(res, 200, "VersioningConfiguration", []);
  if (method === "GET" && q.has("uploads")) {
    const prefix = q.get("prefix") ?? "";
    const uploads = store.uploadsIn(bucket).filter((u) => u.key.startsWith(prefix));
    return sendXml(res, 200, "ListMultipartUploadsResult", [
      ["Bucket", bucket],
      ["KeyMarker", ""],
      ["UploadIdMarker", ""],
      ["Prefix", prefix],
      ["MaxUploads", 1000],
      ["IsTruncated", false],
      ...uploads.map((u): XmlPair => ["Upload", [["Key", u.key], ["UploadId", u.uploadId], ["Initiator", owner], ["Owner", owner], ["StorageClass", "STANDARD"], ["Initiated", u.initiated]]]),
    ]);
  }
  if (method === "GET" && ![...q.keys()].some((k) => !listParams.has(k))) return listObjects(store, res, bucket, q);
  throw notImplemented([...q.keys()].join(", ") || method);
}

const listParams = new Set(["list-type", "prefix", "delimiter", "max-keys", "start-after", "continuation-token", "encoding-type", "fetch-owner", "marker"]);

function listObjects(store: ObjectStore, res: ServerResponse, bucket: string, q: URLSearchParams): void {
  const v2 = q.get("list-type") === "2";
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const maxKeys = Math.min(1000, Math.max(0, Number(q.get("max-keys") ?? "1000") || 0));
  const encodingType = q.get("encoding-type");
  if (encodingType && encodingType !== "url") throw new S3Error(400, "InvalidArgument", "Invalid Encoding Method specified in Request", [["ArgumentName", "encoding-type"]]);
  const enc = (s: string) => (encodingType ? urlEncodeKey(s) : s);
  const token = q.get("continuation-token");
  let after = v2 ? (q.get("start-after") ?? "") : (q.get("marker") ?? "");
  if (v2 && token) {
    const decoded = Buffer.from(token, "base64url").toString("utf8");
    if (!decoded.startsWith("k:")) throw new S3Error(400, "InvalidArgument", "The continuation token provided is incorrect", [["ArgumentName", "continuation-token"]]);
    after = decoded.slice(2);
  }
  const page = listPage(store.sortedKeys(bucket), { prefix, delimiter, maxKeys, after });
  const contents = page.keys.map((k): XmlPair => {
    const o = store.head(bucket, k) as StoredObject;
    return ["Contents", [["Key", enc(k)], ["LastModified", o.lastModified], ["ETag", o.etag], ["Size", o.size], ["StorageClass", "STANDARD"], ...(!v2 || q.get("fetch-owner") === "true" ? [["Owner", owner] as XmlPair] : [])]];
  });
  const prefixes = page.commonPrefixes.map((p): XmlPair => ["CommonPrefixes", [["Prefix", enc(p)]]]);
  const next = page.isTruncated && page.last !== undefined ? page.last : undefined;
  if (v2) {
    return sendXml(res, 200, "ListBucketResult", [
      ["Name", bucket],
      ["Prefix", enc(prefix)],
      ...(q.has("start-after") ? [["StartAfter", enc(q.get("start-after") ?? "")] as XmlPair] : []),
      ...(token ? [["ContinuationToken", token] as XmlPair] : []),
      ...(next !== undefined ? [["NextContinuationToken", Buffer.from(`k:${next}`).toString("base64url")] as XmlPair] : []),
      ["KeyCount", page.keys.length + page.commonPrefixes.length],
      ["MaxKeys", maxKeys],
      ...(delimiter ? [["Delimiter", enc(delimiter)] as XmlPair] : []),
      ...(encodingType ? [["EncodingType", encodingType] as XmlPair] : []),
      ["IsTruncated", page.isTruncated],
      ...contents,
      ...prefixes,
    ]);
  }
  return sendXml(res, 200, "ListBucketResult", [
    ["Name", bucket],
    ["Prefix", enc(prefix)],
    ["Marker", enc(after)],
    ...(next !== undefined ? [["NextMarker", enc(next)] as XmlPair] : []),
    ["MaxKeys", maxKeys],
    ...(delimiter ? [["Delimiter", enc(delimiter)] as XmlPair] : []),
    ...(encodingType ? [["EncodingType", encodingType] as XmlPair] : []),
    ["IsTruncated", page.isTruncated],
    ...contents,
    ...prefixes,
  ]);
}

async function deleteObjects(store: ObjectStore, req: IncomingMessage, res: ServerResponse, bucket: string): Promise<void> {
  const doc = parseXml((await bodyOf(req)).toString("utf8"));
  const objects = childEls(doc, "Object");
  if (objects.length === 0 || objects.length > 1000) throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.");
  const quiet = childText(doc, "Quiet") === "true";
  const keys = objects.map((o) => childEl(o, "Key")?.text ?? "");
  for (const k of keys) await store.delete(bucket, k);
  return sendXml(res, 200, "DeleteResult", quiet ? [] : keys.map((k): XmlPair => ["Deleted", [["Key", k]]]));
}

async function getObject(store: ObjectStore, req: IncomingMessage, res: ServerResponse, bucket: string, key: string, q: URLSearchParams): Promise<void> {
  const o = store.get(bucket, key);
  const ifMatch = req.headers["if-match"];
  if (ifMatch && !etagMatches(ifMatch, o.etag)) throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", [["Condition", "If-Match"]]);
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch && etagMatches(ifNoneMatch, o.etag)) return sendEmpty(res, 304, { etag: o.etag });
  const headers: Record<string, string | number> = { etag: o.etag, "last-modified": new Date(o.lastModified).toUTCString(), "accept-ranges": "bytes", "content-type": "binary/octet-stream", ...o.system };
  for (const [name, value] of Object.entries(o.user)) headers[`x-amz-meta-${name}`] = value;
  if (o.tags.length > 0) headers["x-amz-tagging-count"] = o.tags.length;
  for (const h of ["content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires"]) {
    const override = q.get(`response-${h}`);
    if (override) headers[h] = override;
  }
  let range: { start: number; end: number } | undefined;
  const partNumber = q.get("partNumber");
  if (partNumber) {
    const n = Number(partNumber);
    const sizes = o.parts ?? [o.size];
    if (!Number.isInteger(n) || n < 1 || n > sizes.length) throw new S3Error(416, "InvalidPartNumber", "The requested partnumber is not satisfiable", [["PartNumberRequested", partNumber], ["ActualPartCount", String(sizes.length)]]);
    const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
    range = { start, end: start + (sizes[n - 1] as number) - 1 };
    headers["x-amz-mp-parts-count"] = sizes.length;
    if (!o.parts) range = undefined;
  } else {
    const r = parseRange(req.headers.range, o.size);
    if (r === "unsatisfiable") throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable", [["RangeRequested", String(req.headers.range)], ["ActualObjectSize", String(o.size)]]);
    range = r;
  }
  if (range && range.end < range.start) range = undefined;
  headers["content-length"] = range ? range.end - range.start + 1 : o.size;
  if (range) headers["content-range"] = `bytes ${range.start}-${range.end}/${o.size}`;
  headers["x-amz-request-id"] = randomUUID();
  res.writeHead(range ? 206 : 200, headers);
  if (req.method === "HEAD" || o.size === 0) return void res.end();
  await pipeline(store.read(bucket, o, range), res);
}

async function copyObject(store: ObjectStore, req: IncomingMessage, res: ServerResponse, bucket: string, key: string): Promise<void> {
  await drain(req);
  const { source, from } = copySourceOf(store, req);
  if (from.size > maxCopyBytes) throw new S3Error(400, "InvalidRequest", `The specified copy source is larger than the maximum allowable size for a copy source: ${maxCopyBytes}`);
  const metadataDirective = directive(req, "x-amz-metadata-directive");
  const taggingDirective = directive(req, "x-amz-tagging-directive");
  if (source.bucket === bucket && source.key === key && metadataDirective === "COPY") {
    throw new S3Error(400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  const requested = metadataFrom(req);
  const metadata: ObjectMetadata = {
    system: metadataDirective === "REPLACE" ? requested.system : { ...from.system },
    user: metadataDirective === "REPLACE" ? requested.user : { ...from.user },
    tags: taggingDirective === "REPLACE" ? requested.tags : cloneMetadata(from).tags,
  };
  const o = await store.copy(source, bucket, key, metadata);
  return sendXml(res, 200, "CopyObjectResult", [["LastModified", o.lastModified], ["ETag", o.etag]]);
}

async function uploadPart(store: ObjectStore, req: IncomingMessage, res: ServerResponse, upload: ReturnType<ObjectStore["upload"]>, q: URLSearchParams): Promise<void> {
  const partNumber = Number(q.get("partNumber"));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw new S3Error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", [["ArgumentName", "partNumber"]]);
  if (!req.headers["x-amz-copy-source"]) {
    const part = await store.putPart(upload, partNumber, await bodyOf(req));
    res.setHeader("etag", part.etag);
    return sendEmpty(res, 200);
  }
  await drain(req);
  const { source, from } = copySourceOf(store, req);
  const rangeHeader = req.headers["x-amz-copy-source-range"];
  let range: { start: number; end: number } | undefined;
  if (typeof rangeHeader === "string") {
    range = parseCopyRange(rangeHeader, from.size);
    if (!range) throw new S3Error(400, "InvalidArgument", `Range specified is not valid for source object of size: ${from.size}`, [["ArgumentName", "x-amz-copy-source-range"], ["ArgumentValue", rangeHeader]]);
  } else if (from.size > maxCopyBytes) {
    throw new S3Error(400, "InvalidRequest", `The specified copy source is larger than the maximum allowable size for a copy source: ${maxCopyBytes}`);
  }
  const part = await store.putPart(upload, partNumber, from.size === 0 ? Buffer.alloc(0) : store.read(source.bucket, from, range));
  return sendXml(res, 200, "CopyPartResult", [["LastModified", part.lastModified], ["ETag", part.etag]]);
}

function listParts(res: ServerResponse, upload: ReturnType<ObjectStore["upload"]>, q: URLSearchParams): void {
  const marker = Number(q.get("part-number-marker") ?? "0");
  const max = Math.min(1000, Number(q.get("max-parts") ?? "1000") || 1000);
  const all = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, max);
  sendXml(res, 200, "ListPartsResult", [
    ["Bucket", upload.bucket],
    ["Key", upload.key],
    ["UploadId", upload.uploadId],
    ["Initiator", owner],
    ["Owner", owner],
    ["StorageClass", "STANDARD"],
    ["PartNumberMarker", marker],
    ["NextPartNumberMarker", page[page.length - 1]?.partNumber ?? marker],
    ["MaxParts", max],
    ["IsTruncated", all.length > page.length],
    ...page.map((p): XmlPair => ["Part", [["PartNumber", p.partNumber], ["LastModified", p.lastModified], ["ETag", p.etag], ["Size", p.size]]]),
  ]);
}

async function objectTagging(store: ObjectStore, req: IncomingMessage, res: ServerResponse, bucket: string, key: string, method: string): Promise<void> {
  if (method === "GET") {
    const o = store.get(bucket, key);
    return sendXml(res, 200, "Tagging", [["TagSet", o.tags.map(([k, v]): XmlPair => ["Tag", [["Key", k], ["Value", v]]])]]);
  }
  if (method === "PUT") {
    const doc = parseXml((await bodyOf(req)).toString("utf8"));
    const tags = childEls(childEl(doc, "TagSet"), "Tag").map((t): [string, string] => [childEl(t, "Key")?.text ?? "", childEl(t, "Value")?.text ?? ""]);
    if (tags.length > 10) throw new S3Error(400, "BadRequest", "Object tags cannot be greater than 10");
    await store.setTags(bucket, key, tags);
    return sendEmpty(res, 200);
  }
  if (method === "DELETE") {
    await store.setTags(bucket, key, []);
    return sendEmpty(res, 204);
  }
  throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}

function copySourceOf(store: ObjectStore, req: IncomingMessage): { source: { bucket: string; key: string }; from: StoredObject } {
  const header = String(req.headers["x-amz-copy-source"]);
  const source = parseCopySource(header);
  if (!source) throw new S3Error(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", [["ArgumentName", "x-amz-copy-source"], ["ArgumentValue", header]]);
  if (source.versionId && source.versionId !== "null") throw new S3Error(404, "NoSuchVersion", "The specified version does not exist (the sandbox does not keep versions).", [["VersionId", source.versionId]]);
  if (!store.hasBucket(source.bucket)) throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", [["BucketName", source.bucket]]);
  const from = store.get(source.bucket, source.key);
  const ifMatch = req.headers["x-amz-copy-source-if-match"];
  if (typeof ifMatch === "string" && !etagMatches(ifMatch, from.etag)) throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", [["Condition", "x-amz-copy-source-If-Match"]]);
  const ifNoneMatch = req.headers["x-amz-copy-source-if-none-match"];
  if (typeof ifNoneMatch === "string" && etagMatches(ifNoneMatch, from.etag)) throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", [["Condition", "x-amz-copy-source-If-None-Match"]]);
  return { source, from };
}

function directive(req: IncomingMessage, header: string): "COPY" | "REPLACE" {
  const value = String(req.headers[header] ?? "COPY").toUpperCase();
  if (value !== "COPY" && value !== "REPLACE") throw new S3Error(400, "InvalidArgument", `Unknown ${header}.`, [["ArgumentName", header], ["ArgumentValue", value]]);
  return value;
}

/** The metadata a PutObject, CopyObject (REPLACE) or CreateMultipartUpload sets. */
function metadataFrom(req: IncomingMessage): ObjectMetadata {
  const system: Record<string, string> = {};
  for (const h of systemMetadataHeaders) {
    const v = req.headers[h];
    if (typeof v === "string") system[h] = v;
  }
  if (system["content-encoding"] !== undefined) {
    const rest = system["content-encoding"].split(",").map((e) => e.trim()).filter((e) => e && e !== "aws-chunked");
    if (rest.length > 0) system["content-encoding"] = rest.join(",");
    else delete system["content-encoding"];
  }
  system["content-type"] ??= "binary/octet-stream";
  const user: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith("x-amz-meta-") && typeof value === "string") user[name.slice("x-amz-meta-".length)] = value;
  }
  const tagging = req.headers["x-amz-tagging"];
  return { system, user, tags: parseTaggingHeader(typeof tagging === "string" ? tagging : undefined) };
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(",").some((e) => e.trim() === "*" || e.trim().replace(/"/g, "") === etag.replace(/"/g, ""));
}

/** The request body, decoded when it is aws-chunked. */
async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const raw = await readBody(req, 6 * 1024 * 1024 * 1024);
  return isAwsChunked(req.headers) ? decodeAwsChunked(raw).data : raw;
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const chunk of req) void chunk;
}

function notImplemented(what: string): S3Error {
  return new S3Error(501, "NotImplemented", `A header or query you provided implies functionality that is not implemented in the sandbox: ${what}`);
}

function sendXml(res: ServerResponse, status: number, root: string, content: XmlPair[] | string): void {
  const text = toXml(root, content, xmlns);
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(text), "x-amz-request-id": randomUUID() });
  res.end(text);
}

function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-length": 0, "x-amz-request-id": randomUUID(), ...headers });
  res.end();
}

function sendError(res: ServerResponse, req: IncomingMessage, err: S3Error): void {
  const requestId = randomUUID();
  if (req.method === "HEAD") {
    res.writeHead(err.status, { "x-amz-request-id": requestId, "x-amz-error-code": err.code });
    return void res.end();
  }
  const text = toXml("Error", [["Code", err.code], ["Message", err.message], ...err.extra, ["RequestId", requestId]]);
  res.writeHead(err.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(text), "x-amz-request-id": requestId });
  res.end(text);
}
