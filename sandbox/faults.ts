import type { IncomingMessage, ServerResponse } from "node:http";

export const serviceNames = ["kube", "route53", "s3", "dns", "registry", "ingress"] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface Faults {
  /** Share of requests (0..1) answered with a 5xx in the service's own error format. */
  errorRate: number;
  /** Milliseconds added before a request is handled. */
  latencyMs: number;
  /** Share of requests (0..1) whose connection is destroyed without an answer. */
  dropRate: number;
  /**
   * Share of requests (0..1) answered as throttled: Kubernetes' 429 TooManyRequests (as
   * priority-and-fairness answers), the registry's 429 TOOMANYREQUESTS, Route 53's Throttling
   * (HTTP 400, "Rate exceeded"), S3's 503 SlowDown. The ingress and DNS ignore it.
   */
  throttleRate: number;
  /**
   * The Retry-After (seconds) sent with Kubernetes' and the registry's 429s (default 1). How long
   * each client then waited before sending the same request again is counted (retryAfterStats).
   */
  retryAfterSeconds?: number;
  /**
   * Share of Route 53 ChangeResourceRecordSets requests (0..1) refused with PriorRequestNotComplete
   * (HTTP 400), as while an earlier change to the zone is still being processed. Other services ignore it.
   */
  priorRequestRate: number;
  /**
   * When set, this service's fault decisions come from a generator seeded with it instead of
   * Math.random: the n-th request after the faults were set always meets the same fate, so a test
   * (or a bug report) can replay a run, and can know that its first requests meet a fault.
   */
  seed?: number;
}

export const noFaults: Faults = { errorRate: 0, latencyMs: 0, dropRate: 0, throttleRate: 0, priorRequestRate: 0 };

export type FaultOutcome = "pass" | "error" | "drop" | "throttle";

/** How clients answered a Retry-After: each return of a throttled request, and how long it came after. */
export interface RetryAfterStats {
  /** Throttled answers sent with a Retry-After. */
  sent: number;
  /** The same request (method and URL) seen again afterwards. */
  returned: number;
  /** Of those, how many came back before the Retry-After had passed. */
  early: number;
  /** The shortest and the total wait of the returns, in milliseconds. */
  minWaitMs: number | null;
  totalWaitMs: number;
  /** The last few requests that came back early ("GET /api/v1/pods?watch=true… after 1200 ms"), to find their client. */
  earlyExamples: string[];
}

// The services whose throttled answers carry a Retry-After (Route 53's and S3's do not).
const SENDS_RETRY_AFTER = new Set<ServiceName>(["kube", "registry"]);
// A return sooner than this before the Retry-After ends is still on time: timers round.
const RETRY_AFTER_SLACK_MS = 20;
// Throttled requests remembered for their return; older or more are forgotten.
const RETRY_AFTER_MEMORY = 10_000;

/** Holds the current faults of every service; servers consult it on each request. */
export class FaultBoard {
  private readonly faults = new Map<ServiceName, Faults>();
  private readonly randoms = new Map<ServiceName, () => number>();
  private readonly outcomes = new Map<ServiceName, Record<FaultOutcome, number>>();
  private readonly throttled = new Map<string, { at: number; retryAfterMs: number }>();
  private readonly retryAfter = new Map<ServiceName, RetryAfterStats>();

  constructor(initial: Partial<Record<ServiceName, Partial<Faults>>> = {}) {
    for (const name of serviceNames) this.set(name, initial[name] ?? {});
  }

  get(service: ServiceName): Faults {
    return this.faults.get(service) ?? noFaults;
  }

  set(service: ServiceName, faults: Partial<Faults>): Faults {
    const merged = { ...noFaults, ...faults };
    merged.errorRate = clamp01(merged.errorRate);
    merged.dropRate = clamp01(merged.dropRate);
    merged.throttleRate = clamp01(merged.throttleRate);
    merged.priorRequestRate = clamp01(merged.priorRequestRate);
    merged.latencyMs = Math.max(0, merged.latencyMs);
    if (merged.retryAfterSeconds === undefined || !Number.isFinite(merged.retryAfterSeconds)) delete merged.retryAfterSeconds;
    else merged.retryAfterSeconds = Math.max(0, Math.round(merged.retryAfterSeconds));
    if (merged.seed === undefined || !Number.isFinite(merged.seed)) delete merged.seed;
    this.faults.set(service, merged);
    this.randoms.set(service, merged.seed === undefined ? Math.random : seededRandom(merged.seed));
    return merged;
  }

  clear(): void {
    for (const name of serviceNames) this.set(name, {});
  }

  /** What became of every request each service was asked since start (or resetCounts). */
  counts(): Record<ServiceName, Record<FaultOutcome, number>> {
    return Object.fromEntries(serviceNames.map((n) => [n, { ...(this.outcomes.get(n) ?? emptyOutcomes()) }])) as Record<ServiceName, Record<FaultOutcome, number>>;
  }

  retryAfterStats(): Record<ServiceName, RetryAfterStats> {
    const copy = (n: ServiceName) => {
      const stats = this.retryAfter.get(n) ?? emptyRetryAfter();
      return { ...stats, earlyExamples: [...stats.earlyExamples] };
    };
    return Object.fromEntries(serviceNames.map((n) => [n, copy(n)])) as Record<ServiceName, RetryAfterStats>;
  }

  resetCounts(): void {
    this.outcomes.clear();
    this.retryAfter.clear();
    this.throttled.clear();
  }

  /** A request arrived: if the same one was throttled before, count how long its client waited. */
  noteArrival(service: ServiceName, key: string, now = Date.now()): void {
    const before = this.throttled.get(`${service} ${key}`);
    if (!before) return;
    this.throttled.delete(`${service} ${key}`);
    const stats = this.retryAfterOf(service);
    const waited = now - before.at;
    stats.returned++;
    stats.totalWaitMs += waited;
    stats.minWaitMs = stats.minWaitMs === null ? waited : Math.min(stats.minWaitMs, waited);
    if (waited < before.retryAfterMs - RETRY_AFTER_SLACK_MS) {
      stats.early++;
      stats.earlyExamples = [...stats.earlyExamples.slice(-4), `${key} after ${waited} ms`];
    }
  }

  /** A throttled answer with a Retry-After is being sent for this request. */
  noteThrottled(service: ServiceName, key: string, retryAfterSeconds: number, now = Date.now()): void {
    this.retryAfterOf(service).sent++;
    if (this.throttled.size >= RETRY_AFTER_MEMORY) this.throttled.delete(this.throttled.keys().next().value!);
    this.throttled.set(`${service} ${key}`, { at: now, retryAfterMs: retryAfterSeconds * 1_000 });
  }

  private retryAfterOf(service: ServiceName): RetryAfterStats {
    let stats = this.retryAfter.get(service);
    if (!stats) this.retryAfter.set(service, (stats = emptyRetryAfter()));
    return stats;
  }

  private count(service: ServiceName, outcome: FaultOutcome): void {
    let counts = this.outcomes.get(service);
    if (!counts) this.outcomes.set(service, (counts = emptyOutcomes()));
    counts[outcome]++;
  }

  snapshot(): Record<ServiceName, Faults> {
    return Object.fromEntries(serviceNames.map((n) => [n, this.get(n)])) as Record<ServiceName, Faults>;
  }

  /** Waits for the configured latency, then decides what happens to this request. */
  async decide(service: ServiceName): Promise<FaultOutcome> {
    const f = this.get(service);
    // Drawn before the latency, so that concurrent requests take their draws in arrival order.
    const random = this.randoms.get(service) ?? Math.random;
    const draws = [random(), random(), random()];
    if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
    const outcome: FaultOutcome =
      f.dropRate > 0 && draws[0]! < f.dropRate ? "drop" : f.errorRate > 0 && draws[1]! < f.errorRate ? "error" : f.throttleRate > 0 && draws[2]! < f.throttleRate ? "throttle" : "pass";
    this.count(service, outcome);
    return outcome;
  }
}

/**
 * Applies faults to an HTTP request. Returns true when the request was consumed
 * (dropped or answered with an error) and must not be handled further.
 */
export async function applyHttpFaults(
  board: FaultBoard,
  service: ServiceName,
  req: IncomingMessage,
  res: ServerResponse,
  answerError: (res: ServerResponse) => void,
  answerThrottle?: (res: ServerResponse, retryAfterSeconds: number) => void,
  /** Tells this request from others to the same URL (a digest of its body), to know it when it comes back. */
  identity = "",
): Promise<boolean> {
  if (req.url?.startsWith("/_sandbox/")) return false;
  // A request is known again by its method and URL (query included), and its body when given: what a client retrying it sends.
  const key = `${req.method ?? "GET"} ${req.url ?? "/"}${identity ? ` ${identity}` : ""}`;
  board.noteArrival(service, key);
  const outcome = await board.decide(service);
  if (outcome === "drop") {
    req.socket.destroy();
    return true;
  }
  if (outcome === "error") {
    answerError(res);
    return true;
  }
  if (outcome === "throttle" && answerThrottle) {
    const retryAfterSeconds = board.get(service).retryAfterSeconds ?? 1;
    if (SENDS_RETRY_AFTER.has(service)) board.noteThrottled(service, key, retryAfterSeconds);
    answerThrottle(res, retryAfterSeconds);
    return true;
  }
  return false;
}

function emptyOutcomes(): Record<FaultOutcome, number> {
  return { pass: 0, error: 0, drop: 0, throttle: 0 };
}

function emptyRetryAfter(): RetryAfterStats {
  return { sent: 0, returned: 0, early: 0, minWaitMs: null, totalWaitMs: 0, earlyExamples: [] };
}

/** mulberry32: small, fast and good enough to pick faults; not for anything secret. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
