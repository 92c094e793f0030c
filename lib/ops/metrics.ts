import "server-only";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

// Prometheus metrics of this process, by prom-client. One registry a process, kept on
// globalThis so that Next.js's module reloads in development do not register twice.

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "corral_process_" });
  return {
    registry,
    httpDuration: new Histogram({
      name: "corral_http_request_duration_seconds",
      help: "HTTP requests to Corral's API, by route, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: "corral_http_requests_total",
      help: "HTTP requests to Corral's API, by route, method and status",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    jobs: new Counter({ name: "corral_jobs_total", help: "Jobs run, by kind and outcome", labelNames: ["kind", "outcome"] as const, registers: [registry] }),
    jobDuration: new Histogram({
      name: "corral_job_duration_seconds",
      help: "How long jobs ran, by kind (a reconcile's is its latency from pickup to applied)",
      labelNames: ["kind"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    openStreams: new Gauge({ name: "corral_open_streams", help: "Open log and change streams", registers: [registry] }),
    watches: new Gauge({ name: "corral_watches", help: "Kubernetes watches running, by cluster", labelNames: ["cluster"] as const, registers: [registry] }),
    kubeRetries: new Counter({
      name: "corral_kube_retries_total",
      help: "Kubernetes calls sent again after a transient failure, by cause (throttled, server-error, connection, timeout)",
      labelNames: ["cause"] as const,
      registers: [registry],
    }),
    watchRestarts: new Counter({ name: "corral_watch_restarts_total", help: "Kubernetes watches restarted after an error, by cluster", labelNames: ["cluster"] as const, registers: [registry] }),
    queueDepth: new Gauge({ name: "corral_queue_depth", help: "Jobs waiting in the queue, by kind", labelNames: ["kind"] as const, registers: [registry] }),
    queueAge: new Gauge({ name: "corral_queue_oldest_seconds", help: "Age of the oldest waiting job, by kind", labelNames: ["kind"] as const, registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof create>;
const globalForMetrics = globalThis as unknown as { corralMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.corralMetrics ??= create();
  return globalForMetrics.corralMetrics;
}

const COLLECTIONS = new Set(["environments", "templates", "clusters", "tokens", "jobs", "components"]);
const NAMED = new Set(["changes"]);

/** A request path as a route, ids replaced, so that labels stay few: /api/v1/environments/:id/logs. */
export function routeOf(pathname: string): string {
  const parts = pathname.split("/");
  return parts.map((part, i) => (i > 0 && COLLECTIONS.has(parts[i - 1]!) && part !== "" && !NAMED.has(part) ? ":id" : part)).join("/");
}
