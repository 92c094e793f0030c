// @ts-check
// How long to wait before trying again: exponential with jitter, so that many pipelines
// refused at once (a deploy of Corral, a rate limit) do not all come back at the same moment;
// the server's own Retry-After wins when it gives one.

const BASE_MS = 500;
const MAX_MS = 20_000;
/** Retry-After beyond this is not waited for in one go: the caller's deadline decides. */
const RETRY_AFTER_CAP_MS = 120_000;

/**
 * "Equal jitter": half the exponential step for sure, the other half at random.
 * @param {number} attempt 0 for the first retry
 * @param {{ baseMs?: number, maxMs?: number, random?: () => number }} [options]
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, { baseMs = BASE_MS, maxMs = MAX_MS, random = Math.random } = {}) {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * A Retry-After header (seconds, or an HTTP date) in milliseconds from `now`; null when absent
 * or not understood.
 * @param {string | null | undefined} value
 * @param {number} [now]
 * @returns {number | null}
 */
export function retryAfterMs(value, now = Date.now()) {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(RETRY_AFTER_CAP_MS, Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, at - now));
}

/**
 * The wait before retry `attempt`: what the server asked for plus a little jitter, or the backoff.
 * @param {number} attempt
 * @param {number | null} serverAskedMs
 * @param {() => number} [random]
 * @returns {number}
 */
export function nextDelay(attempt, serverAskedMs, random = Math.random) {
  if (serverAskedMs !== null) return serverAskedMs + Math.round(random() * Math.min(1_000, serverAskedMs * 0.1 + 100));
  return backoffDelay(attempt, { random });
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as it aborts.
 * @param {number} ms
 * @param {AbortSignal} [signal]
 * @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
