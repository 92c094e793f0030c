import { z } from "zod";
import { defineJob } from "../define-job";

/** The safety net under every other path: finds environments that owe work and enqueues it. */
export const sweepJob = defineJob({
  name: "environment-sweep",
  title: "Sweep",
  schema: z.object({}),
  retry: { limit: 0, delaySeconds: 1, backoff: false, maxDelaySeconds: 1 },
  timeoutSeconds: 120,
  singleton: true,
  schedule: "* * * * *",
  handler: async () => {
    const { sweepEnvironments } = await import("@/lib/environments/sweep-environments");
    await sweepEnvironments();
  },
});
