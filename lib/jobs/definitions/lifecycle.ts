import { z } from "zod";
import { defineJob } from "../define-job";

/** Expiry, warnings, sleep after idling and destroy after sleeping too long: one pass a minute. */
export const lifecyclePassJob = defineJob({
  name: "lifecycle-pass",
  title: "Expiry and sleep",
  schema: z.object({}),
  retry: { limit: 0, delaySeconds: 1, backoff: false, maxDelaySeconds: 1 },
  timeoutSeconds: 120,
  singleton: true,
  schedule: "* * * * *",
  handler: async (_p, ctx) => {
    const { runLifecyclePass } = await import("@/lib/lifecycle/run-lifecycle-pass");
    await runLifecyclePass({ now: new Date(), log: ctx.log });
  },
});

/** Posts one notification to the installation's Slack-compatible webhook; retried while it fails in passing. */
export const notifyWebhookJob = defineJob({
  name: "lifecycle-notify",
  title: "Notification",
  schema: z.object({ notificationId: z.string().min(1).max(64) }),
  retry: { limit: 8, delaySeconds: 5, backoff: true, maxDelaySeconds: 600 },
  timeoutSeconds: 60,
  concurrencyKey: (p) => `notify:${p.notificationId}`,
  collapse: true,
  handler: async (p, ctx) => {
    const { deliverNotification } = await import("@/lib/lifecycle/deliver-notification");
    await deliverNotification(p.notificationId, ctx);
  },
});
