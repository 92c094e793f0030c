import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Secrets at rest (data sources' passwords and keys, environments' store passwords): AES-256-GCM
// with a random 96-bit nonce per value, and the key's id in the ciphertext so that keys can be
// rotated: CORRAL_SECRET_KEYS lists `id:base64key` pairs, the first encrypts, all decrypt.
// Rotation: put a new key first, run `npm run secrets:rotate` (re-encrypts every value with it),
// then drop the old key. The value's purpose is bound in as associated data, so a ciphertext
// copied from one column to another does not decrypt.
//
// node:crypto's GCM is the well-kept primitive; what a library would add (a format, key ids) is
// these forty lines.

const VERSION = "v1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface SecretKey {
  id: string;
  key: Buffer;
}

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretKeyError";
  }
}

/** Parses CORRAL_SECRET_KEYS: `id:base64` pairs separated by commas, each key 32 bytes. */
export function parseSecretKeys(value: string | undefined): SecretKey[] {
  if (!value?.trim()) return [];
  const keys = value.split(",").map((pair, i) => {
    const at = pair.indexOf(":");
    const id = pair.slice(0, at).trim();
    const key = Buffer.from(pair.slice(at + 1).trim(), "base64");
    if (at < 1 || !KEY_ID.test(id)) throw new SecretKeyError(`key ${i + 1} must be written id:base64 (an id of letters, digits, - or _)`);
    if (key.length !== 32) throw new SecretKeyError(`key "${id}" must be 32 bytes in base64 (openssl rand -base64 32), not ${key.length}`);
    return { id, key };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new SecretKeyError("key ids must differ");
  return keys;
}

export function generateSecretKey(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString("base64")}`;
}

export class SecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: SecretKey[]) {
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** Encrypts `plaintext` for `purpose` (e.g. "data-source:<id>"), with the first key. */
  seal(plaintext: string, purpose: string): string {
    const current = this.keys[0];
    if (!current) throw new SecretKeyError("CORRAL_SECRET_KEYS is not set, so Corral cannot store credentials: set it (see the README's Secrets section)");
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", current.key, iv);
    cipher.setAAD(Buffer.from(purpose, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, current.id, iv.toString("base64"), cipher.getAuthTag().toString("base64"), body.toString("base64")].join(":");
  }

  open(sealed: string, purpose: string): string {
    const [version, id, iv, tag, body] = sealed.split(":");
    if (version !== VERSION || !id || !iv || !tag || body === undefined) throw new SecretKeyError("a stored secret is not in Corral's format");
    const key = this.byId.get(id);
    if (!key) throw new SecretKeyError(`a stored secret was sealed with key "${id}", which CORRAL_SECRET_KEYS no longer lists`);
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAAD(Buffer.from(purpose, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretKeyError(`a stored secret does not decrypt with key "${id}": the key changed, or the value was moved or altered`);
    }
  }

  /** Whether `sealed` was sealed with an older key than the first (rotation). */
  isStale(sealed: string): boolean {
    return sealed.split(":")[1] !== this.keys[0]?.id;
  }
}
