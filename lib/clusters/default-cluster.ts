import "server-only";
import { db } from "@/lib/db/client";
import { currentKubeContext } from "@/lib/kube/client";

/**
 * A fresh installation has no cluster records; the kubeconfig Corral runs with (the sandbox's
 * in the quick start) becomes the default one, so the first environment has somewhere to go.
 */
export async function ensureDefaultCluster() {
  const existing = await db.cluster.findFirst({ where: { isDefault: true } });
  if (existing) return existing;
  if ((await db.cluster.count()) > 0) return null;
  const context = currentKubeContext();
  if (!context) return null;
  const name = context.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "default-cluster";
  return db.cluster.upsert({ where: { name }, create: { name, kubeContext: context, isDefault: true }, update: {} });
}
