import "server-only";
import type { Informer, KubernetesObject, ObjectCache } from "@kubernetes/client-node";
import { log } from "@/lib/log";
import { metrics } from "@/lib/ops/metrics";

export type CachedInformer<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/**
 * A client-node informer that keeps going. Its list-watch already resumes from the last
 * resourceVersion when the server ends a watch (client-node 2.x ends each after ~30 s) and
 * re-lists only on 410 Expired; what it does not do is start again after any other error,
 * so that is done here, with capped backoff that resets only once a list has succeeded.
 */
export function resilientInformer<T extends KubernetesObject>(name: string, make: () => CachedInformer<T>, cluster = name.split("/")[0] ?? name) {
  const informer = make();
  let stopped = false;
  let backoff = FIRST_BACKOFF_MS;
  let timer: NodeJS.Timeout | undefined;
  let failedSinceStart = false;

  /** Lists and starts watching; true when the list succeeded. */
  const start = async (): Promise<boolean> => {
    failedSinceStart = false;
    await informer.start();
    const ok = !failedSinceStart;
    if (ok) {
      if (backoff !== FIRST_BACKOFF_MS) log.info({ informer: name }, "watch recovered");
      backoff = FIRST_BACKOFF_MS;
    }
    return ok;
  };

  informer.on("error", (error: unknown) => {
    failedSinceStart = true;
    if (stopped) return;
    // One line when a healthy watch breaks; the retries after it are counted, not logged.
    if (backoff === FIRST_BACKOFF_MS) log.warn({ informer: name, err: String((error as Error)?.message ?? error) }, "watch failed; restarting with backoff");
    metrics().watchRestarts.inc({ cluster });
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!stopped) start().catch(() => {});
    }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  });

  metrics().watches.inc({ cluster });
  return {
    informer,
    start,
    stop: async () => {
      if (!stopped) metrics().watches.dec({ cluster });
      stopped = true;
      clearTimeout(timer);
      await informer.stop();
    },
  };
}

