import "server-only";
import { type Informer, type KubeConfig, type KubernetesObject, type ListPromise, ListWatch, type ObjectCache } from "@kubernetes/client-node";
import { log } from "@/lib/log";
import { metrics } from "@/lib/ops/metrics";
import { WATCH_RESTART, jitteredDelay } from "./retry-policy";
import { failureOfError } from "./retrying-http";
import { KubeWatch, WatchRefused } from "./watch";

export type CachedInformer<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

// A watch that stays up this long after a restart is well again: its backoff starts over, and
// the log says so once. Sooner than that, a list that succeeds and a watch that breaks at once
// is one trouble, not a recovery and a new failure.
const HEALTHY_AFTER_MS = 10_000;
// A watch answered 429 without a Retry-After waits at least this long.
const THROTTLED_FLOOR_MS = 1_000;

/**
 * client-node's makeInformer with Corral's watch (lib/kube/watch.ts), whose refusals carry the
 * server's Retry-After. Its lists go through the caller's `list`, made with lib/kube's clients.
 */
export function makeKubeInformer<T extends KubernetesObject>(config: KubeConfig, path: string, list: ListPromise<T>, labelSelector?: string): CachedInformer<T> {
  return new ListWatch(path, new KubeWatch(config), list, false, labelSelector);
}

/**
 * A client-node informer that keeps going. Its list-watch already resumes from the last
 * resourceVersion when the server ends a watch (client-node 2.x ends each after ~30 s) and
 * re-lists only on 410 Expired; what it does not do is start again after any other error,
 * so that is done here, with jittered, capped backoff (WATCH_RESTART) that honours the
 * server's Retry-After. Its lists go through lib/kube's retrying clients. The log has one line
 * when a healthy watch breaks and one when it is well again, not one per retry; restarts are
 * counted in corral_watch_restarts_total.
 */
export function resilientInformer<T extends KubernetesObject>(name: string, make: () => CachedInformer<T>, cluster = name.split("/")[0] ?? name) {
  const informer = make();
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let healthy: NodeJS.Timeout | undefined;
  let failedSinceStart = false;

  /** Lists and starts watching; true when the list succeeded. */
  const start = async (): Promise<boolean> => {
    failedSinceStart = false;
    await informer.start();
    const ok = !failedSinceStart;
    if (ok && failures > 0) {
      clearTimeout(healthy);
      healthy = setTimeout(() => {
        if (stopped || failures === 0) return;
        log.info({ informer: name, restarts: failures }, "watch recovered");
        failures = 0;
      }, HEALTHY_AFTER_MS);
      healthy.unref();
    }
    return ok;
  };

  informer.on("error", (error: unknown) => {
    failedSinceStart = true;
    if (stopped) return;
    clearTimeout(healthy);
    if (failures === 0) log.warn({ informer: name, err: String((error as Error)?.message ?? error) }, "watch failed; restarting with backoff");
    failures++;
    metrics().watchRestarts.inc({ cluster });
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!stopped) start().catch(() => {});
    }, restartDelay(failures, error));
  });

  metrics().watches.inc({ cluster });
  return {
    informer,
    start,
    stop: async () => {
      if (!stopped) metrics().watches.dec({ cluster });
      stopped = true;
      clearTimeout(timer);
      clearTimeout(healthy);
      await informer.stop();
    },
  };
}

function restartDelay(failures: number, error: unknown): number {
  const backoff = jitteredDelay(failures, WATCH_RESTART);
  // A refused watch is a WatchRefused; a failed list, client-node's ApiException or a connection error.
  const failure = error instanceof WatchRefused ? { retryAfterMs: error.retryAfterMs, status: error.statusCode } : failureOfError(error);
  const floor = failure.retryAfterMs ?? (failure.status === 429 ? THROTTLED_FLOOR_MS : 0);
  return Math.max(backoff, floor);
}
