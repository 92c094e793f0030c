import { z } from "zod";
import { defineJob } from "../define-job";

/** Brings one environment's cluster objects to its desired state: apply what is wanted, prune what is not. */
export const reconcileJob = defineJob({
  name: "environment-reconcile",
  title: "Apply changes",
  schema: z.object({ environmentId: z.string().min(1).max(64) }),
  // For what is not the cluster's (the database, a bug): the cluster's transient failures are
  // waited out by the handler (retryTransient) for as long as it takes, not counted here.
  retry: { limit: 8, delaySeconds: 1, backoff: true, maxDelaySeconds: 60 },
  timeoutSeconds: 300,
  concurrencyKey: (p) => p.environmentId,
  collapse: true,
  environmentId: (p) => p.environmentId,
  handler: async (p, ctx) => {
    const { reconcileEnvironment } = await import("@/lib/environments/reconcile-environment");
    await reconcileEnvironment(p.environmentId, ctx);
  },
});
