import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { dnsSyncJob } from "@/lib/jobs/definitions/dns-sync";
import { enqueue } from "@/lib/jobs/queue";
import { saveCluster } from "./save-cluster";
import type { ClusterInput } from "./schemas";

/**
 * Replaces the cluster's settings; environments on it stay where they are. Its zone cannot
 * change while its environments hold names there: their records would be left in the old
 * zone with nobody to remove them. A new ingress target is written to their records by a
 * DNS pass started here.
 */
export async function updateCluster(id: string, input: ClusterInput) {
  const before = await db.cluster.findUnique({ where: { id }, select: { dnsDomain: true, dnsZoneId: true, ingressHost: true } });
  if (before && (before.dnsDomain !== input.dnsDomain || (before.dnsZoneId ?? null) !== input.dnsZoneId)) {
    const names = await db.hostname.count({ where: { environment: { clusterId: id } } });
    if (names > 0 && before.dnsDomain !== null) {
      throw new AppError("conflict", `Its environments hold ${names} name${names === 1 ? "" : "s"} in ${before.dnsDomain}; destroy them or move them first.`, {
        dnsDomain: [`The zone cannot change while environments hold names in ${before.dnsDomain}.`],
      });
    }
  }
  const saved = await saveCluster(id, input);
  if (before && input.dnsDomain && (before.ingressHost !== input.ingressHost || before.dnsDomain !== input.dnsDomain)) {
    await enqueue(dnsSyncJob, { clusterId: id }, { cause: "cluster settings changed" });
  }
  return saved;
}
