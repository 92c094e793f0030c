// What one attempt at a delivery came to, and what follows: delivered, tried again later, or
// failed for good with the reason in plain words. Retried: no answer (network errors,
// timeouts), 429 and 5xx, which pass by themselves. Not retried: other 4xx (the receiver
// refused this request; sending it again would be refused again), redirects (the URL is
// wrong; webhooks do not follow them) and refused addresses (a setting, not a moment).

export type AttemptOutcome =
  | { kind: "response"; status: number; statusText: string; excerpt: string; location?: string | null }
  | { kind: "error"; problem: "timeout" | "network" | "refused-address"; message: string };

export interface AttemptDecision {
  status: "succeeded" | "retrying" | "failed";
  /** The attempt in plain words, for the delivery log. */
  summary: string;
}

export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind === "error") return outcome.problem !== "refused-address";
  return outcome.status === 429 || (outcome.status >= 500 && outcome.status <= 599);
}

export function decideAttempt(outcome: AttemptOutcome, attempt: { number: number; of: number }): AttemptDecision {
  if (outcome.kind === "response" && outcome.status >= 200 && outcome.status <= 299) {
    return { status: "succeeded", summary: `Delivered: the receiver answered ${describeStatus(outcome)}.` };
  }
  const what = describeOutcome(outcome);
  if (!isRetryable(outcome)) return { status: "failed", summary: `${what} Not retried: ${whyNotRetried(outcome)}` };
  if (attempt.number >= attempt.of) return { status: "failed", summary: `${what} Gave up after ${attempt.of} attempts.` };
  return { status: "retrying", summary: `${what} Trying again (attempt ${attempt.number} of ${attempt.of} failed).` };
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
