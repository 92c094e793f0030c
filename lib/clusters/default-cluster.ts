import "server-only";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { formatIngressTarget, parseIngressTarget } from "./ingress-target";
import { currentKubeContext } from "@/lib/kube/client";

/**
 * A fresh installation has no cluster records; the kubeconfig Corral runs with (the sandbox's
 * in the quick start) becomes the default one, so the first environment has somewhere to go.
 */
export async function ensureDefaultCluster() {
  const existing = await db.cluster.findFirst({ where: { isDefault: true } });
  // A quick start from before clusters had zones gets the sandbox's, once.
  const ours = existing !== null && existing.kubeContext === currentKubeContext();
  if (ours && !existing.dnsDomain && config().CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN) {
    return db.cluster.update({ where: { id: existing.id }, data: defaultDns() });
  }
  // The sandbox's ingress (and Corral) may listen on other ports than last time: its URLs are where they are now.
  const url = ours ? urlOf(config().CORRAL_DEFAULT_CLUSTER_URL) : null;
  const lifecycle = lifecycleUrls();
  if (ours) {
    const moved = url && (url.urlScheme !== existing.urlScheme || url.urlPort !== existing.urlPort);
    const lifecycleMoved = Object.entries(lifecycle).some(([k, v]) => v !== null && existing[k as keyof typeof lifecycle] !== v);
    if (moved || lifecycleMoved) return db.cluster.update({ where: { id: existing.id }, data: { ...(moved ? url : {}), ...withoutNulls(lifecycle) } });
  }
  if (existing) return existing;
  if ((await db.cluster.count()) > 0) return null;
  const context = currentKubeContext();
  if (!context) return null;
  const name = context.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "default-cluster";
  return db.cluster.upsert({ where: { name }, create: { name, kubeContext: context, isDefault: true, ...defaultDns() }, update: {} });
}

/**
 * Where the first cluster's environments get their names: the quick start points these at the
 * sandbox's zone and ingress, so a new environment has a URL with nobody typing anything.
 */
function defaultDns() {
  const { CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN: domain, CORRAL_DEFAULT_CLUSTER_INGRESS: ingress, CORRAL_DEFAULT_CLUSTER_URL: url } = config();
  const target = ingress ? parseIngressTarget(ingress) : null;
  return { dnsDomain: domain?.toLowerCase() ?? null, ingressHost: target ? formatIngressTarget(target) : null, ...urlOf(url), ...withoutNulls(lifecycleUrls()) };
}

/** The quick start's waker and ingress metrics for the sandbox's cluster (sleep and wake on a visit). */
function lifecycleUrls(): { wakerUrl: string | null; ingressMetricsUrl: string | null } {
  const c = config();
  return { wakerUrl: c.CORRAL_DEFAULT_CLUSTER_WAKER_URL ?? null, ingressMetricsUrl: c.CORRAL_DEFAULT_CLUSTER_INGRESS_METRICS_URL ?? null };
}

function withoutNulls<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as Partial<T>;
}

function urlOf(url: string | undefined) {
  if (!url) return null;
  const parsed = new URL(url);
  return { urlScheme: parsed.protocol === "http:" ? "http" : "https", urlPort: parsed.port ? Number(parsed.port) : null };
}
