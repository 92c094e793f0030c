import "server-only";

// A cache a process may trust only while it hears about changes: emptied by every change
// notice, emptied and switched off while the notification feed is down, and never keeping an
// answer loaded across a change (a generation counter). The list's pages and the
// credentials use it, each with its own feed.

export interface FeedHandlers {
  onChange: () => void;
  onListening: () => void;
  onLost: () => void;
}

export class FeedCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();
  private listening = false;
  private subscribed = false;
  private generation = 0;

  constructor(
    private readonly subscribe: (handlers: FeedHandlers) => void,
    private readonly maxEntries: number,
  ) {}

  /** Forgets everything now (this process's own change, before its notice comes back). */
  clear(): void {
    this.entries.clear();
    this.generation++;
  }

  /** The kept answer for `key` if younger than `ttlMs`, or `load`'s (kept unless null or a change came meanwhile). */
  async get(key: string, ttlMs: number, load: () => Promise<T | null>): Promise<T | null> {
    this.ensureSubscribed();
    const hit = this.entries.get(key);
    if (hit && this.listening && Date.now() - hit.at < ttlMs) return hit.value;
    const generation = this.generation;
    const value = await load();
    if (value !== null && this.listening && this.generation === generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, at: Date.now() });
    }
    return value;
  }

  private ensureSubscribed() {
    if (this.subscribed) return;
    this.subscribed = true;
    this.subscribe({
      onChange: () => this.clear(),
      onListening: () => {
        // Whatever changed while the feed was down went unheard.
        this.clear();
        this.listening = true;
      },
      onLost: () => {
        this.listening = false;
        this.clear();
      },
    });
  }
}
