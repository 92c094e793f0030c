import type { ApplyResult } from "./types";

// Why Route 53 could not do what Corral asked, in words a person can act on, and which of its
// answers pass by themselves (worth trying again after a pause).

export type DnsProblemKind = "unavailable" | "refused" | "not-found" | "invalid";

export class DnsProblem extends Error {
  /** What applyChanges had done before it stopped: those groups are in Route 53. */
  readonly partial?: ApplyResult;

  constructor(
    readonly kind: DnsProblemKind,
    message: string,
    options?: { cause?: unknown; partial?: ApplyResult },
  ) {
    super(message, options);
    this.name = "DnsProblem";
    this.partial = options?.partial;
  }
}

// Route 53's own words for "not now": its account-wide rate limit, a change still being applied
// to the same zone, and its failures.
const TRANSIENT_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "PriorRequestNotComplete",
  "ServiceUnavailable",
  "InternalFailure",
  "InternalError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
// A connection that dropped or timed out may work the next time; one refused means nothing listens there.
const TRANSIENT_NETWORK = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

export function isTransient(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  if (e.name === "AbortError") return false;
  if (e.name && TRANSIENT_CODES.has(e.name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (networkCode(error) && TRANSIENT_NETWORK.has(networkCode(error))) return true;
  // The SDK's HTTP handler names a socket timeout or hang-up TimeoutError.
  return e.name === "TimeoutError";
}

/** Route 53 refused the batch's content; another batch without the bad change would go through. */
export function isRefusedBatch(error: unknown): boolean {
  const name = (error as SdkError | undefined)?.name;
  return name === "InvalidChangeBatch" || name === "InvalidInput";
}

/** Route 53's messages for a refused batch, without the brackets it wraps them in. */
export function refusalMessages(error: unknown): string[] {
  const e = error as { messages?: string[]; Messages?: { Message?: string | string[] }; message?: string };
  if (e.messages && e.messages.length > 0) return e.messages;
  // Route 53 has sent the list in an element the SDK's model does not name; take it where it lands.
  const listed = e.Messages?.Message;
  if (listed) return Array.isArray(listed) ? listed : [listed];
  const message = (e.message ?? "").trim();
  return [message.startsWith("[") && message.endsWith("]") ? message.slice(1, -1) : message];
}

/** A failed call in plain words: what Route 53 (or the network) said, and how often Corral tried. */
export function describeFailure(error: unknown, tries: number): string {
  const e = (error ?? {}) as SdkError;
  const tried = tries > 1 ? ` (${tries} tries)` : "";
  const code = networkCode(error);
  if (e.name === "Throttling" || e.name === "ThrottlingException" || e.name === "TooManyRequestsException") return `Route 53 is limiting Corral's requests: ${e.name}${tried}`;
  if (e.name === "PriorRequestNotComplete") return `Route 53 is still applying an earlier change to the zone${tried}`;
  if (code === "ECONNREFUSED") return `nothing answers at Route 53's endpoint (connection refused)`;
  if (code && TRANSIENT_NETWORK.has(code)) return `the connection to Route 53 dropped (${code})${tried}`;
  if (e.name === "TimeoutError") return `Route 53 did not answer in time${tried}`;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return `Route 53 is unavailable: it answered ${status} ${e.name ?? ""}${tried}`.replace(/ +/g, " ");
  if (e.name === "AccessDenied" || e.name === "AccessDeniedException" || e.name === "InvalidClientTokenId" || e.name === "SignatureDoesNotMatch" || e.name === "UnrecognizedClientException") {
    return `Route 53 refused Corral's credentials: ${e.name}${e.message ? ` (${e.message})` : ""}`;
  }
  return `Route 53 answered ${e.name ?? "an error"}${e.message ? `: ${e.message}` : ""}`;
}

export function problemFrom(error: unknown, tries: number, partial?: ApplyResult): DnsProblem {
  if (error instanceof DnsProblem) return error;
  const name = (error as SdkError | undefined)?.name ?? "";
  const kind = isTransient(error) || networkCode(error) === "ECONNREFUSED" ? "unavailable" : /^NoSuch/.test(name) ? "not-found" : /Access|Token|Signature|Unrecognized/.test(name) ? "refused" : "invalid";
  return new DnsProblem(kind, describeFailure(error, tries), { cause: error, partial });
}

function networkCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return "";
}
