import "server-only";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { Logger } from "pino";
import { db } from "@/lib/db/client";

const REQUESTS = "nginx_ingress_controller_requests";
const TIMEOUT_MS = 5_000;

// Requests per cluster and namespace at the last read. In memory: a process that has not read
// a cluster yet takes its first read as the baseline (a minute of visits may go unseen; it
// only delays a sleep).
const lastTotals = new Map<string, Map<string, number>>();

/**
 * HTTP requests through environments' names as activity: each cluster with an ingress metrics
 * URL (ingress-nginx's Prometheus endpoint, or the sandbox's) is read, and an environment
 * whose namespace's request count grew since the last read was used just now.
 */
export async function collectIngressActivity(log: Logger, now = new Date()): Promise<string[]> {
  const clusters = await db.cluster.findMany({ where: { ingressMetricsUrl: { not: null } }, select: { id: true, name: true, ingressMetricsUrl: true } });
  const active: string[] = [];
  for (const cluster of clusters) {
    let totals: Map<string, number>;
    try {
      totals = await readTotals(cluster.ingressMetricsUrl!);
    } catch (error) {
      log.warn({ cluster: cluster.name, err: error instanceof Error ? error.message : String(error) }, "ingress metrics could not be read");
      continue;
    }
    const before = lastTotals.get(cluster.id);
    lastTotals.set(cluster.id, totals);
    if (!before) continue;
    // A counter lower than before means the controller restarted: whatever it counted since is new.
    const grown = [...totals].filter(([ns, n]) => n > (before.get(ns) ?? 0) || (n > 0 && n < (before.get(ns) ?? 0))).map(([ns]) => ns);
    if (grown.length === 0) continue;
    await db.environment.updateMany({
      where: { clusterId: cluster.id, liveName: { in: grown }, lifecycle: "active", lastActivityAt: { lt: now } },
      data: { lastActivityAt: now, lastActivityKind: "HTTP requests" },
    });
    active.push(...grown);
  }
  return active;
}

/** Requests per namespace, summed over hosts, Ingresses and statuses. */
export async function readTotals(url: string): Promise<Map<string, number>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "text/plain" } });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const totals = new Map<string, number>();
  for (const family of parsePrometheusTextFormat(await res.text())) {
    if (family.name !== REQUESTS) continue;
    for (const m of family.metrics) {
      const ns = m.labels?.["namespace"];
      const value = Number(m.value);
      if (ns && Number.isFinite(value)) totals.set(ns, (totals.get(ns) ?? 0) + value);
    }
  }
  return totals;
}
