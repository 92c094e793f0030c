// Whether a browser's Origin is Corral's own. Pure, so it is tested alone.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The same origin, where loopback names count as one: the quick start prints 127.0.0.1, and a
 * person who types localhost is on the same machine and the same server.
 */
export function sameOrigin(origin: string, expected: string): boolean {
  if (origin === expected) return true;
  try {
    const a = new URL(origin);
    const b = new URL(expected);
    return a.protocol === b.protocol && a.port === b.port && LOOPBACK.has(a.hostname) && LOOPBACK.has(b.hostname);
  } catch {
    return false;
  }
}
