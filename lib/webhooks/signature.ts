import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// How a delivery is signed (README, Webhooks): HMAC-SHA256 over `${timestamp}.${body}` with the
// subscription's secret as the key, hex, sent as `Corral-Signature: v1=<hex>` beside
// `Corral-Timestamp` (Unix seconds). The timestamp is inside what is signed, so a receiver that
// refuses old timestamps refuses replays; the version prefix leaves room for a second scheme
// (or two signatures, comma separated, while a secret is rotated).

export const SIGNATURE_VERSION = "v1";
/** How old a timestamp a receiver should accept; the README tells receivers the same. */
export const REPLAY_TOLERANCE_SECONDS = 300;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * Whether a delivery is genuine and fresh: some `v1=` signature in the header matches, and the
 * timestamp is within the tolerance of `now` (either side: clocks drift). For Corral's own tests
 * and for receivers written in TypeScript; the README has the same in a few lines of Node.
 */
export function verifySignature(input: { secret: string; timestamp: string | null; signature: string | null; body: string; nowSeconds?: number }): boolean {
  const { secret, body } = input;
  if (!input.timestamp || !input.signature || !/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > REPLAY_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  return input.signature.split(",").some((part) => {
    const given = Buffer.from(part.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
