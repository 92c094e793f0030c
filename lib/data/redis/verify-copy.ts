import type { Redis } from "ioredis";
import type { Verification, VerificationItem } from "../types";
import { digestKey } from "./digest";
import { keyName } from "./keys";
import type { SampledKey } from "./sample";

// What a copy checks once it is done. Counts: the keys the copy wrote against the keys in the
// target (the source is not counted again: a production source keeps changing, and keys it adds
// after the copy are no fault of the copy); keys with a TTL that ran out since they were written
// may be missing from the target, up to the number that did. Values: a sample of keys, each read
// on both sides and compared by a digest of its logical value (see digest.ts), and whether the
// key has a TTL on both sides. Masked keys differ by design: their digests are not compared.

const CONCURRENCY = 16;
const DAY_MS = 86_400_000;

/** When written keys expire, by the second, to tell how many may be gone from the target by now. */
export class ExpiryTally {
  private bySecond = new Map<number, number>();
  private started = Date.now();
  add(expiresAtMs: number): void {
    // Keys living more than a day past the copy's start cannot expire before it is verified.
    if (expiresAtMs - this.started > DAY_MS) return;
    const s = Math.ceil(expiresAtMs / 1000);
    this.bySecond.set(s, (this.bySecond.get(s) ?? 0) + 1);
  }
  expiredBy(nowMs: number): number {
    let n = 0;
    const now = Math.ceil(nowMs / 1000) + 1;
    for (const [s, count] of this.bySecond) if (s <= now) n += count;
    return n;
  }
}

export interface VerifyInput {
  source: Redis;
  target: Redis;
  keysCopied: number;
  keysSkipped: number;
  expiries: ExpiryTally;
  countTarget: () => Promise<number>;
  sample: SampledKey[];
  signal?: AbortSignal;
}

export async function verifyCopy(v: VerifyInput): Promise<Verification> {
  const items: VerificationItem[] = [];
  const mismatches: string[] = [];

  const inTarget = await v.countTarget();
  const mayHaveExpired = v.expiries.expiredBy(Date.now());
  const countOk = inTarget <= v.keysCopied && inTarget >= v.keysCopied - mayHaveExpired;
  items.push({ name: "keys", measure: "count", source: String(v.keysCopied), target: String(inTarget), match: countOk });
  if (!countOk) {
    const expired = mayHaveExpired > 0 ? ` (${fmt(mayHaveExpired)} of them with a TTL that has run out since)` : "";
    mismatches.push(`keys: ${fmt(v.keysCopied)} copied from the source${expired}, ${fmt(inTarget)} in the copy`);
  }
  if (v.keysSkipped > 0) items.push({ name: "keys gone from the source before they were read", measure: "count", source: String(v.keysSkipped), target: "0", match: true });

  let withTtl = 0;
  let ttlKept = 0;
  const queue = [...v.sample];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      v.signal?.throwIfAborted();
      const name = keyName(s.source);
      const targetTtl = await v.target.pttl(s.target);
      if (s.hadTtl) {
        withTtl++;
        // -2: gone from the target because its TTL ran out, which keeping the TTL allows.
        if (targetTtl >= 0 || targetTtl === -2) ttlKept++;
        else mismatches.push(`key "${name}": the source has a TTL, the copy has none`);
      } else if (targetTtl >= 0) {
        mismatches.push(`key "${name}": the copy has a TTL, the source has none`);
      }
      if (s.masked) {
        items.push({ name, measure: "digest", source: "masked", target: "masked", match: true });
        continue;
      }
      const [a, b] = await Promise.all([digestKey(v.source, s.source), digestKey(v.target, s.target)]);
      // Gone from both sides (a TTL ran out): nothing left to compare.
      if (!a && !b) continue;
      const match = !!a && !!b && a.digest === b.digest;
      items.push({ name, measure: "digest", source: a ? a.digest : "missing", target: b ? b.digest : "missing", match });
      if (!match) mismatches.push(`key "${name}": ${describeDifference(a, b)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  if (withTtl > 0) items.push({ name: "sampled keys with a TTL", measure: "count", source: String(withTtl), target: String(ttlKept), match: withTtl === ttlKept });
  return { ok: mismatches.length === 0, items, mismatches };
}

function describeDifference(a: { type: string; digest: string } | null, b: { type: string; digest: string } | null): string {
  if (!a) return "in the copy but no longer in the source";
  if (!b) return "in the source but missing from the copy";
  if (a.type !== b.type) return `a ${a.type} in the source, a ${b.type} in the copy`;
  const [, sourceSize] = a.digest.split(":");
  const [, targetSize] = b.digest.split(":");
  if (sourceSize !== targetSize) return `the ${a.type} has ${sourceSize} in the source and ${targetSize} in the copy (elements or bytes)`;
  return `the ${a.type}'s value differs between the source and the copy`;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
