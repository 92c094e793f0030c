import { createHash } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { FaultBoard } from "../faults";
import { applyHttpFaults } from "../faults";
import { readBody, readBodyEarly, sendJson } from "../http-util";
import { type KubeApi, type PropagationPolicy, parseJson } from "./api";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, hasGroup, serverVersion } from "./discovery";
import { isPlainObject } from "./json";
import { openApiV3GroupVersion, openApiV3Root } from "./openapi";
import { decodeKubeProtobuf, isKubeProtobuf } from "./protobuf";
import { type ResourceType, findType, groupVersion } from "./resource-types";
import { parseFieldSelector, parseLabelSelector } from "./selectors";
import { KubeError, errors } from "./status";
import { type IncludeObject, toTable, wantsTable } from "./table";
import type { KubeObject } from "./types";
import type { WatchHub } from "./watch";

export interface Route {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

export type PodLogHandler = (req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams) => void;

export interface KubeServerDeps {
  api: KubeApi;
  watches: WatchHub;
  faults: FaultBoard;
  podLogs: PodLogHandler;
  /** Watches without timeoutSeconds end after this, as the API server's request timeout does. */
  defaultWatchTimeoutSeconds: number;
}

export function createKubeServer(deps: KubeServerDeps): Server {
  const server = createServer((req, res) => {
    void handle(deps, req, res, server).catch((err: unknown) => {
      const e = err instanceof KubeError ? err : errors.internal(err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendJson(res, e.code, e.toStatus());
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(deps: KubeServerDeps, req: IncomingMessage, res: ServerResponse, server: Server): Promise<void> {
  // Creates of different objects share a URL: their bodies tell them apart when one is sent again.
  const body = req.method === "POST" || req.method === "PUT" || req.method === "PATCH" ? await readBodyEarly(req) : null;
  const faulted = await applyHttpFaults(
    deps.faults,
    "kube",
    req,
    res,
    (r) => sendJson(r, 503, new KubeError(503, "ServiceUnavailable", "the sandbox injected a fault").toStatus()),
    // What an API server's priority-and-fairness answers when a request's priority level is full.
    (r, retryAfterSeconds) => {
      r.setHeader("Retry-After", String(retryAfterSeconds));
      sendJson(r, 429, new KubeError(429, "TooManyRequests", "Too many requests, please try again later (the sandbox injected a fault).", { retryAfterSeconds }).toStatus());
    },
    body ? createHash("sha1").update(body).digest("hex").slice(0, 12) : "",
  );
  if (faulted) return;
  const url = new URL(req.url ?? "/", "http://sandbox");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";

  const discovery = discoveryAnswer(path, server);
  if (discovery !== undefined) {
    if (method !== "GET") throw errors.methodNotAllowed(method);
    if (discovery === null) throw errors.pathNotFound();
    sendJson(res, 200, discovery);
    return;
  }

  const contentType = req.headers["content-type"] ?? "";
  if (/cbor/.test(contentType)) throw errors.unsupportedMediaType(contentType);

  const route = parseRoute(path);
  if (!route) throw errors.pathNotFound();
  await handleResource(deps, req, res, route, url.searchParams, method);
}

function discoveryAnswer(path: string, server: Server): unknown {
  if (path === "/version") return serverVersion;
  if (path === "/healthz" || path === "/readyz" || path === "/livez") return "ok";
  if (path === "/api") {
    const addr = server.address();
    return apiVersions(typeof addr === "object" && addr ? `127.0.0.1:${addr.port}` : "127.0.0.1");
  }
  if (path === "/apis") return apiGroupList();
  if (path === "/api/v1") return apiResourceList("", "v1") ?? null;
  if (path === "/openapi/v3") return openApiV3Root();
  if (path.startsWith("/openapi/v3/")) return openApiV3GroupVersion(path) ?? null;
  if (path.startsWith("/openapi/")) return null;
  const g = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (g) {
    const version = hasGroup(g[1] ?? "");
    if (!version) return null;
    if (!g[2]) return apiGroup(g[1] ?? "", version);
    return apiResourceList(g[1] ?? "", g[2]) ?? null;
  }
  return undefined;
}

/** Maps /api/v1/... and /apis/{group}/{version}/... paths, including the /watch/ form, to a route. */
export function parseRoute(path: string): Route | undefined {
  const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    version = parts[1] ?? "";
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1] ?? "";
    version = parts[2] ?? "";
    rest = parts.slice(3);
  } else return undefined;
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const candidate = findType(group, version, rest[2] ?? "");
    if (candidate?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  const type = findType(group, version, rest[0] ?? "");
  if (!type || rest.length > 3) return undefined;
  if (type.namespaced && namespace === undefined && rest.length > 1) return undefined;
  return { type, namespace, name: rest[1], subresource: rest[2], watchPath };
}

async function handleResource(deps: KubeServerDeps, req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams, method: string): Promise<void> {
  const { api } = deps;
  const { type: t, namespace, name, subresource } = route;
  const accept = req.headers.accept;
  const table: IncludeObject | undefined = wantsTable(accept) ? ((q.get("includeObject") as IncludeObject | null) ?? "Metadata") : undefined;
  const dryRun = q.get("dryRun") === "All";
  const fieldManager = q.get("fieldManager") ?? userAgentManager(req);

  if (subresource && !(t.subresources ?? []).includes(subresource)) throw errors.pathNotFound();
  if (subresource === "log") {
    if (method !== "GET" || !namespace || !name) throw errors.methodNotAllowed(method);
    api.store.mustGet(t, namespace, name);
    deps.podLogs(req, res, namespace, name, q);
    return;
  }

  const answer = (status: number, obj: KubeObject) => {
    if (table) sendJson(res, status, toTable(t, [obj], obj.metadata.resourceVersion, table));
    else sendJson(res, status, obj);
  };

  if (name === undefined) {
    if (method === "GET") {
      if (route.watchPath || q.get("watch") === "true" || q.get("watch") === "1") {
        deps.watches.serve(req, res, {
          type: t,
          namespace,
          matches: matcher(q),
          resourceVersion: q.get("resourceVersion") ?? undefined,
          allowBookmarks: q.get("allowWatchBookmarks") === "true",
          sendInitialEvents: q.get("sendInitialEvents") === "true",
          timeoutSeconds: Number(q.get("timeoutSeconds") ?? deps.defaultWatchTimeoutSeconds) || deps.defaultWatchTimeoutSeconds,
          table,
        });
        return;
      }
      const list = listObjects(deps, t, namespace, q);
      if (table) sendJson(res, 200, toTable(t, list.items, list.resourceVersion, table, list.extra));
      else sendJson(res, 200, { kind: `${t.kind}List`, apiVersion: groupVersion(t), metadata: { resourceVersion: list.resourceVersion, ...list.extra }, items: list.items });
      return;
    }
    if (method === "POST") {
      answer(201, api.create(t, namespace, await readObject(req), { fieldManager, dryRun }));
      return;
    }
    if (method === "DELETE") {
      const m = matcher(q);
      const items = api.store.list(t, namespace).filter(m);
      for (const o of items) api.delete(t, o.metadata.namespace, o.metadata.name, policyOf(q, undefined));
      sendJson(res, 200, { kind: `${t.kind}List`, apiVersion: groupVersion(t), metadata: { resourceVersion: String(api.store.resourceVersion) }, items });
      return;
    }
    throw errors.methodNotAllowed(method);
  }

  if (subresource === "scale") {
    await handleScale(deps, req, res, route, method, fieldManager);
    return;
  }

  switch (method) {
    case "GET":
      answer(200, api.store.mustGet(t, namespace, name));
      return;
    case "PUT": {
      const body = await readObject(req);
      answer(200, api.replace(t, namespace, name, body, { subresource, fieldManager, dryRun }));
      return;
    }
    case "PATCH": {
      const raw = await readBody(req);
      const existed = api.store.get(t, namespace, name) !== undefined;
      const obj = api.patch(t, namespace, name, req.headers["content-type"] ?? "", raw, { subresource, fieldManager: q.get("fieldManager") ?? undefined, force: q.get("force") === "true", dryRun });
      answer(existed ? 200 : 201, obj);
      return;
    }
    case "DELETE": {
      const body = await readObject(req);
      const preconditions = isPlainObject(body) && isPlainObject(body["preconditions"]) ? body["preconditions"] : undefined;
      const deleted = api.delete(t, namespace, name, policyOf(q, body), {
        dryRun,
        preconditionResourceVersion: typeof preconditions?.["resourceVersion"] === "string" ? preconditions["resourceVersion"] : undefined,
      });
      // The API answers 202 while an object waits for finalizers or graceful termination, 200 when it is gone.
      const gone = !api.store.get(t, namespace, name);
      answer(gone ? 200 : 202, deleted);
      return;
    }
    default:
      throw errors.methodNotAllowed(method);
  }
}

async function handleScale(deps: KubeServerDeps, req: IncomingMessage, res: ServerResponse, route: Route, method: string, fieldManager: string): Promise<void> {
  const { api } = deps;
  const { type: t, namespace, name = "" } = route;
  const scaleOf = (o: KubeObject) => {
    const spec = isPlainObject(o["spec"]) ? o["spec"] : {};
    const status = isPlainObject(o["status"]) ? o["status"] : {};
    const selector = isPlainObject(spec["selector"]) && isPlainObject(spec["selector"]["matchLabels"]) ? spec["selector"]["matchLabels"] : {};
    return {
      kind: "Scale",
      apiVersion: "autoscaling/v1",
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: typeof spec["replicas"] === "number" ? spec["replicas"] : 1 },
      status: { replicas: typeof status["replicas"] === "number" ? status["replicas"] : 0, selector: Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(",") },
    };
  };
  const existing = api.store.mustGet(t, namespace, name);
  if (method === "GET") {
    sendJson(res, 200, scaleOf(existing));
    return;
  }
  let replicas: unknown;
  if (method === "PUT") {
    const body = await readObject(req);
    replicas = isPlainObject(body) && isPlainObject(body["spec"]) ? body["spec"]["replicas"] : undefined;
  } else if (method === "PATCH") {
    const patched = api.patch(t, namespace, name, "application/merge-patch+json", Buffer.from("{}"), { dryRun: true });
    const scale = scaleOf(patched);
    const body = parseJson(await readBody(req));
    replicas = isPlainObject(body) && isPlainObject(body["spec"]) ? body["spec"]["replicas"] : scale.spec.replicas;
  } else throw errors.methodNotAllowed(method);
  if (typeof replicas !== "number") throw errors.badRequest("spec.replicas is required");
  const updated = api.patch(t, namespace, name, "application/merge-patch+json", Buffer.from(JSON.stringify({ spec: { replicas } })), { fieldManager });
  sendJson(res, 200, scaleOf(updated));
}

interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  extra: Record<string, unknown>;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function listObjects(deps: KubeServerDeps, t: ResourceType, namespace: string | undefined, q: URLSearchParams): ListResult {
  const store = deps.api.store;
  const rvParam = q.get("resourceVersion");
  if (q.get("resourceVersionMatch") === "Exact" && rvParam && Number(rvParam) < store.oldestResumableRv) {
    throw new KubeError(410, "Expired", `too old resource version: ${rvParam} (${store.oldestResumableRv})`);
  }
  const m = matcher(q);
  let items = store.list(t, namespace).filter(m);
  const cont = q.get("continue");
  let rv = store.resourceVersion;
  if (cont) {
    const token = decodeContinue(cont);
    if (token.rv <= store.oldestResumableRv && store.oldestResumableRv > 1) {
      throw new KubeError(
        410,
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
      );
    }
    rv = token.rv;
    items = items.filter((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}` > token.start);
  }
  const limit = Number(q.get("limit") ?? "0");
  const extra: Record<string, unknown> = {};
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1];
    extra["remainingItemCount"] = items.length - limit;
    items = items.slice(0, limit);
    if (last) extra["continue"] = encodeContinue({ rv, start: `${last.metadata.namespace ?? ""}/${last.metadata.name}` });
  }
  return { items, resourceVersion: String(rv), extra };
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString("base64url");
}

function decodeContinue(s: string): ContinueToken {
  try {
    const v = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as ContinueToken;
    if (typeof v.rv === "number" && typeof v.start === "string") return v;
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest("invalid continue token");
}

function matcher(q: URLSearchParams): (o: KubeObject) => boolean {
  const labels = parseLabelSelector(q.get("labelSelector"));
  const fields = parseFieldSelector(q.get("fieldSelector"));
  return (o) => labels(o.metadata.labels) && fields(o);
}

function policyOf(q: URLSearchParams, body: unknown): PropagationPolicy {
  const fromBody = isPlainObject(body) ? body["propagationPolicy"] : undefined;
  const fromOrphan = isPlainObject(body) && body["orphanDependents"] === true ? "Orphan" : undefined;
  const p = q.get("propagationPolicy") ?? fromBody ?? fromOrphan ?? "Background";
  if (p !== "Foreground" && p !== "Background" && p !== "Orphan") throw errors.badRequest(`unsupported propagationPolicy ${String(p)}`);
  return p;
}

/** A request body as an object: JSON or YAML, or protobuf as kubectl sends typed writes; undefined when empty. */
async function readObject(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.length === 0) return undefined;
  return isKubeProtobuf(req.headers["content-type"] ?? "") ? decodeKubeProtobuf(raw) : parseJson(raw);
}

function userAgentManager(req: IncomingMessage): string {
  const ua = req.headers["user-agent"] ?? "unknown";
  return ua.split("/")[0] ?? "unknown";
}

