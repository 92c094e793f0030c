import "server-only";
import { type HttpLibrary, IsomorphicFetchHttpLibrary, Observable, type RequestContext, type ResponseContext } from "@kubernetes/client-node";
import { log } from "@/lib/log";
import { metrics } from "@/lib/ops/metrics";
import { KUBE_CALL_RETRY, type KubeFailure, type KubeRetryPolicy, classifyNetworkError, classifyStatus, retryDelayMs } from "./retry-policy";

/**
 * The HTTP layer under every client lib/kube builds (typed APIs and KubernetesObjectApi): each
 * request is sent again after a transient failure, per KUBE_CALL_RETRY, so no call site retries
 * on its own. Server-side apply, reads, lists and deletes are idempotent; a create sent again
 * after a dropped connection may find its object made (409), which its caller already handles.
 * The one body Kubernetes requests carry is a string, so sending it twice is safe.
 */
export class RetryingHttpLibrary implements HttpLibrary {
  // When the server said to come back (Retry-After), by method and URL: the same request from
  // any caller in the process (the next pass of a job, another job) waits until then too.
  private readonly notBefore = new Map<string, number>();

  constructor(
    private readonly inner: HttpLibrary = new IsomorphicFetchHttpLibrary(),
    private readonly policy: KubeRetryPolicy = KUBE_CALL_RETRY,
  ) {}

  send(request: RequestContext): Observable<ResponseContext> {
    const key = `${request.getHttpMethod()} ${request.getUrl()}`;
    const signal = request.getSignal();
    const attempt = async () => {
      const wait = (this.notBefore.get(key) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait, signal);
      const response = await this.inner.send(request).toPromise();
      const after = classifyStatus(response.httpStatusCode, headerOf(response.headers, "retry-after"))?.retryAfterMs ?? null;
      if (after !== null) this.remember(key, Date.now() + after);
      return response;
    };
    return new Observable(
      withKubeRetry(attempt, {
        what: `${request.getHttpMethod()} ${new URL(request.getUrl()).pathname}`,
        signal,
        policy: this.policy,
        failureOf: (response) => classifyStatus(response.httpStatusCode, headerOf(response.headers, "retry-after")),
        // An answer not returned must still be read, or its connection is not reused.
        discard: (response) => void response.body.text().catch(() => {}),
      }),
    );
  }

  private remember(key: string, until: number) {
    const now = Date.now();
    // Kept small: what has passed goes whenever something new is remembered.
    if (this.notBefore.size > 1_000) for (const [k, t] of this.notBefore) if (t <= now) this.notBefore.delete(k);
    this.notBefore.set(key, until);
  }
}

export interface KubeRetryOptions<T> {
  /** For the log line: "PATCH /apis/apps/v1/namespaces/x/deployments/web". */
  what: string;
  signal?: AbortSignal;
  policy?: KubeRetryPolicy;
  /** A failure told by the value returned (an HTTP answer's status), rather than thrown. */
  failureOf?: (value: T) => KubeFailure | null;
  /** Frees a value that will not be returned (an answer's body). */
  discard?: (value: T) => void;
}

/**
 * Runs `call`, and again after each transient failure while the policy allows: thrown errors
 * are judged by their status (client-node's ApiException) or as a failed connection. For the
 * requests that do not pass through an HTTP library (opening a log stream); everything else goes
 * through RetryingHttpLibrary.
 */
export async function withKubeRetry<T>(call: () => Promise<T>, options: KubeRetryOptions<T>): Promise<T> {
  const policy = options.policy ?? KUBE_CALL_RETRY;
  for (let attempt = 1; ; attempt++) {
    let value: T | undefined;
    let thrown: { error: unknown } | null = null;
    let failure: KubeFailure | null;
    try {
      value = await call();
      failure = options.failureOf?.(value) ?? null;
    } catch (error) {
      thrown = { error };
      failure = options.signal?.aborted ? null : failureOfError(error);
    }
    const delay = failure ? retryDelayMs(attempt, failure, policy) : null;
    if (!failure || delay === null) {
      if (thrown) throw thrown.error;
      return value as T;
    }
    if (!thrown) options.discard?.(value as T);
    metrics().kubeRetries.inc({ cause: failure.cause ?? "unknown" });
    // Counted, and logged only when asked for: under a flaky API server this is most requests.
    log.debug({ call: options.what, status: failure.status, cause: failure.cause, attempt, retryInMs: delay }, "kubernetes call retried");
    await sleep(delay, options.signal);
  }
}

/** A thrown error as a failure: an answer's status when it carries one, else a connection that failed. */
export function failureOfError(error: unknown): KubeFailure {
  const e = error as { code?: unknown; headers?: unknown } | null;
  if (typeof e?.code === "number" && e.code >= 100) {
    return classifyStatus(e.code, headerOf(e.headers, "retry-after")) ?? { cause: null, status: e.code, retryAfterMs: null };
  }
  return classifyNetworkError(error);
}

function headerOf(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== "object") return null;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name) return typeof value === "string" ? value : Array.isArray(value) ? String(value[0]) : null;
  }
  return null;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
