import { abortableSleep } from "./backoff";

// A token bucket refilled continuously: `ratePerSecond` on average, at most `burst` at once.
// Callers past the bucket wait their turn in order (each takes a token it will have, so the
// waits queue up rather than all waking at once). Route 53 allows an account five requests a
// second across everything that uses it; one bucket for the whole process keeps Corral under.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** How long the caller must wait for its token, reserving it. */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSecond) * 1000;
  }

  /** Waits for a token; an abort gives the reserved token back and rejects with the signal's reason. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const wait = this.reserve();
    if (wait <= 0) return;
    try {
      await abortableSleep(wait, signal);
    } catch (error) {
      this.tokens += 1;
      throw error;
    }
  }
}
