// How long a job waits before it runs again after an outside system failed in a way that passes
// by itself (a cluster answering 503, Route 53 throttling, S3 dropping connections). Such work is
// never given up: it comes back after 1, 2, 4… seconds, at most a minute apart, for as long as
// it takes, while its reason tells people why it waits. Refusals are not retried at all.

export const TRANSIENT_BACKOFF = { baseSeconds: 1, maxSeconds: 60 } as const;

/**
 * The wait after the `attempt`-th transient failure in a row (1 for the first), in whole
 * seconds: half of min(cap, base·2^(attempt-1)) fixed and half random, so that many jobs failing
 * together spread out; never less than what the server asked for (`atLeastSeconds`).
 */
export function transientBackoffSeconds(attempt: number, atLeastSeconds = 0, random: () => number = Math.random): number {
  const ceiling = Math.min(TRANSIENT_BACKOFF.maxSeconds, TRANSIENT_BACKOFF.baseSeconds * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.ceil(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(1, jittered, Math.ceil(atLeastSeconds));
}
