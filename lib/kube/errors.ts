import { classifyNetworkError, classifyStatus } from "./retry-policy";

// Kubernetes answers failures with a Status object; client-node wraps it in an ApiException.
// One place turns that into something the domain can act on and people can read.

export class KubeError extends Error {
  /** How long the server asked to be left alone (429/503 Retry-After), in seconds; null when it did not say. */
  retryAfterSeconds: number | null = null;

  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "KubeError";
  }

  /** Worth retrying: the cluster or the network, not the request, was the problem. */
  get transient(): boolean {
    if (this.reason === MISCONFIGURED) return false;
    return this.status === 0 || this.status === 429 || this.status >= 500 || this.reason === "Conflict";
  }

  /**
   * A transient failure in plain words, for a reason people read while Corral keeps trying
   * ("the cluster's API is answering with errors (503)").
   */
  get transientWords(): string {
    if (this.status === 429) return "the cluster's API is throttling Corral (429 Too Many Requests)";
    if (this.status >= 500) return `the cluster's API is answering with errors (${this.status})`;
    if (this.reason === "Conflict") return "the cluster reported a conflicting change (409)";
    const cause = classifyNetworkError(this.cause);
    if (cause.cause === "timeout") return "the cluster's API did not answer in time";
    if (cause.cause === "connection") return "the cluster's API could not be reached or dropped the connection";
    return `the cluster's API could not be reached (${this.message})`;
  }
}

/** The reason of a cluster record Corral cannot build a client for (an unknown context): no retry helps. */
export const MISCONFIGURED = "Misconfigured";

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  code?: number;
}

export function toKubeError(error: unknown): KubeError {
  if (error instanceof KubeError) return error;
  const e = error as { code?: unknown; body?: unknown; message?: unknown; cause?: unknown };
  if (typeof e?.code === "number" && e.code >= 100) {
    const body = parseBody(e.body);
    const kubeError = new KubeError(e.code, body?.reason ?? "Unknown", body?.message ?? `Kubernetes answered ${e.code}`, { cause: error });
    const after = failureOfStatus(e.code, (e as { headers?: Record<string, string> }).headers);
    kubeError.retryAfterSeconds = after === null ? null : Math.ceil(after / 1_000);
    return kubeError;
  }
  const message = typeof e?.message === "string" ? e.message : String(error);
  return new KubeError(0, "Unreachable", `the Kubernetes API could not be reached (${shorten(message)})`, { cause: error });
}

function failureOfStatus(status: number, headers: Record<string, string> | undefined): number | null {
  const retryAfter = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  return classifyStatus(status, retryAfter)?.retryAfterMs ?? null;
}

function parseBody(body: unknown): StatusBody | null {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return null;
    }
  }
  return typeof body === "object" && body !== null ? (body as StatusBody) : null;
}

function shorten(text: string) {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
