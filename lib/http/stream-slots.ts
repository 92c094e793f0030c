import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/ops/metrics";

// Each open stream (a log follow, the change feed) holds an upstream request or a listener
// for as long as it lives, so one person or one token may hold only so many at once. Counted
// in this process: a server behind a load balancer enforces the limit per instance.

const openByUser = new Map<string, number>();
const openByToken = new Map<string, number>();

/** Takes one of the actor's stream slots, or throws 429 naming the limit. The release is idempotent. */
export function holdStreamSlot(actor: Actor, signal?: AbortSignal): () => void {
  const c = config();
  const token = actor.via === "session" ? null : actor.via;
  if ((openByUser.get(actor.id) ?? 0) >= c.CORRAL_MAX_STREAMS_PER_USER) {
    throw limited(`You have ${c.CORRAL_MAX_STREAMS_PER_USER} streams open, the most one person may (CORRAL_MAX_STREAMS_PER_USER). Close a log view or a tab and try again.`);
  }
  if (token && (openByToken.get(token) ?? 0) >= c.CORRAL_MAX_STREAMS_PER_TOKEN) {
    throw limited(`This API token has ${c.CORRAL_MAX_STREAMS_PER_TOKEN} streams open, the most one token may (CORRAL_MAX_STREAMS_PER_TOKEN). Close one and try again.`);
  }
  bump(openByUser, actor.id, 1);
  if (token) bump(openByToken, token, 1);
  metrics().openStreams.inc();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    metrics().openStreams.dec();
    bump(openByUser, actor.id, -1);
    if (token) bump(openByToken, token, -1);
  };
  signal?.addEventListener("abort", release, { once: true });
  return release;
}

/** A Response whose body gives the slot back when it ends, fails or is cancelled; anything else releases at once. */
export function releasedWhenDone(result: unknown, release: () => void): unknown {
  if (!(result instanceof Response) || !result.body) {
    release();
    return result;
  }
  const reader = result.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: result.status, statusText: result.statusText, headers: result.headers });
}

/** Open streams right now, for metrics and tests. */
export function openStreamCount(): number {
  let total = 0;
  for (const n of openByUser.values()) total += n;
  return total;
}

function bump(map: Map<string, number>, key: string, by: number) {
  const next = (map.get(key) ?? 0) + by;
  if (next <= 0) map.delete(key);
  else map.set(key, next);
}

function limited(message: string) {
  return new AppError("rate_limited", message, { retryAfterSeconds: 5 });
}
