import "server-only";
import { config } from "@/lib/config";
import { sameOrigin } from "./origins";

// Facts about a request that several layers need, read one way, trusting no header a client
// could set unless configuration says a proxy sets it.

/**
 * The client's address. Every hop appends the address it was connected from to
 * X-Forwarded-For (Next.js itself appends the socket's), so with N trusted proxies in front
 * the client is the (N+1)th entry from the right; anything further left is the client's say-so.
 */
export function clientIp(request: Request): string | null {
  const hops = (request.headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return hops.at(-1 - config().CORRAL_TRUSTED_PROXY_HOPS) ?? hops[0] ?? null;
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
