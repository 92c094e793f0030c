import "server-only";
import { type Informer, type KubernetesObject, makeInformer, type ObjectCache } from "@kubernetes/client-node";
import { log } from "@/lib/log";

export type CachedInformer<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

const MAX_BACKOFF_MS = 30_000;

/**
 * A client-node informer that keeps going. Its list-watch already resumes from the last
 * resourceVersion when the server ends a watch (client-node 2.x ends each after ~30 s) and
 * re-lists only on 410 Expired; what it does not do is start again after any other error,
 * so that is done here, with capped backoff.
 */
export function resilientInformer<T extends KubernetesObject>(
  name: string,
  make: () => CachedInformer<T>,
): { informer: CachedInformer<T>; start: () => Promise<void>; stop: () => Promise<void> } {
  const informer = make();
  let stopped = false;
  let backoff = 500;
  let timer: NodeJS.Timeout | undefined;
  informer.on("error", (error: unknown) => {
    if (stopped) return;
    log.warn({ informer: name, err: String((error as Error)?.message ?? error), retryInMs: backoff }, "watch failed; restarting");
    timer = setTimeout(() => {
      if (!stopped) informer.start().catch(() => {});
    }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  });
  informer.on("connect", () => {
    backoff = 500;
  });
  return {
    informer,
    start: () => informer.start(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await informer.stop();
    },
  };
}

export { makeInformer };
