import { z } from "zod";
import { defineJob } from "../define-job";

/**
 * Brings a cluster's Route 53 zone to what its environments want: one pass for many
 * environments (a burst of creates collapses into one more pass), serialised per cluster.
 */
export const dnsSyncJob = defineJob({
  name: "dns-sync",
  title: "DNS records",
  schema: z.object({ clusterId: z.string().min(1).max(64) }),
  // Route 53's transient failures are waited out by the handler (retryTransient); these are for the rest.
  retry: { limit: 10, delaySeconds: 2, backoff: true, maxDelaySeconds: 120 },
  timeoutSeconds: 300,
  concurrencyKey: (p) => `dns:${p.clusterId}`,
  collapse: true,
  handler: async (p, ctx) => {
    const { syncClusterDns } = await import("@/lib/dns/sync-cluster-dns");
    await syncClusterDns(p.clusterId, ctx);
  },
});

/** Drift repair: every few minutes each zone is compared with what Corral wants, whatever changed it. */
export const dnsResyncJob = defineJob({
  name: "dns-resync",
  title: "DNS drift check",
  schema: z.object({}),
  retry: { limit: 0, delaySeconds: 1, backoff: false, maxDelaySeconds: 1 },
  timeoutSeconds: 60,
  singleton: true,
  schedule: "*/5 * * * *",
  handler: async () => {
    const [{ db }, { enqueueMany }] = await Promise.all([import("@/lib/db/client"), import("../queue")]);
    const clusters = await db.cluster.findMany({ where: { dnsDomain: { not: null } }, select: { id: true } });
    await enqueueMany(dnsSyncJob, clusters.map((c) => ({ clusterId: c.id })), { cause: "system: drift check" });
  },
});
