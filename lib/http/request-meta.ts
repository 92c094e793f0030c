// Facts about a request that several layers need, read one way.

/** The client's address as the nearest proxy reports it. */
export function clientIp(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-for");
  if (forwarded) return forwarded.split(",")[0]?.trim() || null;
  return request.headers.get("x-real-ip");
}

/** Where browsers reach Corral: CORRAL_BASE_URL, else the origin this request came to. */
export function publicOrigin(request: Request): string {
  const configured = process.env.CORRAL_BASE_URL;
  if (configured) return new URL(configured).origin;
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const proto = request.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}

/**
 * A cookie-authenticated change must come from Corral's own pages. Browsers send Origin on
 * every POST/PUT/PATCH/DELETE; a request without it is not from a browser page and must use
 * a token instead.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin) return origin === publicOrigin(request);
  return request.headers.get("sec-fetch-site") === "same-origin";
}

export function isSecure(request: Request): boolean {
  return publicOrigin(request).startsWith("https://");
}
