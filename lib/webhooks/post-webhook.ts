import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { type AttemptOutcome, parseRetryAfter } from "./delivery-decision";
import { hostOf, isPrivateAddress, privateRefusal } from "./target-address";

// The one place Corral sends a webhook: node:http(s), because only it lets the connection's own
// DNS answer be checked (fetch resolves where no code can look), so the address refused is the
// address that would have been reached. No redirects are followed; the answer's body is read
// only as far as the log shows it.

export const REQUEST_TIMEOUT_MS = 10_000;
const EXCERPT_CHARS = 200;
const READ_AT_MOST = 4_096;

// Kept-alive connections per receiver: a burst of events reuses one socket instead of a
// handshake each (the bench's figure depends on it).
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 32 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  /** The job's own abort (a cancel, its time limit); the request's timeout is added here. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function postWebhook(request: WebhookRequest): Promise<AttemptOutcome & { ms: number }> {
  const started = performance.now();
  const done = (outcome: AttemptOutcome) => ({ ...outcome, ms: Math.round(performance.now() - started) });
  const url = new URL(request.url);
  const host = hostOf(url);
  if (!request.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    return done({ kind: "error", problem: "refused-address", message: privateRefusal(host) });
  }
  const timeoutMs = request.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const transport = url.protocol === "https:" ? https : http;
  const where = `${host}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;

  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      resolve(done(outcome));
    };
    const req = transport.request(
      url,
      {
        method: "POST",
        agent: agents[url.protocol as "http:" | "https:"],
        headers: { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
        lookup: guardedLookup(request.allowPrivate),
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = () => {
          const status = res.statusCode ?? 0;
          finish({
            kind: "response",
            status,
            statusText: res.statusMessage ?? "",
            excerpt: excerptOf(Buffer.concat(chunks).toString("utf8")),
            location: status >= 300 && status <= 399 ? (res.headers.location ?? null) : null,
            retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
          });
        };
        res.on("data", (chunk: Buffer) => {
          if (size < READ_AT_MOST) chunks.push(chunk);
          size += chunk.length;
          // Enough to show; the rest is not waited for (the socket is dropped, not reused).
          if (size >= READ_AT_MOST) {
            answer();
            res.destroy();
          }
        });
        res.on("end", answer);
        res.on("error", answer);
        res.on("aborted", answer);
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (timeout.aborted) finish({ kind: "error", problem: "timeout", message: `No answer from ${where} within ${timeoutMs / 1000} s` });
      else if (error.code === "EWEBHOOKPRIVATE") finish({ kind: "error", problem: "refused-address", message: error.message });
      else finish({ kind: "error", problem: "network", message: networkProblem(error, where) });
    });
    req.end(request.body);
  });
}

/** dns.lookup, refusing a name any of whose addresses is private (unless allowed). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) {
        const problem = Object.assign(new Error(privateRefusal(`${hostname} (${refused.address})`)), { code: "EWEBHOOKPRIVATE" });
        return callback(problem, "", 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused: nothing listens there",
  ECONNRESET: "the connection was reset",
  EHOSTUNREACH: "the host cannot be reached",
  ENETUNREACH: "the network cannot be reached",
  ENOTFOUND: "the name does not resolve",
  EAI_AGAIN: "the name could not be resolved just now",
  ETIMEDOUT: "the connection timed out",
  EPIPE: "the connection was closed while sending",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate chain is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another name",
};

function networkProblem(error: NodeJS.ErrnoException, where: string): string {
  const words = (error.code && NETWORK_WORDS[error.code]) ?? error.message;
  return `Could not deliver to ${where}: ${words}`;
}

/** The start of the answer's body on one line, for the log. */
function excerptOf(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS)}…` : line;
}
