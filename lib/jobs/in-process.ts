import "server-only";
import { config } from "@/lib/config";
import { log } from "@/lib/log";

type WorkerState = "off" | "starting" | "running";
const state = globalThis as unknown as { corralWorkerState?: WorkerState };

/** Whether the in-process worker is up, for readiness: "off" when `npm run worker` does the work. */
export function inProcessWorkerState(): WorkerState {
  return state.corralWorkerState ?? (config().CORRAL_WORKER === "off" ? "off" : "starting");
}

/**
 * The worker inside the web server (the default), unless configuration leaves it to `npm run
 * worker`. The web server comes up even when the queue cannot start yet (the database is
 * still booting, say); the worker keeps trying, and readiness says so meanwhile.
 */
export async function startInProcessWorker() {
  if (config().CORRAL_WORKER === "off") {
    state.corralWorkerState = "off";
    return;
  }
  state.corralWorkerState = "starting";
  const { startWorker } = await import("./worker");
  let delay = 1_000;
  const attempt = () => {
    startWorker().then(
      () => {
        state.corralWorkerState = "running";
      },
      (error: unknown) => {
        log.error({ err: error, retryInMs: delay }, "the in-process worker could not start; trying again");
        setTimeout(attempt, delay);
        delay = Math.min(delay * 2, 60_000);
      },
    );
  };
  attempt();
}
