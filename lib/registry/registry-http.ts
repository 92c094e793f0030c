import "server-only";
import { RegistryProblem, seconds } from "./registry-problem";

// One HTTP request to a registry, tried again on what passes by itself (429, 502-504, a
// connection dropped mid-way) with jittered exponential backoff, and never past the call's
// deadline: a registry that keeps failing answers in plain words, not a hung page.

export interface RetryPolicy {
  /** Tries after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface CallContext {
  host: string;
  /** Aborts at the call's deadline. */
  signal: AbortSignal;
  /** When the signal aborts (Date.now() terms). */
  deadline: number;
  timeoutMs: number;
  policy: RetryPolicy;
  fetch: typeof fetch;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
// A connection that dropped may work the next time; one refused or a name that does not resolve will not, soon.
const TRANSIENT_NETWORK = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

export async function fetchWithRetries(ctx: CallContext, url: string, headers: Record<string, string>): Promise<Response> {
  let last: RegistryProblem | undefined;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await ctx.fetch(url, { headers, signal: ctx.signal });
    } catch (error) {
      if (ctx.signal.aborted) throw last ?? timeoutProblem(ctx);
      const problem = networkProblem(ctx.host, url, error, attempt + 1);
      if (!TRANSIENT_NETWORK.has(errorCode(error)) || attempt >= ctx.policy.retries) throw problem;
      last = problem;
      await backoff(ctx, attempt, null, last);
      continue;
    }
    if (!RETRY_STATUSES.has(response.status)) return response;
    await response.body?.cancel().catch(() => {});
    last = statusProblem(ctx.host, response.status, attempt + 1);
    if (attempt >= ctx.policy.retries) throw last;
    await backoff(ctx, attempt, response.headers.get("retry-after"), last);
  }
}

/** The body as JSON, null when it is not JSON; a body cut off by the deadline is the deadline's problem. */
export async function readJson(ctx: CallContext, response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    if (ctx.signal.aborted) throw timeoutProblem(ctx);
    return null;
  }
}

export function timeoutProblem(ctx: Pick<CallContext, "host" | "timeoutMs">): RegistryProblem {
  return new RegistryProblem("unreachable", `the registry ${ctx.host} did not answer within ${seconds(ctx.timeoutMs)}`);
}

/**
 * Waits a jittered, growing delay (at least what Retry-After asks, within the cap). A wait that
 * would end past the deadline is not begun: the call answers with `last` now instead.
 */
async function backoff(ctx: CallContext, attempt: number, retryAfter: string | null, last: RegistryProblem): Promise<void> {
  const ceiling = Math.min(ctx.policy.maxDelayMs, ctx.policy.baseDelayMs * 2 ** attempt);
  const asked = retryAfter && /^\d+$/.test(retryAfter) ? Math.min(Number(retryAfter) * 1000, ctx.policy.maxDelayMs) : 0;
  const ms = Math.max(asked, Math.random() * ceiling);
  if (Date.now() + ms >= ctx.deadline) throw last;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    ctx.signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", done);
      resolve();
    }
  });
  if (ctx.signal.aborted) throw last;
}

function statusProblem(host: string, status: number, tries: number): RegistryProblem {
  const tried = tries === 1 ? "" : `, ${tries} tries`;
  if (status === 429) return new RegistryProblem("unreachable", `the registry ${host} is limiting Corral's requests (429 Too Many Requests${tried})`);
  return new RegistryProblem("unreachable", `the registry ${host} is unavailable (it answered ${status}${tried})`);
}

function networkProblem(host: string, url: string, error: unknown, tries: number): RegistryProblem {
  const code = errorCode(error);
  const origin = new URL(url).origin;
  const options = { cause: error };
  if (code === "ECONNREFUSED") return new RegistryProblem("unreachable", `the registry ${host} could not be reached: nothing answers at ${origin}`, options);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new RegistryProblem("unreachable", `the registry ${host} could not be reached: the name ${new URL(url).hostname} does not resolve`, options);
  if (/CERT|SSL|TLS/i.test(code)) return new RegistryProblem("unreachable", `the registry ${host} could not be reached: its TLS certificate was not accepted (${code})`, options);
  if (TRANSIENT_NETWORK.has(code)) return new RegistryProblem("unreachable", `the registry ${host} dropped the connection${tries > 1 ? ` ${tries} times` : ""}`, options);
  return new RegistryProblem("unreachable", `the registry ${host} could not be reached${code ? ` (${code})` : ""}`, options);
}

// fetch (undici) wraps the socket's error: TypeError("fetch failed") with the cause carrying the code.
function errorCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return "";
}
