// Which failures of a Kubernetes call pass by themselves, and how long to wait before trying
// again. Pure, so the rules can be read and tested in one place; lib/kube/retrying-http.ts applies
// them to every request Corral's clients send, informers.ts to restarting watches.
//
// Real API servers answer 429 with Retry-After under priority-and-fairness, 503 while they
// restart or etcd changes leader, and drop connections behind load balancers. client-go retries
// such calls itself; so does Corral, a few times and quickly. Trouble that lasts longer is handed
// to the caller's own loop (a job runs again after a capped backoff), which can tell people why
// it waits instead of hiding it in a call that hangs.

export interface KubeRetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out inside a call: the caller's slower loop takes over. */
  maxRetryAfterMs: number;
}

/**
 * Three tries in all: a blip (one 503, a dropped keep-alive connection) is over within a
 * second, and anything longer is better handled by the job that made the call, which records
 * why it waits and comes back with a longer, capped backoff.
 */
export const KUBE_CALL_RETRY: KubeRetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 3_000, maxRetryAfterMs: 10_000 };

/** How a watch that broke is started again: quickly at first, then at most every 30 s. */
export const WATCH_RESTART = { baseDelayMs: 500, maxDelayMs: 30_000 } as const;

export type TransientCause = "throttled" | "server-error" | "connection" | "timeout" | "conflict";

export interface KubeFailure {
  /** Null when trying again cannot help (a refusal, or the caller gave up). */
  cause: TransientCause | null;
  /** The HTTP status, 0 when no answer came. */
  status: number;
  /** The server's Retry-After, when it gave one. */
  retryAfterMs: number | null;
}

/** A response's status (and its Retry-After header) as a failure, or null when it succeeded. */
export function classifyStatus(status: number, retryAfter?: string | null): KubeFailure | null {
  if (status < 400) return null;
  const after = parseRetryAfter(retryAfter);
  if (status === 429) return { cause: "throttled", status, retryAfterMs: after };
  if (status === 500 || status === 502 || status === 503 || status === 504) return { cause: "server-error", status, retryAfterMs: after };
  return { cause: null, status, retryAfterMs: null };
}

// Node's and undici's names for a connection that failed or went away, and for no answer in time.
const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** An error thrown instead of an answer (fetch failed): a connection or a timeout is transient; anything else is not. */
export function classifyNetworkError(error: unknown): KubeFailure {
  const codes: string[] = [];
  const names: string[] = [];
  const messages: string[] = [];
  // undici wraps the socket's error in `cause` ("fetch failed" ← "other side closed").
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === "string") codes.push(code);
    if (typeof name === "string") names.push(name);
    if (typeof message === "string") messages.push(message);
  }
  const text = messages.join(" ");
  if (codes.some((c) => TIMEOUT_CODES.has(c)) || names.includes("TimeoutError") || /timed? ?out/i.test(text)) return { cause: "timeout", status: 0, retryAfterMs: null };
  if (codes.some((c) => CONNECTION_CODES.has(c)) || /socket hang up|other side closed|ECONNRESET|ECONNREFUSED|EPIPE/i.test(text)) {
    return { cause: "connection", status: 0, retryAfterMs: null };
  }
  return { cause: null, status: 0, retryAfterMs: null };
}

/**
 * How long to wait before retry number `retry` (1 for the first retry), or null to give up now:
 * the tries are spent, or the server asked for a longer wait than a call should hold on for.
 * The server's Retry-After is honoured as given, plus a little jitter so that callers throttled
 * together do not come back together; otherwise exponential with "equal jitter" (half fixed,
 * half random), capped.
 */
export function retryDelayMs(retry: number, failure: KubeFailure, policy: KubeRetryPolicy = KUBE_CALL_RETRY, random: () => number = Math.random): number | null {
  if (failure.cause === null || retry >= policy.attempts) return null;
  if (failure.retryAfterMs !== null) {
    if (failure.retryAfterMs > policy.maxRetryAfterMs) return null;
    return failure.retryAfterMs + Math.round(random() * Math.min(1_000, Math.max(50, failure.retryAfterMs * 0.1)));
  }
  return jitteredDelay(retry, policy, random);
}

/** Equal jitter: half of min(cap, base·2^(n-1)) fixed, half random. `n` counts from 1. */
export function jitteredDelay(n: number, policy: { baseDelayMs: number; maxDelayMs: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, n - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After in seconds (what API servers send) or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1_000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
