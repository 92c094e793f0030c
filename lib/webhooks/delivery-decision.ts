// What one attempt at a delivery came to, and what follows: delivered, tried again later, or
// failed for good with the reason in plain words. Retried: no answer (network errors,
// timeouts), 429 and 5xx, which pass by themselves. Not retried: other 4xx (the receiver
// refused this request; sending it again would be refused again), redirects (the URL is
// wrong; webhooks do not follow them) and refused addresses (a setting, not a moment).

/** Attempts in one round (a delivery, or a redelivery), over about 30 to 45 minutes. */
export const MAX_ATTEMPTS = 12;
export const MAX_DELAY_SECONDS = 900;

export type AttemptOutcome =
  | { kind: "response"; status: number; statusText: string; excerpt: string; location?: string | null; retryAfterSeconds?: number | null }
  | { kind: "error"; problem: "timeout" | "network" | "refused-address"; message: string };

export type AttemptDecision =
  | { status: "succeeded" | "failed"; summary: string }
  | { status: "retrying"; summary: string; retryInSeconds: number };

export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind === "error") return outcome.problem !== "refused-address";
  return outcome.status === 429 || (outcome.status >= 500 && outcome.status <= 599);
}

/**
 * Seconds to wait after attempt `failed` (1-based) failed: exponential, from 1–2 s up to
 * MAX_DELAY_SECONDS, with half the range random ("equal jitter") so that the retries of many
 * deliveries to a receiver that was down do not all arrive in the same second.
 */
export function backoffSeconds(failed: number, random: () => number = Math.random): number {
  const base = 2 ** Math.min(Math.max(failed, 1) - 1, 20);
  return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.round(base * (1 + random()))));
}

export function decideAttempt(outcome: AttemptOutcome, attempt: number, random: () => number = Math.random): AttemptDecision {
  if (outcome.kind === "response" && outcome.status >= 200 && outcome.status <= 299) {
    return { status: "succeeded", summary: `Delivered: the receiver answered ${describeStatus(outcome)}.` };
  }
  const what = describeOutcome(outcome);
  if (!isRetryable(outcome)) return { status: "failed", summary: `${what} Not retried: ${whyNotRetried(outcome)}` };
  if (attempt >= MAX_ATTEMPTS) return { status: "failed", summary: `${what} Gave up after ${MAX_ATTEMPTS} attempts.` };
  // A receiver that says when to come back is believed, within the longest wait.
  const asked = outcome.kind === "response" ? Math.min(outcome.retryAfterSeconds ?? 0, MAX_DELAY_SECONDS) : 0;
  const retryInSeconds = Math.max(backoffSeconds(attempt, random), asked);
  return { status: "retrying", summary: `${what} Trying again in ${retryInSeconds} s (attempt ${attempt} of ${MAX_ATTEMPTS} failed).`, retryInSeconds };
}

/** A Retry-After header in seconds (a number of seconds, or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function describeOutcome(outcome: AttemptOutcome): string {
  if (outcome.kind === "error") return ensurePeriod(outcome.message);
  const excerpt = outcome.excerpt ? `: “${outcome.excerpt}”` : "";
  if (outcome.status >= 300 && outcome.status <= 399) {
    return `The receiver answered ${describeStatus(outcome)}${outcome.location ? `, a redirect to ${outcome.location}` : ", a redirect"}.`;
  }
  return `The receiver answered ${describeStatus(outcome)}${excerpt}.`;
}

function whyNotRetried(outcome: AttemptOutcome): string {
  if (outcome.kind === "error") return "change the URL, or the setting, and redeliver.";
  if (outcome.status >= 300 && outcome.status <= 399) return "webhooks do not follow redirects; subscribe the final URL.";
  return "the receiver refused this request (a 4xx other than 429), so sending it again would be refused again.";
}

function describeStatus(outcome: { status: number; statusText: string }): string {
  return outcome.statusText ? `${outcome.status} ${outcome.statusText}` : String(outcome.status);
}

function ensurePeriod(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
