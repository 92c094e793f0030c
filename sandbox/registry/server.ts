import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type FaultBoard, applyHttpFaults } from "../faults";
import { readBody } from "../http-util";
import { NAME, RegistryError, type RegistryStore } from "./store";
import { CATALOG, type TokenIssuer } from "./tokens";

export interface RegistryServerDeps {
  store: RegistryStore;
  faults: FaultBoard;
  /** The registry's host name, which is also the token service's name. */
  service: string;
  /** Token auth on; null lets every request through. */
  tokens: TokenIssuer | null;
  /** The most tags or repositories one page holds, and the page size when `n` is absent. */
  maxPageSize: () => number;
}

/** What the registry was asked, for tests and benchmarks that prove a cache spared it. */
export interface RegistryCounters {
  requests: number;
  tokens: number;
  tagLists: number;
  manifests: number;
  faults: number;
}

const API_VERSION = { "docker-distribution-api-version": "registry/2.0" };
// The spec asks registries to take manifests of at least 4 MB.
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/**
 * The OCI distribution API, the parts a tag picker and a test pushing a tag need:
 *   GET  /v2/                              API version check
 *   GET  /v2/_catalog?n=&last=             repositories, a page at a time
 *   GET  /v2/<name>/tags/list?n=&last=     tags in lexical order, `Link: <…>; rel="next"` when more
 *   HEAD|GET /v2/<name>/manifests/<ref>    by tag or digest
 *   PUT  /v2/<name>/manifests/<tag>        an OCI (or Docker v2) image manifest
 *   GET  /token?service=&scope=            bearer tokens for basic credentials, when auth is on
 */
export function createRegistryServer(deps: RegistryServerDeps): { server: Server; counters: RegistryCounters } {
  const counters: RegistryCounters = { requests: 0, tokens: 0, tagLists: 0, manifests: 0, faults: 0 };
  const server = createServer((req, res) => {
    void (async () => {
      counters.requests++;
      const faulted = await applyHttpFaults(
        deps.faults,
        "registry",
        req,
        res,
        (r) => sendErrors(r, new RegistryError("UNAVAILABLE", 503, "service unavailable: the sandbox injected a fault")),
        (r, retryAfterSeconds) => sendErrors(r, new RegistryError("TOOMANYREQUESTS", 429, "too many requests: the sandbox injected a fault"), { "retry-after": String(retryAfterSeconds) }),
      );
      if (faulted) {
        counters.faults++;
        return;
      }
      await route(deps, counters, req, res);
    })().catch((err: unknown) => {
      const e = err instanceof RegistryError ? err : new RegistryError("UNKNOWN", 500, err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendErrors(res, e);
      else res.destroy();
    });
  });
  return { server, counters };
}

async function route(deps: RegistryServerDeps, counters: RegistryCounters, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://registry");
  const path = url.pathname;
  const method = req.method ?? "GET";
  const read = method === "GET" || method === "HEAD";
  let m: RegExpExecArray | null;

  if (path === "/token") {
    counters.tokens++;
    return issueToken(deps, req, res, url.searchParams);
  }
  if (path === "/v2/" || path === "/v2") {
    if (!read) throw unsupported(method, path);
    if (!authorized(deps, req, res, null)) return;
    return sendJson(res, 200, {}, method);
  }
  if (path === "/v2/_catalog") {
    if (!read) throw unsupported(method, path);
    if (!authorized(deps, req, res, { key: CATALOG, action: "*", scope: `${CATALOG}:*` })) return;
    const { items, link } = page(deps.store.names(), url.searchParams, deps.maxPageSize(), "/v2/_catalog");
    return sendJson(res, 200, { repositories: items }, method, link);
  }
  if ((m = /^\/v2\/(.+?)\/tags\/list$/.exec(path))) {
    const name = checkedName(m[1]!);
    if (!read) throw unsupported(method, path);
    if (!authorized(deps, req, res, pull(name))) return;
    counters.tagLists++;
    const { items, link } = page(deps.store.tags(name), url.searchParams, deps.maxPageSize(), `/v2/${name}/tags/list`);
    return sendJson(res, 200, { name, tags: items }, method, link);
  }
  if ((m = /^\/v2\/(.+?)\/manifests\/([^/]+)$/.exec(path))) {
    const name = checkedName(m[1]!);
    const reference = decodeReference(m[2]!);
    counters.manifests++;
    if (read) {
      if (!authorized(deps, req, res, pull(name))) return;
      const manifest = deps.store.manifest(name, reference);
      res.writeHead(200, {
        ...API_VERSION,
        "content-type": manifest.mediaType,
        "content-length": Buffer.byteLength(manifest.body),
        "docker-content-digest": manifest.digest,
        etag: `"${manifest.digest}"`,
      });
      res.end(method === "HEAD" ? undefined : manifest.body);
      return;
    }
    if (method === "PUT") {
      if (!authorized(deps, req, res, { key: name, action: "push", scope: `repository:${name}:pull,push` })) return;
      const body = await readBody(req, MAX_MANIFEST_BYTES).catch(() => {
        throw new RegistryError("SIZE_INVALID", 413, `manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
      });
      const digest = deps.store.put(name, reference, req.headers["content-type"] ?? "", body.toString("utf8"));
      res.writeHead(201, { ...API_VERSION, location: `/v2/${name}/manifests/${digest}`, "docker-content-digest": digest, "content-length": 0 });
      res.end();
      return;
    }
    throw unsupported(method, path);
  }
  if (/^\/v2\/.+\/blobs\//.test(path)) {
    throw new RegistryError("UNSUPPORTED", 405, "this sandbox registry keeps manifests only: blobs are neither stored nor served");
  }
  throw new RegistryError("NOT_FOUND", 404, `no such endpoint: ${method} ${path}`);
}

function issueToken(deps: RegistryServerDeps, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): void {
  if (!deps.tokens) throw new RegistryError("UNSUPPORTED", 404, "token auth is off on this sandbox registry: no token is needed");
  const granted = deps.tokens.issue(req.headers.authorization, q.getAll("scope"));
  if (!granted) {
    const error = new RegistryError("UNAUTHORIZED", 401, req.headers.authorization ? "incorrect username or password" : "authentication required");
    return sendErrors(res, error, { "www-authenticate": `Basic realm="${deps.service}"` });
  }
  sendJson(res, 200, { token: granted.token, access_token: granted.token, expires_in: granted.expiresIn, issued_at: granted.issuedAt }, "GET");
}

interface Need {
  key: string;
  action: string;
  scope: string;
}

function pull(name: string): Need {
  return { key: name, action: "pull", scope: `repository:${name}:pull` };
}

/** True when the request may go on; otherwise the 401 with the challenge has been sent. */
function authorized(deps: RegistryServerDeps, req: IncomingMessage, res: ServerResponse, need: Need | null): boolean {
  if (!deps.tokens) return true;
  const outcome = deps.tokens.check(req.headers.authorization, need);
  if (outcome === "ok") return true;
  const realm = `http://${req.headers.host ?? "127.0.0.1"}/token`;
  const parts = [`realm="${realm}"`, `service="${deps.service}"`];
  if (need) parts.push(`scope="${need.scope}"`);
  if (outcome === "invalid") parts.push('error="invalid_token"');
  if (outcome === "insufficient") parts.push('error="insufficient_scope"');
  const error = new RegistryError("UNAUTHORIZED", 401, "authentication required", need ? [{ Type: "repository", Name: need.key, Action: need.action }] : undefined);
  sendErrors(res, error, { "www-authenticate": `Bearer ${parts.join(",")}` });
  return false;
}

/** A page of a lexically sorted list after `last`, at most `n` (capped), with the next page's Link. */
function page(all: string[], q: URLSearchParams, max: number, base: string): { items: string[]; link?: string } {
  const nText = q.get("n");
  if (nText !== null && !/^\d+$/.test(nText)) throw new RegistryError("PAGINATION_NUMBER_INVALID", 400, "invalid number of results requested", { n: nText });
  const n = Math.min(nText === null ? max : Number(nText), max);
  const last = q.get("last");
  const after = last === null ? all : all.filter((item) => item > last);
  const items = after.slice(0, n);
  const more = n > 0 && after.length > n;
  return { items, link: more ? `<${base}?n=${n}&last=${encodeURIComponent(items.at(-1)!)}>; rel="next"` : undefined };
}

function decodeReference(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RegistryError("TAG_INVALID", 400, "manifest tag did not match URI", { reference: text });
  }
}

function checkedName(name: string): string {
  if (!NAME.test(name) || name.length > 255) throw new RegistryError("NAME_INVALID", 400, "invalid repository name", { name });
  return name;
}

function unsupported(method: string, path: string): RegistryError {
  return new RegistryError("UNSUPPORTED", 405, `the operation is unsupported: ${method} ${path}`);
}

function sendJson(res: ServerResponse, status: number, body: unknown, method: string, link?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...API_VERSION, "content-type": "application/json", "content-length": Buffer.byteLength(text), ...(link ? { link } : {}) });
  res.end(method === "HEAD" ? undefined : text);
}

function sendErrors(res: ServerResponse, error: RegistryError, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ errors: [{ code: error.code, message: error.message, ...(error.detail === undefined ? {} : { detail: error.detail }) }] });
  res.writeHead(error.status, { ...API_VERSION, ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
