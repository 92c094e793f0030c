// @ts-check
import { nextDelay, retryAfterMs, sleep } from "./backoff.js";
import { CliError, EXIT, exitCodeForStatus } from "./exit-codes.js";

// Every request the CLI makes goes through here: the token, JSON in and out, the API's error
// shape turned into a CliError with its exit code, and retries with backoff on 429 and 503
// (Retry-After honoured) and on connections that failed or dropped. A request that may have
// reached the server is sent again only when doing it twice is harmless.

/** Answers a proxy gives while Corral restarts; retried like 503 when the request may be repeated. */
const GATEWAY = new Set([502, 504]);
/** Connection errors that mean the request never reached the server: safe to send again. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * @typedef {object} RequestOptions
 * @property {Record<string, string | number | boolean | string[] | undefined>} [query]
 * @property {unknown} [body]
 * @property {Record<string, string>} [headers]
 * @property {boolean} [idempotent] sending it twice is harmless (GET, PUT and DELETE are)
 * @property {AbortSignal} [signal]
 */

export class ApiClient {
  /**
   * @param {{ url: string, token: string | null, retries?: number, userAgent?: string, onRetry?: (message: string) => void }} options
   */
  constructor({ url, token, retries = 5, userAgent = "corral-cli", onRetry }) {
    this.url = url;
    this.token = token;
    this.retries = retries;
    this.userAgent = userAgent;
    this.onRetry = onRetry ?? (() => {});
  }

  /**
   * @param {string} path
   * @param {RequestOptions} [options]
   */
  get(path, options = {}) {
    return this.json("GET", path, options);
  }

  /**
   * A JSON request; resolves with the parsed answer.
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<any>}
   */
  async json(method, path, options = {}) {
    const response = await this.send(method, path, options);
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new CliError(EXIT.unexpected, `Corral answered ${method} ${path} with something that is not JSON.`);
    }
  }

  /**
   * Sends the request, retrying as described above; resolves with a 2xx response.
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<Response>}
   */
  async send(method, path, options = {}) {
    const repeatable = options.idempotent ?? (method === "GET" || method === "PUT" || method === "DELETE");
    const url = this.urlFor(path, options.query);
    const headers = {
      accept: "application/json",
      "user-agent": this.userAgent,
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    };
    for (let attempt = 0; ; attempt++) {
      /** @type {Response} */
      let response;
      try {
        response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal });
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        const code = errorCode(error);
        const retry = attempt < this.retries && (repeatable || (code !== null && NOT_SENT.has(code)));
        if (!retry) throw new CliError(EXIT.unavailable, `Could not reach Corral at ${this.url}: ${describeNetworkError(error)}.`);
        const delay = nextDelay(attempt, null);
        this.onRetry(`Corral did not answer (${describeNetworkError(error)}); trying again in ${seconds(delay)}.`);
        await sleep(delay, options.signal);
        continue;
      }
      if (response.ok) return response;
      const busy = response.status === 429 || response.status === 503 || (repeatable && GATEWAY.has(response.status));
      if (busy && attempt < this.retries) {
        const delay = nextDelay(attempt, retryAfterMs(response.headers.get("retry-after")));
        const problem = await errorOf(response);
        this.onRetry(`${problem.message} Trying again in ${seconds(delay)}.`);
        await sleep(delay, options.signal);
        continue;
      }
      const problem = await errorOf(response);
      throw new CliError(exitCodeForStatus(response.status), problem.message, { status: response.status, code: problem.code, details: problem.details });
    }
  }

  /**
   * @param {string} path
   * @param {RequestOptions["query"]} query
   */
  urlFor(path, query) {
    const url = new URL(`${this.url}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === "") continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    return url.toString();
  }
}

/**
 * The API's error shape `{ error: { code, message, details } }`, or the status in words.
 * @param {Response} response
 * @returns {Promise<{ code?: string, message: string, details?: unknown }>}
 */
async function errorOf(response) {
  const text = await response.text().catch(() => "");
  try {
    const { error } = JSON.parse(text);
    if (error && typeof error.message === "string") return { code: error.code, message: withFields(error.message, error.details), details: error.details };
  } catch {
    // not the API's shape: a proxy's page
  }
  return { message: `Corral answered ${response.status} ${response.statusText || ""}`.trim() + "." };
}

/**
 * A 400's field messages after the message: `components.0.image: …`.
 * @param {string} message
 * @param {unknown} details
 */
function withFields(message, details) {
  if (!details || typeof details !== "object") return message;
  const lines = Object.entries(details)
    .filter(([, v]) => Array.isArray(v) && v.every((m) => typeof m === "string"))
    .map(([field, v]) => `  ${field}: ${v.join(" ")}`);
  return lines.length > 0 ? `${message}\n${lines.join("\n")}` : message;
}

/**
 * @param {unknown} error
 * @returns {string | null}
 */
export function errorCode(error) {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = /** @type {{ cause?: unknown }} */ (e).cause, depth++) {
    const code = /** @type {{ code?: unknown }} */ (e).code;
    if (typeof code === "string") return code;
  }
  return null;
}

/**
 * @param {unknown} error
 */
export function describeNetworkError(error) {
  const code = errorCode(error);
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was dropped";
  if (code === "ENOTFOUND") return "no such host";
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * @param {number} ms
 */
function seconds(ms) {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
