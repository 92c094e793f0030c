import "server-only";
import { createHash, randomBytes } from "node:crypto";

// Session cookies and API tokens are random values shown to their holder once; Postgres keeps
// only their SHA-256, so a database leak reveals no usable credential. A hash (not a slow
// password hash) fits: the values are 256 random bits, not guessable passwords.

export function newSecretToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
