import "server-only";
import { config } from "@/lib/config";
import { sameOrigin } from "./origins";

// Facts about a request that several layers need, read one way, trusting no header a client
// could set unless configuration says a proxy sets it.

/**
 * The client's address. With no trusted proxy in front (CORRAL_TRUSTED_PROXY_HOPS=0) it is the
 * connection's own address, and X-Forwarded-For is the client's say-so, ignored. With N
 * trusted proxies, each appends the address it was connected from, so the Nth entry from the
 * right is the address the outermost trusted proxy saw; anything further left is the client's.
 */
export function clientIp(request: Request): string | null {
  const trusted = config().CORRAL_TRUSTED_PROXY_HOPS;
  if (trusted === 0) return peerAddress(request);
  const forwarded = (request.headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  // Fewer entries than trusted proxies: the request did not come through them; only the connection can be believed.
  return forwarded.length >= trusted ? (forwarded.at(-trusted) ?? null) : peerAddress(request);
}

/**
 * The connection's address, as scripts/serve.mjs (which overwrites the header on every
 * request) passes it in. Under a server that does not, the header is not believed: null.
 */
export function peerAddress(request: Request): string | null {
  const header = (globalThis as Record<symbol, unknown>)[Symbol.for("corral.peerHeader")];
  if (typeof header !== "string") return null;
  const address = request.headers.get(header);
  if (!address) return null;
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** Where browsers reach Corral: CORRAL_BASE_URL, else the address this request came to. */
export function publicOrigin(request: Request): string {
  const configured = config().CORRAL_BASE_URL;
  return configured ? new URL(configured).origin : new URL(request.url).origin;
}

/**
 * A cookie-authenticated change must come from Corral's own pages. Browsers send Origin on
 * every POST/PUT/PATCH/DELETE; a request without it is not from a browser page and must use
 * a token instead.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin) return sameOrigin(origin, publicOrigin(request));
  return request.headers.get("sec-fetch-site") === "same-origin";
}

/** Cookies are Secure whenever Corral is served over https. */
export function isSecure(): boolean {
  return (config().CORRAL_BASE_URL ?? "").startsWith("https://");
}
