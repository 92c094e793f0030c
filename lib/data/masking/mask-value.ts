import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { FIRST_NAMES, LAST_NAMES } from "./fake-names";
import { sipHash, sipKey, type SipKey } from "./sip-hash";

// The masking of one value, per kind. Every output comes from HMAC-SHA256 keyed by the
// installation's secret over the value alone — never the table or column — so the same e-mail
// masks alike in users.email and orders.customer_email (joins still match), in every run (a
// second copy is stable), and differently in another installation. Each kind has its own HMAC
// tag so one kind's output says nothing about another's.

export type MaskSecret = string | Buffer;

/** The installation's secret, made ready once for the many HMACs of a copy. */
export interface MaskingKey {
  readonly hmacKey: KeyObject;
  /** hash-id's round function (see sip-hash.ts), derived from the secret. */
  readonly sipKey: SipKey;
}

export function maskingKey(secret: MaskSecret): MaskingKey {
  const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  // Without a secret a masked value could be undone by hashing guesses (every e-mail of a domain).
  if (bytes.length === 0) throw new Error("The masking secret is empty.");
  const hmacKey = createSecretKey(bytes);
  return { hmacKey, sipKey: sipKey(createHmac("sha256", hmacKey).update("hash-id round key").digest().subarray(0, 16)) };
}

function hmac(key: MaskingKey, tag: string, input: string | Buffer): Buffer {
  return createHmac("sha256", key.hmacKey).update(tag).update(input).digest();
}

/** Where invalid addresses go: `.invalid` is reserved (RFC 2606), so no mail can ever leave for it. */
export const INVALID_EMAIL_DOMAIN = "masked.invalid";
const DOMAIN = /^[^\s@"<>()[\]\\,;:]+$/u;

/**
 * `u_<16 hex digits>@domain`: the domain kept (lower case), the local part a hash of the whole
 * address read case-insensitively. 64 bits, because e-mail columns are often UNIQUE and a
 * shorter hash would collide in a table of a few million rows (40 bits: likely at one million).
 * Something that is not an address is masked all the same, to `@masked.invalid`; blank stays blank.
 */
export function maskEmail(key: MaskingKey, value: string): string {
  const address = value.trim().toLowerCase();
  if (address === "") return value;
  const at = address.lastIndexOf("@");
  const domain = at > 0 && at < address.length - 1 ? address.slice(at + 1) : "";
  return `u_${hmac(key, "email\u0000", address).toString("hex", 0, 8)}@${DOMAIN.test(domain) ? domain : INVALID_EMAIL_DOMAIN}`;
}

/**
 * A fake name with as many words as the original: one word gives a first name, two or more
 * first names then a last name. Read case-insensitively with spaces collapsed; written in the
 * original's case when that is all upper or all lower case. Not one-to-one (names are not unique).
 */
export function maskName(key: MaskingKey, value: string): string {
  const normalized = value.trim().toLowerCase();
  if (normalized === "") return value;
  const words = normalized.split(/\s+/u);
  const digest = hmac(key, "name\u0000", words.join(" "));
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const list = i > 0 && i === words.length - 1 ? LAST_NAMES : FIRST_NAMES;
    // 16 words use the digest once; a longer "name" (free text in a name column) reuses it shifted.
    const pick = digest.readUInt16BE((2 * i) % 32) + Math.floor(i / 16) * 7919;
    out.push(list[pick % list.length]!);
  }
  const name = out.join(" ");
  if (value === value.toUpperCase() && value !== normalized) return name.toUpperCase();
  if (value === normalized) return name.toLowerCase();
  return name;
}

export interface HashIdOptions {
  /** Only digits change (letters kept): numbers written as text, such as "1.5e+21". */
  digitsOnly?: boolean;
  /** The largest magnitude an integer may take (its column type's maximum). */
  max?: bigint;
}

/**
 * Format-preserving: each ASCII digit becomes a digit, each ASCII letter a letter of the same
 * case, everything else (and the length) is kept, so phone numbers, IBANs and order ids keep
 * their look. One-to-one among values of the same shape (a keyed Feistel permutation, in the
 * spirit of NIST FF1), so a UNIQUE column stays unique; a value whose first character is a
 * non-zero digit (after an optional sign) keeps a non-zero first digit. Not encryption-grade
 * for very short values: it hides, it does not protect a 3-digit secret.
 */
export function maskHashId(key: MaskingKey, value: string, options: HashIdOptions = {}): string {
  const positions: number[] = [];
  const radices: number[] = [];
  const bases: number[] = [];
  let shape = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) add(i, 10, 48, "\u0001");
    else if (options.digitsOnly) shape += value[i];
    else if (c >= 65 && c <= 90) add(i, 26, 65, "\u0002");
    else if (c >= 97 && c <= 122) add(i, 26, 97, "\u0003");
    else shape += value[i];
  }
  if (positions.length === 0) return value;
  const digits = positions.map((p, i) => value.charCodeAt(p) - bases[i]!);

  const signed = value[0] === "-" || value[0] === "+";
  const leadingNonZero = radices[0] === 10 && (positions[0] === 0 || (positions[0] === 1 && signed)) && digits[0] !== 0;
  const wholeInteger = options.max !== undefined && positions.length === value.length - (signed ? 1 : 0) && radices.every((r) => r === 10);
  // A bound below the original would leave no acceptable value in its cycle: never go below it.
  const max = wholeInteger ? bigMax(options.max!, digitsValue(digits)) : undefined;

  // Cycle-walking: permuting again until the result fits keeps the mapping one-to-one on the
  // values that fit, and ends, since the original itself fits.
  for (;;) {
    permute(key, shape, radices, digits);
    if (leadingNonZero && digits[0] === 0) continue;
    if (max !== undefined && digitsValue(digits) > max) continue;
    break;
  }
  const out = value.split("");
  for (let i = 0; i < positions.length; i++) out[positions[i]!] = String.fromCharCode(bases[i]! + digits[i]!);
  return out.join("");

  function add(position: number, radix: number, base: number, marker: string) {
    positions.push(position);
    radices.push(radix);
    bases.push(base);
    shape += marker;
  }
}

/**
 * A number masked with hash-id: as many digits, the sign kept, no leading zero, at most `max`
 * in magnitude (the column type's maximum), and the same JavaScript type back (number, bigint,
 * or string for BIGINT and DECIMAL values read as text).
 */
export function maskHashIdNumber<T extends number | bigint | string>(key: MaskingKey, value: T, max?: bigint): T {
  if (typeof value === "bigint") return BigInt(maskHashId(key, value.toString(), { max })) as T;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return value;
    const text = String(value);
    const masked = Number.isSafeInteger(value) ? maskHashId(key, text, { max }) : maskHashId(key, text, { digitsOnly: true });
    return Number(masked) as T;
  }
  return maskHashId(key, value as string, INTEGER_TEXT.test(value as string) ? { max } : { digitsOnly: true }) as T;
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * Bytes that are not text (a BINARY(16) UUID, a token): the same length, one-to-one, through a
 * Feistel network over the two halves, each round XOR-ing one half with an HMAC of the other.
 */
export function maskBytes(key: MaskingKey, value: Buffer): Buffer {
  const out = Buffer.from(value);
  if (out.length === 0) return out;
  const half = (out.length + 1) >> 1;
  const left = out.subarray(0, half);
  const right = out.subarray(half);
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) xorInto(left, keyStream(key, round, out.length, right, left.length));
    else if (right.length > 0) xorInto(right, keyStream(key, round, out.length, left, right.length));
  }
  return out;
}

// FF1 uses 10 rounds, FF3-1 8; masking needs a good shuffle, not a cipher against chosen inputs.
const ROUNDS = 8;
const NUMBER_LIMIT = 2 ** 52;

function permute(key: MaskingKey, shape: string, radices: number[], digits: number[]): void {
  const split = (digits.length + 1) >> 1;
  let leftSize = 1;
  let rightSize = 1;
  for (let i = 0; i < radices.length; i++) {
    if (i < split) leftSize *= radices[i]!;
    else rightSize *= radices[i]!;
  }
  if (leftSize <= NUMBER_LIMIT && rightSize <= NUMBER_LIMIT) {
    // The shape (classes and kept characters) tweaks every round: "AB-12" and "AB/12" permute apart.
    const shapeBytes = Buffer.from(shape, "utf8");
    sipHash(key.sipKey, shapeBytes, shapeBytes.length, sipOut);
    roundInput.writeUInt32LE(sipOut[1]!, 0);
    roundInput.writeUInt32LE(sipOut[0]!, 4);
    let left = toNumber(digits, radices, 0, split);
    let right = toNumber(digits, radices, split, digits.length);
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) left = (left + roundNumber(key, round, right, leftSize)) % leftSize;
      else if (rightSize > 1) right = (right + roundNumber(key, round, left, rightSize)) % rightSize;
    }
    fromNumber(left, digits, radices, 0, split);
    fromNumber(right, digits, radices, split, digits.length);
    return;
  }
  const tag = `hash-id\u0000${shape}\u0000`;
  const bigLeft = BigInt(leftSize);
  const bigRight = BigInt(rightSize);
  let left = toBigInt(digits, radices, 0, split);
  let right = toBigInt(digits, radices, split, digits.length);
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) left = (left + roundBigInt(key, tag, round, right, bigLeft)) % bigLeft;
    else right = (right + roundBigInt(key, tag, round, left, bigRight)) % bigRight;
  }
  fromBigInt(left, digits, radices, 0, split);
  fromBigInt(right, digits, radices, split, digits.length);
}

// Scratch space of the round function: [shape hash, round, half], 8 bytes each, little-endian.
const roundInput = Buffer.alloc(24);
const sipOut = new Uint32Array(2);

function roundNumber(key: MaskingKey, round: number, half: number, size: number): number {
  roundInput.writeUInt32LE(round, 8);
  roundInput.writeUInt32LE(0, 12);
  roundInput.writeUInt32LE(half >>> 0, 16);
  roundInput.writeUInt32LE(Math.floor(half / 2 ** 32), 20);
  sipHash(key.sipKey, roundInput, 24, sipOut);
  return ((sipOut[0]! & 0x1fffff) * 2 ** 32 + sipOut[1]!) % size;
}

function roundBigInt(key: MaskingKey, tag: string, round: number, half: bigint, size: bigint): bigint {
  return BigInt(`0x${hmac(key, tag, `${round}\u0000${half}`).toString("hex")}`) % size;
}

function toNumber(digits: number[], radices: number[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * radices[i]! + digits[i]!;
  return n;
}

function fromNumber(n: number, digits: number[], radices: number[], from: number, to: number): void {
  for (let i = to - 1; i >= from; i--) {
    digits[i] = n % radices[i]!;
    n = Math.floor(n / radices[i]!);
  }
}

function toBigInt(digits: number[], radices: number[], from: number, to: number): bigint {
  let n = 0n;
  for (let i = from; i < to; i++) n = n * BigInt(radices[i]!) + BigInt(digits[i]!);
  return n;
}

function fromBigInt(n: bigint, digits: number[], radices: number[], from: number, to: number): void {
  for (let i = to - 1; i >= from; i--) {
    const radix = BigInt(radices[i]!);
    digits[i] = Number(n % radix);
    n /= radix;
  }
}

/** The decimal value of a digit array (all radix 10 here). */
function digitsValue(digits: number[]): bigint {
  if (digits.length <= 15) return BigInt(toNumber(digits, TENS, 0, digits.length));
  return BigInt(digits.join(""));
}

const TENS = new Array<number>(15).fill(10);

function bigMax(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function keyStream(key: MaskingKey, round: number, length: number, other: Buffer, size: number): Buffer {
  const first = hmac(key, `bytes\u0000${length}\u0000${round}\u0000`, other);
  if (size <= first.length) return first;
  const blocks = [first];
  for (let i = 1; blocks.length * first.length < size; i++) blocks.push(hmac(key, `bytes-more\u0000${i}\u0000`, first));
  return Buffer.concat(blocks);
}

function xorInto(target: Buffer, stream: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i]! ^= stream[i]!;
}
