// Kubernetes answers failures with a Status object; client-node wraps it in an ApiException.
// One place turns that into something the domain can act on and people can read.

export class KubeError extends Error {
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
    return new KubeError(e.code, body?.reason ?? "Unknown", body?.message ?? `Kubernetes answered ${e.code}`, { cause: error });
  }
  const message = typeof e?.message === "string" ? e.message : String(error);
  return new KubeError(0, "Unreachable", `the Kubernetes API could not be reached (${shorten(message)})`, { cause: error });
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
