import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer, request } from "node:http";
import path from "node:path";
import S3rver from "s3rver";
import { type FaultBoard, applyHttpFaults } from "../faults";
import { readBody, sendText } from "../http-util";
import { type XmlPair, childText, parseXml, toXml } from "../xml";
import { decodeAwsChunked, isAwsChunked } from "./aws-chunked";
import { MultipartTracker } from "./multipart-tracker";

const xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";
const queryAuthParams = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token", "AWSAccessKeyId", "Signature", "Expires"];

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
 * s3rver behind a small proxy that decodes aws-chunked bodies, drops signatures (any credentials
 * are accepted) and supplies UploadPartCopy, ListParts, AbortMultipartUpload and
 * ListMultipartUploads, which s3rver 3.7.1 lacks.
 */
export async function startS3(opts: S3Options): Promise<S3Service> {
  const s3rver = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: opts.directory, allowMismatchedSignatures: true, configureBuckets: opts.buckets.map((name) => ({ name })) });
  const backend = await s3rver.run();
  const tracker = new MultipartTracker();
  const ctx: ProxyContext = { backendPort: backend.port, tracker, s3rver, directory: opts.directory };
  const server = createServer((req, res) => {
    void (async () => {
      if (await applyHttpFaults(opts.faults, "s3", req, res, (r) => sendS3Error(r, 500, "InternalError", "We encountered an internal error. Please try again."))) return;
      await handle(ctx, req, res);
    })().catch((err: unknown) => {
      if (!res.headersSent) sendS3Error(res, 500, "InternalError", err instanceof Error ? err.message : String(err));
      else res.destroy();
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
      await s3rver.close();
    },
  };
}

interface ProxyContext {
  backendPort: number;
  tracker: MultipartTracker;
  s3rver: S3rver;
  directory: string;
}

async function handle(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox");
  for (const p of queryAuthParams) url.searchParams.delete(p);
  const [bucket = "", ...keyParts] = url.pathname.slice(1).split("/");
  const key = decodeURIComponent(keyParts.join("/"));
  const q = url.searchParams;
  const method = req.method ?? "GET";
  const uploadId = q.get("uploadId");

  if (uploadId && key) {
    if (method === "PUT" && req.headers["x-amz-copy-source"]) return uploadPartCopy(ctx, req, res, url, uploadId);
    if (method === "GET") return listParts(ctx, res, bucket, key, uploadId, q);
    if (method === "DELETE") return abortUpload(ctx, res, bucket, uploadId);
  }
  if (!key && bucket && method === "GET" && q.has("uploads")) return listUploads(ctx, res, bucket, q);

  const body = await bodyFor(req);
  const upstream = await forward(ctx, method, url, req.headers, body);
  if (method === "POST" && q.has("uploads") && upstream.status === 200) {
    const id = childText(parseXml(upstream.body.toString("utf8")), "UploadId");
    if (id) ctx.tracker.started(bucket, key, id);
  }
  if (method === "PUT" && uploadId && q.get("partNumber") && upstream.status === 200) {
    ctx.tracker.part(uploadId, { partNumber: Number(q.get("partNumber")), etag: String(upstream.headers["etag"] ?? ""), size: body?.length ?? 0, lastModified: new Date().toISOString() });
  }
  if (method === "POST" && uploadId && upstream.status === 200) ctx.tracker.finished(uploadId);
  res.writeHead(upstream.status, upstream.headers);
  res.end(upstream.body);
}

/** The request body, decoded when it is aws-chunked; undefined for requests without one. */
async function bodyFor(req: IncomingMessage): Promise<Buffer | undefined> {
  const raw = await readBody(req, 5 * 1024 * 1024 * 1024);
  if (raw.length === 0 && !req.headers["content-length"]) return undefined;
  return isAwsChunked(req.headers) ? decodeAwsChunked(raw).data : raw;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function forward(ctx: ProxyContext, method: string, url: URL, incoming: IncomingHttpHeaders, body: Buffer | undefined): Promise<Upstream> {
  const headers: IncomingHttpHeaders = { ...incoming };
  for (const h of ["authorization", "x-amz-decoded-content-length", "x-amz-trailer", "content-length", "transfer-encoding", "host", "connection", "expect"]) delete headers[h];
  if (headers["x-amz-content-sha256"]) headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
  if (typeof headers["content-encoding"] === "string") {
    const rest = headers["content-encoding"].split(",").map((e) => e.trim()).filter((e) => e !== "aws-chunked" && e !== "");
    if (rest.length > 0) headers["content-encoding"] = rest.join(",");
    else delete headers["content-encoding"];
  }
  if (body !== undefined) headers["content-length"] = String(body.length);
  return new Promise((resolve, reject) => {
    const upstream = request({ host: "127.0.0.1", port: ctx.backendPort, method, path: url.pathname + url.search, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const h = { ...res.headers };
        delete h["transfer-encoding"];
        delete h["connection"];
        const buf = Buffer.concat(chunks);
        if (method !== "HEAD") h["content-length"] = String(buf.length);
        resolve({ status: res.statusCode ?? 500, headers: h, body: buf });
      });
      res.on("error", reject);
    });
    upstream.on("error", reject);
    upstream.end(body);
  });
}

async function uploadPartCopy(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse, url: URL, uploadId: string): Promise<void> {
  await readBody(req);
  const source = decodeURIComponent(String(req.headers["x-amz-copy-source"])).replace(/^\//, "").split("?")[0] ?? "";
  const sourceUrl = new URL(`/${source.split("/").map(encodeURIComponent).join("/")}`, "http://sandbox");
  const range = req.headers["x-amz-copy-source-range"];
  const got = await forward(ctx, "GET", sourceUrl, range ? { range: String(range) } : {}, undefined);
  if (got.status !== 200 && got.status !== 206) {
    res.writeHead(got.status, got.headers);
    res.end(got.body);
    return;
  }
  const put = await forward(ctx, "PUT", url, { "content-type": "application/octet-stream" }, got.body);
  if (put.status !== 200) {
    res.writeHead(put.status, put.headers);
    res.end(put.body);
    return;
  }
  const etag = String(put.headers["etag"] ?? "");
  const lastModified = new Date().toISOString();
  ctx.tracker.part(uploadId, { partNumber: Number(url.searchParams.get("partNumber")), etag, size: got.body.length, lastModified });
  sendXml(res, 200, "CopyPartResult", [["LastModified", lastModified], ["ETag", etag]]);
}

function listParts(ctx: ProxyContext, res: ServerResponse, bucket: string, key: string, uploadId: string, q: URLSearchParams): void {
  const upload = ctx.tracker.get(uploadId);
  if (!upload || upload.bucket !== bucket || upload.key !== key) return noSuchUpload(res, uploadId);
  const marker = Number(q.get("part-number-marker") ?? "0");
  const max = Number(q.get("max-parts") ?? "1000") || 1000;
  const all = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, max);
  const owner: XmlPair[] = [["ID", "sandbox"], ["DisplayName", "sandbox"]];
  sendXml(res, 200, "ListPartsResult", [
    ["Bucket", bucket],
    ["Key", key],
    ["UploadId", uploadId],
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

async function abortUpload(ctx: ProxyContext, res: ServerResponse, bucket: string, uploadId: string): Promise<void> {
  const upload = ctx.tracker.get(uploadId);
  if (!upload || upload.bucket !== bucket) return noSuchUpload(res, uploadId);
  const dir = path.join(ctx.s3rver.store.getResourcePath(bucket, undefined, "uploads"), uploadId);
  // Only remove what lies inside s3rver's directory.
  if (dir.startsWith(path.resolve(ctx.directory))) await rm(dir, { recursive: true, force: true });
  ctx.tracker.finished(uploadId);
  res.writeHead(204, { "x-amz-request-id": randomUUID() });
  res.end();
}

function listUploads(ctx: ProxyContext, res: ServerResponse, bucket: string, q: URLSearchParams): void {
  const prefix = q.get("prefix") ?? "";
  const uploads = ctx.tracker.inBucket(bucket, prefix);
  const owner: XmlPair[] = [["ID", "sandbox"], ["DisplayName", "sandbox"]];
  sendXml(res, 200, "ListMultipartUploadsResult", [
    ["Bucket", bucket],
    ["KeyMarker", ""],
    ["UploadIdMarker", ""],
    ["Prefix", prefix],
    ["MaxUploads", 1000],
    ["IsTruncated", false],
    ...uploads.map((u): XmlPair => ["Upload", [["Key", u.key], ["UploadId", u.uploadId], ["Initiator", owner], ["Owner", owner], ["StorageClass", "STANDARD"], ["Initiated", u.initiated]]]),
  ]);
}

function noSuchUpload(res: ServerResponse, uploadId: string): void {
  sendS3Error(res, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", [["UploadId", uploadId]]);
}

function sendXml(res: ServerResponse, status: number, root: string, content: XmlPair[]): void {
  res.setHeader("x-amz-request-id", randomUUID());
  sendText(res, status, toXml(root, content, xmlns), "application/xml");
}

function sendS3Error(res: ServerResponse, status: number, code: string, message: string, extra: XmlPair[] = []): void {
  sendText(res, status, toXml("Error", [["Code", code], ["Message", message], ...extra, ["RequestId", randomUUID()]]), "application/xml");
}
