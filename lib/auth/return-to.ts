const FALLBACK = "/environments";
const BASE = "http://corral.invalid";

/**
 * A path on this site to send someone back to after signing in, or the environments page.
 * Parsed as a URL (browsers drop tabs and new lines, so "/\t/evil.example" is really
 * "//evil.example"), and only a same-origin path, query and fragment survive.
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return FALLBACK;
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return FALLBACK;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return FALLBACK;
  }
}
