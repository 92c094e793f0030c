import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";

/** The worker inside the web server (the default), unless configuration leaves it to `npm run worker`. */
export async function startInProcessWorker() {
  if (config().CORRAL_WORKER === "off") return;
  const { startWorker } = await import("./worker");
  // The web server must come up even when the queue cannot start yet; readiness reports it.
  await startWorker().catch((error: unknown) => log.error({ err: error }, "the in-process worker could not start"));
}
