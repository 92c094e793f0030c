import type { LogLine } from "./log-line";

// Several containers' log streams merged into batches for one reader, with backpressure: when
// the reader falls behind, producers wait, which stops them reading from Kubernetes, which
// slows the API server's sending. Nothing piles up in memory. No library does this merge
// (stream combiners either drop backpressure or order strictly), so it is written here.

const BATCH_LINES = 1_000;
// Only while the reader is busy do lines wait to be grouped; a waiting reader gets each
// upstream chunk at once (see endOfChunk), so this adds no latency at ordinary rates.
const BATCH_MS = 10;
const MAX_QUEUED_BATCHES = 16;

export class LineMerger {
  private current: LogLine[] = [];
  private queue: LogLine[][] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private spaceWaiters: (() => void)[] = [];
  private reader: (() => void) | undefined;
  private open = 0;
  private closed = false;

  /** A producer (one container's stream) starts; the merge ends when every producer has ended. */
  addProducer(): () => void {
    this.open++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.open--;
      if (this.open === 0) this.finish();
    };
  }

  add(line: LogLine): void {
    if (this.closed) return;
    this.current.push(line);
    if (this.current.length >= BATCH_LINES) this.seal();
    else this.timer ??= setTimeout(() => this.seal(), BATCH_MS);
  }

  /** A producer finished a chunk: hand it over now if the reader is waiting for lines. */
  endOfChunk(): void {
    if (this.reader && this.current.length > 0) this.seal();
  }

  /** Resolves when the reader has room again; producers await it before taking more input. */
  room(): Promise<void> {
    if (this.closed || this.queue.length < MAX_QUEUED_BATCHES) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** The next batch, or null when every producer has ended and everything was read. */
  async next(): Promise<LogLine[] | null> {
    for (;;) {
      const batch = this.queue.shift();
      if (batch) {
        this.wakeProducers();
        return batch;
      }
      if (this.closed) return null;
      await new Promise<void>((resolve) => (this.reader = resolve));
    }
  }

  /** The reader went away: drop everything and release waiting producers. */
  close(): void {
    this.closed = true;
    this.current = [];
    this.queue = [];
    clearTimeout(this.timer);
    this.wakeProducers();
    this.reader?.();
  }

  private finish(): void {
    this.seal();
    this.closed = true;
    this.reader?.();
  }

  private seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.current.length === 0) return;
    this.queue.push(this.current);
    this.current = [];
    const reader = this.reader;
    this.reader = undefined;
    reader?.();
  }

  private wakeProducers(): void {
    if (!this.closed && this.queue.length >= MAX_QUEUED_BATCHES) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
  }
}
