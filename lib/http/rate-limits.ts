import "server-only";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Actor } from "@/lib/auth/actor";
import { config } from "@/lib/config";
import { AppError } from "@/lib/errors";

// How often one person, and one API token, may change things or open streams, by
// rate-limiter-flexible's in-memory limiters (per server process, a minute's window).

interface Limiters {
  mutations: RateLimiterMemory;
  streams: RateLimiterMemory;
}

const globalForLimits = globalThis as unknown as { corralLimiters?: Limiters };

function limiters(): Limiters {
  const c = config();
  globalForLimits.corralLimiters ??= {
    mutations: new RateLimiterMemory({ keyPrefix: "mutations", points: c.CORRAL_RATE_LIMIT_MUTATIONS, duration: 60 }),
    streams: new RateLimiterMemory({ keyPrefix: "streams", points: c.CORRAL_RATE_LIMIT_STREAMS, duration: 60 }),
  };
  return globalForLimits.corralLimiters;
}

/** Takes one point for the actor (and its token), or throws 429 with the wait, naming the limit. */
export async function consumeRateLimit(actor: Actor, kind: "mutations" | "streams"): Promise<void> {
  const limiter = limiters()[kind];
  const keys = [`user:${actor.id}`, ...(actor.via === "session" ? [] : [actor.via])];
  try {
    for (const key of keys) await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    const setting = kind === "mutations" ? "CORRAL_RATE_LIMIT_MUTATIONS" : "CORRAL_RATE_LIMIT_STREAMS";
    const what = kind === "mutations" ? "changes" : "stream opens";
    throw new AppError("rate_limited", `Too many ${what}: at most ${limiter.points} a minute (${setting}). Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
