import { z } from "zod";
import { defineJob } from "../define-job";

/**
 * Copies a source's data into an environment's store: empties it, copies, verifies. A rerun
 * after a crash or a dropped connection starts over (the copiers empty the target first), so
 * the job is idempotent; a person may cancel it (the store is then marked incomplete).
 */
export const dataCopyJob = defineJob({
  name: "data-copy",
  title: "Copy data",
  schema: z.object({ environmentId: z.string().min(1).max(64), copyId: z.string().min(1).max(64) }),
  // A store's transient failures are waited out by the handler (retryTransient); these are for the rest.
  retry: { limit: 4, delaySeconds: 5, backoff: true, maxDelaySeconds: 120 },
  timeoutSeconds: 6 * 3_600,
  concurrencyKey: (p) => p.environmentId,
  requiresActiveEnvironment: true,
  cancellable: true,
  environmentId: (p) => p.environmentId,
  handler: async (p, ctx) => {
    const { runDataCopy } = await import("@/lib/data/run-data-copy");
    await runDataCopy(p.copyId, ctx);
  },
});
