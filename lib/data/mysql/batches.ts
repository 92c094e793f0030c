// How big one multi-row INSERT or one LOAD DATA chunk may be. Bigger statements mean fewer round
// trips and less parsing per row, up to a few MB; past that the gain is nil and the memory held per
// table grows. A single row larger than the target batch still goes alone, as long as its
// statement fits the server's max_allowed_packet.

/** Room left in a packet for the statement's text around the rows. */
const PACKET_MARGIN = 16 * 1024;
const TARGET_BATCH = 4 * 1024 * 1024;

export interface BatchLimits {
  /** Send the batch once it reaches this many bytes. */
  target: number;
  /** No statement may be larger than this (max_allowed_packet less a margin). */
  limit: number;
}

export function batchLimits(maxAllowedPacket: number): BatchLimits {
  const limit = Math.max(1024, maxAllowedPacket - PACKET_MARGIN);
  return { limit, target: Math.min(TARGET_BATCH, Math.max(1024, Math.floor(limit / 2))) };
}

/**
 * Groups encoded rows into statements: `add` answers whether the batch must be sent before this
 * row, and throws when the row alone cannot fit in a statement.
 */
export class RowBatch {
  private parts: string[] = [];
  private bytes = 0;

  constructor(
    private readonly limits: BatchLimits,
    private readonly overhead: number,
  ) {}

  get size(): number {
    return this.parts.length;
  }

  get byteLength(): number {
    return this.bytes;
  }

  /** Whether `rowBytes` more would go over the batch's size (send first, then add). */
  wouldOverflow(rowBytes: number): boolean {
    return this.parts.length > 0 && this.overhead + this.bytes + rowBytes + 1 > this.limits.target;
  }

  /** Whether a row of `rowBytes` can be sent at all. */
  fits(rowBytes: number): boolean {
    return this.overhead + rowBytes <= this.limits.limit;
  }

  add(encoded: string, rowBytes: number): void {
    this.parts.push(encoded);
    this.bytes += rowBytes + 1;
  }

  take(separator: string): string {
    const text = this.parts.join(separator);
    this.parts = [];
    this.bytes = 0;
    return text;
  }
}
