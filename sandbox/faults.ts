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
   * Share of requests (0..1) answered as throttled: the registry's 429 TOOMANYREQUESTS, Route 53's
   * Throttling (HTTP 400, "Rate exceeded"). Other services ignore it.
   */
  throttleRate: number;
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

/** Holds the current faults of every service; servers consult it on each request. */
export class FaultBoard {
  private readonly faults = new Map<ServiceName, Faults>();
  private readonly randoms = new Map<ServiceName, () => number>();

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
    if (merged.seed === undefined || !Number.isFinite(merged.seed)) delete merged.seed;
    this.faults.set(service, merged);
    this.randoms.set(service, merged.seed === undefined ? Math.random : seededRandom(merged.seed));
    return merged;
  }

  clear(): void {
    for (const name of serviceNames) this.set(name, {});
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
    if (f.dropRate > 0 && draws[0]! < f.dropRate) return "drop";
    if (f.errorRate > 0 && draws[1]! < f.errorRate) return "error";
    if (f.throttleRate > 0 && draws[2]! < f.throttleRate) return "throttle";
    return "pass";
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
  answerThrottle?: (res: ServerResponse) => void,
): Promise<boolean> {
  if (req.url?.startsWith("/_sandbox/")) return false;
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
    answerThrottle(res);
    return true;
  }
  return false;
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
