import { type Server, createServer } from "node:http";
import { type Faults, type FaultBoard, type ServiceName, serviceNames } from "./faults";
import { readBody, sendJson } from "./http-util";

export interface ControlDeps {
  faults: FaultBoard;
  status: () => Record<string, unknown>;
  resetCounts: () => void;
  compactKubeHistory: () => void;
  closeWatches: () => void;
  /** The ingress's request counters in Prometheus's text format (as ingress-nginx's metrics port). */
  ingressMetrics: () => string;
  save: () => Promise<void>;
}

/**
 * Runtime control for tests and humans:
 *   GET  /_sandbox/status          endpoints, open log streams and watches, faults; faultCounts (per service,
 *                                  requests passed, errored, dropped, throttled); retryAfter (per service,
 *                                  429s sent with Retry-After, the same requests seen again, how many early,
 *                                  the shortest and total wait)
 *   GET  /_sandbox/faults          current faults per service
 *   POST /_sandbox/faults          {"service":"kube","errorRate":0.5,"latencyMs":100,"dropRate":0,"seed":7} or {"clear":true};
 *                                  "throttleRate" (Kubernetes and the registry: 429 with "retryAfterSeconds",
 *                                  default 1; Route 53: Throttling; S3: SlowDown), Route 53 "priorRequestRate"
 *   POST /_sandbox/reset-counts    faultCounts and retryAfter from zero
 *   POST /_sandbox/compact         forget Kubernetes watch history (older resourceVersions get 410)
 *   POST /_sandbox/close-watches   end every open Kubernetes watch
 *   POST /_sandbox/save            write the state file now
 *   GET  /metrics                  the ingress's requests per host, as ingress-nginx exports them
 */
export function createControlServer(deps: ControlDeps): Server {
  return createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? "/", "http://sandbox").pathname;
      const method = req.method ?? "GET";
      if (path === "/_sandbox/status" && method === "GET") return sendJson(res, 200, deps.status());
      if (path === "/metrics" && method === "GET") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        return res.end(deps.ingressMetrics());
      }
      if (path === "/_sandbox/faults" && method === "GET") return sendJson(res, 200, deps.faults.snapshot());
      if (path === "/_sandbox/faults" && method === "POST") {
        const body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as Partial<Faults> & { service?: string; clear?: boolean };
        if (body.clear) deps.faults.clear();
        else {
          if (!serviceNames.includes(body.service as ServiceName)) return sendJson(res, 400, { error: `service must be one of ${serviceNames.join(", ")}` });
          const { service, ...faults } = body;
          deps.faults.set(service as ServiceName, faults);
        }
        return sendJson(res, 200, deps.faults.snapshot());
      }
      if (path === "/_sandbox/reset-counts" && method === "POST") {
        deps.resetCounts();
        return sendJson(res, 200, { ok: true });
      }
      if (path === "/_sandbox/compact" && method === "POST") {
        deps.compactKubeHistory();
        return sendJson(res, 200, { ok: true });
      }
      if (path === "/_sandbox/close-watches" && method === "POST") {
        deps.closeWatches();
        return sendJson(res, 200, { ok: true });
      }
      if (path === "/_sandbox/save" && method === "POST") {
        await deps.save();
        return sendJson(res, 200, { ok: true });
      }
      sendJson(res, 404, { error: "not found" });
    })().catch((err: unknown) => sendJson(res, 400, { error: err instanceof Error ? err.message : String(err) }));
  });
}
