import "server-only";
import { db } from "@/lib/db/client";
import { type JobContext, PermanentJobError } from "@/lib/jobs/define-job";
import { getLifecycleSettings, notifyWebhookUrl } from "./settings";

const TIMEOUT_MS = 10_000;

/**
 * Posts a notification to the Slack-compatible incoming webhook as `{ "text": … }`. Transient
 * failures (no answer, 429, 5xx) throw, so the queue retries with backoff; another 4xx is a
 * refusal no retry helps. Marked sent once the webhook accepted it; one already sent is not
 * posted again (a retry after a crash between the post and the mark can still repeat it once:
 * Slack's webhooks have no idempotency key).
 */
export async function deliverNotification(notificationId: string, ctx: Pick<JobContext, "lastAttempt" | "log" | "signal">): Promise<void> {
  const n = await db.notification.findUnique({ where: { id: notificationId }, select: { id: true, message: true, webhookState: true } });
  if (!n || n.webhookState !== "pending") return;
  const url = notifyWebhookUrl(await getLifecycleSettings());
  if (!url) {
    await db.notification.update({ where: { id: n.id }, data: { webhookState: "none", webhookError: "No notification webhook is set any more." } });
    return;
  }
  await db.notification.update({ where: { id: n.id }, data: { webhookAttempts: { increment: 1 } } });
  let problem: string;
  let transient: boolean;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Corral" },
      body: JSON.stringify({ text: n.message }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(TIMEOUT_MS)]),
      redirect: "error",
    });
    await res.body?.cancel();
    if (res.ok) {
      await db.notification.update({ where: { id: n.id }, data: { webhookState: "sent", webhookError: null } });
      return;
    }
    problem = `The notification webhook answered ${res.status}${res.statusText ? ` ${res.statusText}` : ""}.`;
    transient = res.status === 429 || res.status >= 500;
  } catch (error) {
    problem = `The notification webhook could not be reached (${error instanceof Error ? error.message : String(error)}).`;
    transient = true;
  }
  const final = !transient || ctx.lastAttempt;
  await db.notification.update({ where: { id: n.id }, data: { webhookError: problem, ...(final ? { webhookState: "failed" } : {}) } });
  ctx.log.warn({ notificationId, problem }, "notification webhook failed");
  if (!transient) throw new PermanentJobError(problem);
  throw new Error(problem);
}
