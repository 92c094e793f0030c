const FALLBACK = "/environments";
const BASE = "http://corral.invalid";
// A path that a browser (or a proxy decoding it once) reads as "another host": `//host`, `/\host`.
const HOST_RELATIVE = /^[/\\][/\\]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A path on this site to send someone back to after signing in, or the environments page.
 * Decided on the normalised URL, not the text: "/.//evil.example" and "/..//evil.example"
 * normalise to "//evil.example", which a browser reads as another host. Only a same-origin
 * path, query and fragment survive, and never one whose path (as sent, or decoded once)
 * starts with two slashes or a backslash.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || CONTROL.test(value) || value.includes("\\")) return FALLBACK;
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return FALLBACK;
    const decoded = decodeOnce(url.pathname);
    if (HOST_RELATIVE.test(url.pathname) || HOST_RELATIVE.test(decoded) || CONTROL.test(decoded)) return FALLBACK;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return FALLBACK;
  }
}

/** The absolute URL on `origin` to send someone back to: never another origin, whatever `value` is. */
export function returnUrl(value: string | null | undefined, origin: string): URL {
  const url = new URL(safeReturnTo(value), origin);
  return url.origin === new URL(origin).origin ? url : new URL(FALLBACK, origin);
}

function decodeOnce(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return "\u0000";
  }
}
