// The browser's one way to follow a server-sent event stream. EventSource reconnects by
// itself after a dropped connection (sending Last-Event-ID), but gives up for good on an HTTP
// error or a response that is not an event stream (a proxy's 502 during a deploy): then a new
// one is opened, with backoff, from `url()` (which may carry a resume point). An event named
// in `endOn` ends it for good, as the server means it to.

const REOPEN_BASE_MS = 1_000;
const REOPEN_MAX_MS = 30_000;

export interface FollowOptions {
  /** Where to connect; called again for every new EventSource. */
  url: () => string;
  /** Handlers by event name. */
  on: Record<string, (event: MessageEvent<string>) => void>;
  /** Events after which the stream is over: no reconnect. */
  endOn?: string[];
  /** Connected; `after` is true when it had been interrupted (what was missed may need a refetch). */
  onOpen?: (info: { after: boolean }) => void;
  /** The connection dropped; a new one is on its way. */
  onInterrupted?: () => void;
  onEnd?: (event: string) => void;
}

/** Follows a stream until the returned function is called or an `endOn` event arrives. */
export function followEventStream(options: FollowOptions): () => void {
  let source: EventSource | null = null;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let interrupted = false;
  let over = false;

  const open = () => {
    const current = new EventSource(options.url());
    source = current;
    for (const [name, handler] of Object.entries(options.on)) current.addEventListener(name, handler as (e: Event) => void);
    for (const name of options.endOn ?? []) {
      current.addEventListener(name, () => {
        over = true;
        current.close();
        clearTimeout(reopen);
        options.onEnd?.(name);
      });
    }
    current.addEventListener("open", () => {
      failures = 0;
      options.onOpen?.({ after: interrupted });
      interrupted = false;
    });
    current.addEventListener("error", () => {
      if (over) return;
      if (!interrupted) options.onInterrupted?.();
      interrupted = true;
      if (current.readyState !== EventSource.CLOSED) return; // EventSource retries by itself
      current.close();
      reopen = setTimeout(open, Math.min(REOPEN_MAX_MS, REOPEN_BASE_MS * 2 ** failures++));
    });
  };

  open();
  return () => {
    over = true;
    clearTimeout(reopen);
    source?.close();
  };
}
