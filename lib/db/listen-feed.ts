import "server-only";
import pg from "pg";
import { config } from "@/lib/config";
import { log } from "@/lib/log";

// Postgres LISTEN on one channel, shared by every subscriber in the process: one connection,
// opened with the first subscriber and closed with the last, reconnected with jittered
// backoff when lost, telling subscribers when they may have missed notices (a gap).

export interface SubscribeOptions {
  /**
   * Called when this subscriber starts hearing notices (LISTEN is active), and again after
   * the feed's connection was lost and restored with `gap` true: notices in between were missed.
   */
  onListening?: (info: { gap: boolean }) => void;
  /** The connection was lost: nothing is heard until onListening. */
  onLost?: () => void;
}

interface Subscriber<T> {
  onNotice: (notice: T) => void;
  options: SubscribeOptions;
  /** Whether onListening has been called since the feed last (re)connected. */
  told: boolean;
  /** Whether the feed lost its connection while this subscriber was waiting on it. */
  gap: boolean;
}

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 30_000;

export class ListenFeed<T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private client: pg.Client | null = null;
  private listening = false;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;

  constructor(
    private readonly channel: string,
    private readonly applicationName: string,
    /** The notice from a payload, or null for one that does not fit (logged and dropped). */
    private readonly parse: (payload: string | undefined) => T | null,
  ) {}

  subscribe(onNotice: (notice: T) => void, options: SubscribeOptions = {}): () => void {
    // Joining while the feed is reconnecting: whatever the caller read meanwhile may be stale.
    const subscriber: Subscriber<T> = { onNotice, options, told: false, gap: this.attempt > 0 };
    this.subscribers.add(subscriber);
    if (this.listening) queueMicrotask(() => this.tell(subscriber));
    else if (!this.client && !this.retry) void this.connect();
    return () => {
      if (!this.subscribers.delete(subscriber)) return;
      if (this.subscribers.size === 0) this.disconnect();
    };
  }

  subscriberCount(): number {
    return this.subscribers.size;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: config().DATABASE_URL, application_name: this.applicationName, keepAlive: true });
    this.client = client;
    // Without an error listener, a dropped connection would crash the process.
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client, null));
    client.on("notification", (message) => {
      if (message.channel === this.channel) this.dispatch(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.client !== client) return; // the last subscriber left while this was connecting
    if (this.attempt > 0) log.info({ channel: this.channel, attempts: this.attempt }, "notification feed reconnected");
    this.attempt = 0;
    this.listening = true;
    for (const subscriber of this.subscribers) this.tell(subscriber);
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return; // already handled, or closed on purpose
    this.client = null;
    for (const subscriber of this.subscribers) {
      if (this.listening || subscriber.told) subscriber.gap = true;
      subscriber.told = false;
      this.safely(() => subscriber.options.onLost?.());
    }
    this.listening = false;
    client.end().catch(() => {});
    if (this.subscribers.size === 0) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    // The error's message and code only: pg's errors can carry connection parameters.
    const reason = err instanceof Error ? { message: err.message, code: (err as { code?: unknown }).code } : { message: "connection ended" };
    log.warn({ channel: this.channel, ...reason, retryInMs: Math.round(delay), attempt: this.attempt }, "notification feed lost its connection");
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.subscribers.size > 0 && !this.client) void this.connect();
    }, delay);
    this.retry.unref?.();
  }

  private disconnect(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.attempt = 0;
    this.listening = false;
    const client = this.client;
    this.client = null;
    client?.end().catch(() => {});
  }

  private tell(subscriber: Subscriber<T>): void {
    if (subscriber.told || !this.listening || !this.subscribers.has(subscriber)) return;
    subscriber.told = true;
    const gap = subscriber.gap;
    subscriber.gap = false;
    this.safely(() => subscriber.options.onListening?.({ gap }));
  }

  private dispatch(payload: string | undefined): void {
    const notice = this.parse(payload);
    if (notice === null && payload) {
      log.warn({ channel: this.channel, length: payload.length }, "notification feed ignored a malformed notice");
      return;
    }
    for (const subscriber of [...this.subscribers]) this.safely(() => subscriber.onNotice(notice as T));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      log.error({ err, channel: this.channel }, "notification feed subscriber failed");
    }
  }
}
