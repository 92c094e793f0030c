import "server-only";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";

// A burst of reads (a log viewer reconnecting, a pipeline polling) writes once a minute, not once a request.
const THROTTLE_MS = 60_000;

/** Someone used the environment (viewed its logs, called the API about it): it is not idle. Never fails its caller. */
export async function touchActivity(environmentId: string, kind: string): Promise<void> {
  const now = new Date();
  try {
    await db.environment.updateMany({
      where: { id: environmentId, lifecycle: "active", lastActivityAt: { lt: new Date(now.getTime() - THROTTLE_MS) } },
      data: { lastActivityAt: now, lastActivityKind: kind },
    });
  } catch (error) {
    log.warn({ err: error, environmentId }, "activity could not be recorded");
  }
}
