import "server-only";
import { AppError } from "@/lib/errors";
import { getLifecycleSettings, notifyWebhookUrl } from "./settings";

/** Posts a test message to the notification webhook at once and says how it answered (no retries: a person is waiting). */
export async function sendTestNotification(): Promise<{ ok: boolean; status: number | null; message: string }> {
  const url = notifyWebhookUrl(await getLifecycleSettings());
  if (!url) throw new AppError("conflict", "No notification webhook is set: save one first.");
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Corral" },
      body: JSON.stringify({ text: "A test message from Corral: warnings about expiring environments will arrive here." }),
      signal: AbortSignal.timeout(10_000),
      redirect: "error",
    });
    await res.body?.cancel();
    return { ok: res.ok, status: res.status, message: res.ok ? "The webhook accepted the test message." : `The webhook answered ${res.status}.` };
  } catch (error) {
    return { ok: false, status: null, message: `The webhook could not be reached (${error instanceof Error ? error.message : String(error)}).` };
  }
}
