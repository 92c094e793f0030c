// SipHash-2-4 (Aumasson & Bernstein), a keyed PRF for short inputs, in 32-bit halves so it needs
// no BigInt. hash-id's Feistel rounds call it: eight rounds of HMAC-SHA256 through node:crypto
// cost ~25 µs a value (one native call and allocation each), SipHash under 1 µs, and a column of
// phone numbers runs on every row of a copy. Its key comes from the installation secret by HMAC.

// The state lives in a typed array: numbers above 2^30 kept in module variables are boxed, one
// allocation per write. Order: v0 high, v0 low, v1 high, … v3 low.
const state = new Uint32Array(8);

/** The two 64-bit words of a key, as [k0 high, k0 low, k1 high, k1 low]. */
export type SipKey = readonly [number, number, number, number];

/** A 16-byte key, read little-endian as SipHash does. */
export function sipKey(key: Buffer): SipKey {
  if (key.length !== 16) throw new Error("A SipHash key is 16 bytes.");
  return [key.readUInt32LE(4), key.readUInt32LE(0), key.readUInt32LE(12), key.readUInt32LE(8)];
}

/** The 64-bit hash of `data[0, length)`: the high half in `out[0]`, the low in `out[1]`. */
export function sipHash(key: SipKey, data: Buffer, length: number, out: Uint32Array): void {
  const [k0h, k0l, k1h, k1l] = key;
  state[0] = k0h ^ 0x736f6d65;
  state[1] = k0l ^ 0x70736575;
  state[2] = k1h ^ 0x646f7261;
  state[3] = k1l ^ 0x6e646f6d;
  state[4] = k0h ^ 0x6c796765;
  state[5] = k0l ^ 0x6e657261;
  state[6] = k1h ^ 0x74656462;
  state[7] = k1l ^ 0x79746573;
  const whole = length - (length % 8);
  for (let i = 0; i < whole; i += 8) compress(data.readUInt32LE(i + 4), data.readUInt32LE(i));
  // The last block: the remaining bytes, and the length's low byte at the top.
  let mh = (length & 0xff) << 24;
  let ml = 0;
  for (let i = whole; i < length; i++) {
    const shift = (i - whole) * 8;
    if (shift < 32) ml |= data[i]! << shift;
    else mh |= data[i]! << (shift - 32);
  }
  compress(mh >>> 0, ml >>> 0);
  state[5] = state[5]! ^ 0xff;
  rounds(4);
  out[0] = state[0]! ^ state[2]! ^ state[4]! ^ state[6]!;
  out[1] = state[1]! ^ state[3]! ^ state[5]! ^ state[7]!;
}

function compress(mh: number, ml: number): void {
  state[6] = state[6]! ^ mh;
  state[7] = state[7]! ^ ml;
  rounds(2);
  state[0] = state[0]! ^ mh;
  state[1] = state[1]! ^ ml;
}

function rounds(count: number): void {
  let v0h = state[0]!, v0l = state[1]!, v1h = state[2]!, v1l = state[3]!, v2h = state[4]!, v2l = state[5]!, v3h = state[6]!, v3l = state[7]!;
  let h: number, l: number;
  for (let r = 0; r < count; r++) {
    // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
    l = (v0l + v1l) >>> 0;
    v0h = (v0h + v1h + (l < v0l ? 1 : 0)) >>> 0;
    v0l = l;
    h = ((v1h << 13) | (v1l >>> 19)) >>> 0;
    l = ((v1l << 13) | (v1h >>> 19)) >>> 0;
    v1h = (h ^ v0h) >>> 0;
    v1l = (l ^ v0l) >>> 0;
    h = v0h;
    v0h = v0l;
    v0l = h;
    // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
    l = (v2l + v3l) >>> 0;
    v2h = (v2h + v3h + (l < v2l ? 1 : 0)) >>> 0;
    v2l = l;
    h = ((v3h << 16) | (v3l >>> 16)) >>> 0;
    l = ((v3l << 16) | (v3h >>> 16)) >>> 0;
    v3h = (h ^ v2h) >>> 0;
    v3l = (l ^ v2l) >>> 0;
    // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
    l = (v0l + v3l) >>> 0;
    v0h = (v0h + v3h + (l < v0l ? 1 : 0)) >>> 0;
    v0l = l;
    h = ((v3h << 21) | (v3l >>> 11)) >>> 0;
    l = ((v3l << 21) | (v3h >>> 11)) >>> 0;
    v3h = (h ^ v0h) >>> 0;
    v3l = (l ^ v0l) >>> 0;
    // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
    l = (v2l + v1l) >>> 0;
    v2h = (v2h + v1h + (l < v2l ? 1 : 0)) >>> 0;
    v2l = l;
    h = ((v1h << 17) | (v1l >>> 15)) >>> 0;
    l = ((v1l << 17) | (v1h >>> 15)) >>> 0;
    v1h = (h ^ v2h) >>> 0;
    v1l = (l ^ v2l) >>> 0;
    h = v2h;
    v2h = v2l;
    v2l = h;
  }
  state[0] = v0h;
  state[1] = v0l;
  state[2] = v1h;
  state[3] = v1l;
  state[4] = v2h;
  state[5] = v2l;
  state[6] = v3h;
  state[7] = v3l;
}
