import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from "node:http";
import { type FaultBoard, applyHttpFaults } from "../faults";
import type { Kubelet } from "../kube/kubelet";
import { mustFindType, typeKey } from "../kube/resource-types";
import type { ObjectStore } from "../kube/store";
import { EndpointPicker } from "./endpoints";
import { RequestMetrics } from "./metrics";
import { type IngressBackend, RoutingTable, requestHost } from "./routing";
import { accessLogLine, escapeHtml, pageFacts, renderPage } from "./web-container";

export interface IngressDeps {
  store: ObjectStore;
  kubelet: Kubelet;
  faults: FaultBoard;
}

export interface IngressCounters {
  requests: number;
  /** Answered by a simulated container (and written to its log). */
  served: number;
  notFound: number;
  badGateway: number;
  unavailable: number;
  faults: number;
  /** Sent on to an ExternalName Service's host. */
  proxied: number;
}

const ingressType = mustFindType("networking.k8s.io", "ingresses");
const ingressKey = typeKey(ingressType);

/**
 * The sandbox's ingress controller: an HTTP server on loopback routing by Host header through the
 * cluster's networking.k8s.io/v1 Ingresses to Services and their Ready pods, where a simulated
 * web container answers and writes an access-log line to its own container log.
 */
export function createIngressServer(deps: IngressDeps): { server: Server; counters: IngressCounters; metrics: RequestMetrics } {
  const counters: IngressCounters = { requests: 0, served: 0, notFound: 0, badGateway: 0, unavailable: 0, faults: 0, proxied: 0 };
  const metrics = new RequestMetrics();
  const picker = new EndpointPicker(deps.store, deps.kubelet);
  // Rebuilt only when an Ingress changes, as a controller reloads its configuration.
  let table: RoutingTable | undefined;
  deps.store.subscribe((e) => {
    if (e.typeKey === ingressKey) table = undefined;
  });

  const server = createServer((req, res) => {
    counters.requests++;
    // Read now: once the client has gone, the socket no longer knows.
    const remoteAddress = (req.socket.remoteAddress ?? "-").replace(/^::ffff:/, "");
    const started = Date.now();
    void (async () => {
      const faulted = await applyHttpFaults(deps.faults, "ingress", req, res, (r) => {
        counters.faults++;
        errorPage(req, r, 503, "Service Temporarily Unavailable", "the sandbox injected a fault");
      });
      if (faulted) return;
      const host = requestHost(req.headers.host);
      const path = pathOf(req.url);
      table ??= new RoutingTable(deps.store.list(ingressType));
      const route = table.route(host, path);
      if (route.kind !== "backend") {
        counters.notFound++;
        return errorPage(req, res, 404, "Not Found", route.kind === "no-host" ? `no ingress for ${host}` : `no ingress path for ${host}${path}`);
      }
      const upstream = picker.pick(route.backend);
      const count = (status: number) => metrics.count(route.backend, host, status);
      if (upstream.kind === "external") {
        counters.proxied++;
        return proxy(req, res, route.backend, upstream, host, remoteAddress, count);
      }
      if (upstream.kind === "unavailable") {
        counters.unavailable++;
        count(503);
        return errorPage(req, res, 503, "Service Temporarily Unavailable", upstream.message);
      }
      if (upstream.kind === "bad-gateway") {
        counters.badGateway++;
        count(502);
        return errorPage(req, res, 502, "Bad Gateway", upstream.message);
      }
      const { pod, container } = upstream;
      const facts = pageFacts({ pod: pod.metadata.name, namespace: route.backend.namespace, container: container.name, image: container.image, host, method: req.method ?? "GET", path });
      const page = renderPage(facts, wantsJson(req));
      const bytes = Buffer.byteLength(page.body);
      // The simulated app reads what it is sent, so a keep-alive connection stays usable.
      req.resume();
      res.writeHead(200, { "content-type": page.contentType, "content-length": bytes, "cache-control": "no-store", "x-sandbox-pod": pod.metadata.name });
      res.end(page.body);
      counters.served++;
      count(200);
      container.log?.append(
        accessLogLine({
          remoteAddress,
          time: started,
          method: req.method ?? "GET",
          target: req.url ?? "/",
          httpVersion: req.httpVersion,
          status: 200,
          bytes: req.method === "HEAD" ? 0 : bytes,
          referer: header(req, "referer"),
          userAgent: header(req, "user-agent"),
        }),
      );
    })().catch((err: unknown) => {
      if (!res.headersSent) errorPage(req, res, 500, "Internal Server Error", err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });
  // Browsers keep connections open between clicks; Node's default 5 s would drop them sooner than nginx's 75 s.
  server.keepAliveTimeout = 75_000;
  return { server, counters, metrics };
}

const UPSTREAM_VHOST = "nginx.ingress.kubernetes.io/upstream-vhost";
const REWRITE_TARGET = "nginx.ingress.kubernetes.io/rewrite-target";

/**
 * Sends the request on to an ExternalName Service's host, as ingress-nginx does, honouring the
 * two annotations that point a name somewhere else whole: `upstream-vhost` (the Host sent) and a
 * fixed `rewrite-target` (the path sent; the query is kept). Capture-group rewrites are not
 * simulated. The original host travels in X-Forwarded-Host.
 */
function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  backend: IngressBackend,
  upstream: { host: string; port: number },
  host: string,
  remoteAddress: string,
  count: (status: number) => void,
): void {
  const annotations = backend.annotations ?? {};
  const target = req.url ?? "/";
  const query = target.includes("?") ? target.slice(target.indexOf("?")) : "";
  const rewrite = annotations[REWRITE_TARGET];
  const path = rewrite && !rewrite.includes("$") ? `${rewrite}${query}` : target;
  const headers = { ...req.headers };
  delete headers["connection"];
  const out = httpRequest(
    {
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path,
      headers: {
        ...headers,
        host: annotations[UPSTREAM_VHOST] ?? req.headers.host ?? host,
        "x-forwarded-host": host,
        "x-forwarded-proto": "http",
        "x-forwarded-for": remoteAddress,
        "x-original-uri": target,
      },
    },
    (answer) => {
      count(answer.statusCode ?? 502);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on("error", (err) => {
    count(502);
    if (!res.headersSent) errorPage(req, res, 502, "Bad Gateway", `${upstream.host}:${upstream.port} did not answer (${err.message})`);
    else res.destroy();
  });
  req.pipe(out);
}

/** An error page as nginx words it, or JSON for clients that ask for it. */
function errorPage(req: IncomingMessage, res: ServerResponse, status: number, title: string, detail: string): void {
  req.resume();
  const json = wantsJson(req);
  const body = json
    ? JSON.stringify({ status, error: title, message: detail }) + "\n"
    : `<html>\n<head><title>${status} ${title}</title></head>\n<body>\n<center><h1>${status} ${title}</h1></center>\n<hr><center>${escapeHtml(detail)}</center>\n<hr><center>corral sandbox ingress</center>\n</body>\n</html>\n`;
  res.writeHead(status, { "content-type": json ? "application/json" : "text/html; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
}

function wantsJson(req: IncomingMessage): boolean {
  return /\bapplication\/json\b/i.test(req.headers.accept ?? "");
}

/** The path of the request target, without the query; an absolute-form target (`http://host/p`) gives its path. */
function pathOf(url: string | undefined): string {
  const target = url ?? "/";
  if (target.startsWith("/")) return target.split(/[?#]/, 1)[0] ?? "/";
  try {
    return new URL(target).pathname;
  } catch {
    return "/";
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}
