import { z } from "zod";
import { defineJob } from "../define-job";

/** Runs an environment's clean-up steps in order; it is Destroyed when every one is done. */
export const destroyJob = defineJob({
  name: "environment-destroy",
  title: "Destroy",
  schema: z.object({ environmentId: z.string().min(1).max(64) }),
  // As the reconcile's: the cluster's transient failures are the handler's to wait out.
  retry: { limit: 8, delaySeconds: 1, backoff: true, maxDelaySeconds: 60 },
  timeoutSeconds: 600,
  concurrencyKey: (p) => p.environmentId,
  collapse: true,
  environmentId: (p) => p.environmentId,
  handler: async (p, ctx) => {
    const { runCleanup } = await import("@/lib/environments/run-cleanup");
    await runCleanup(p.environmentId, ctx);
  },
});
