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
  if (existing && !existing.dnsDomain && config().CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN && existing.kubeContext === currentKubeContext()) {
    return db.cluster.update({ where: { id: existing.id }, data: defaultDns() });
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
  const parsed = url ? new URL(url) : null;
  return {
    dnsDomain: domain?.toLowerCase() ?? null,
    ingressHost: target ? formatIngressTarget(target) : null,
    ...(parsed ? { urlScheme: parsed.protocol === "http:" ? "http" : "https", urlPort: parsed.port ? Number(parsed.port) : null } : {}),
  };
}
