// The keys a verification compares, chosen while the copy runs in bounded memory: the `size`
// keys whose name hashes lowest (a bottom-k sample). It is spread over the whole keyspace and the
// same for the same keys, so a rerun checks the same keys and a test does not depend on chance.

export interface SampledKey {
  source: Buffer;
  target: Buffer;
  masked: boolean;
  /** The source had a TTL on the key when it was copied. */
  hadTtl: boolean;
}

export class KeySample {
  private entries: { rank: number; key: SampledKey }[] = [];
  private seen = new Set<string>();
  /** Ranks at or above this cannot enter (the sample is full of lower ones). */
  private ceiling = Infinity;
  constructor(readonly size: number) {}

  /** Whether a key would be kept: checked before the copy reads anything more about it. */
  wants(source: Buffer): boolean {
    return this.size > 0 && rankOf(source) < this.ceiling;
  }

  offer(key: SampledKey): void {
    if (this.size <= 0) return;
    const rank = rankOf(key.source);
    if (rank >= this.ceiling) return;
    const id = key.source.toString("base64");
    // SCAN may return a key twice; the second sighting replaces nothing.
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.entries.push({ rank, key });
    if (this.entries.length >= this.size * 2) this.trim();
  }

  keys(): SampledKey[] {
    this.trim();
    return this.entries.map((e) => e.key);
  }

  private trim(): void {
    this.entries.sort((a, b) => a.rank - b.rank);
    for (const dropped of this.entries.splice(this.size)) this.seen.delete(dropped.key.source.toString("base64"));
    if (this.entries.length >= this.size) this.ceiling = this.entries[this.entries.length - 1]!.rank;
  }
}

/** FNV-1a, 32 bits: cheap enough to run on every key of a million-key copy. */
export function rankOf(key: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
