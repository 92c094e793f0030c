import "server-only";
import { watchAuthorization } from "./watch-authorization";

// Server-sent events, written once for every stream Corral serves: framing, a keep-alive
// comment (proxies drop a connection that stays silent), the reader's authorization checked
// while it stays open, and everything stopped when the reader leaves, the stream ends or the
// reader may no longer read. Push (`start`) and pull (`pull`, for backpressure) both fit.

const KEEP_ALIVE_MS = 15_000;

export interface SseEvent {
  event?: string;
  id?: string;
  data?: unknown;
  comment?: string;
}

export interface SseChannel {
  send(event: SseEvent): void;
  /** Ends the stream (after whatever was sent). */
  close(): void;
  readonly closed: boolean;
}

export interface SseSource {
  /** Called once; may send at once and later. Returns what stops it. */
  start?(channel: SseChannel): (() => void) | void;
  /** Called when the reader wants more: send one batch, or close. */
  pull?(channel: SseChannel): Promise<void>;
  /** Sent when the reader's session or token no longer allows reading, before the stream ends. */
  unauthorized: SseEvent;
}

export function sseFrame(e: SseEvent): string {
  let out = "";
  if (e.comment !== undefined) out += `: ${e.comment}\n`;
  if (e.id !== undefined) out += `id: ${e.id}\n`;
  if (e.event !== undefined) out += `event: ${e.event}\n`;
  if (e.data !== undefined) out += `data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n`;
  return `${out}\n`;
}

export function eventStream(signal: AbortSignal, stillAllowed: () => Promise<boolean>, source: SseSource): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let stops: (() => void)[] = [];
  let closed = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;
  const stopAll = () => {
    const now = stops;
    stops = [];
    for (const stop of now) stop();
  };
  const channel: SseChannel = {
    send(e) {
      if (closed || !controllerRef) return;
      try {
        controllerRef.enqueue(encoder.encode(sseFrame(e)));
      } catch {
        channel.close(); // the reader is gone
      }
    },
    close() {
      if (closed) return;
      closed = true;
      stopAll();
      try {
        controllerRef?.close();
      } catch {
        // already closed or cancelled
      }
    },
    get closed() {
      return closed;
    },
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controllerRef = controller;
      const onAbort = () => channel.close();
      signal.addEventListener("abort", onAbort, { once: true });
      stops.push(() => signal.removeEventListener("abort", onAbort));
      const timer = setInterval(() => channel.send({ comment: "keep-alive" }), KEEP_ALIVE_MS);
      stops.push(() => clearInterval(timer));
      stops.push(
        watchAuthorization(stillAllowed, () => {
          channel.send(source.unauthorized);
          channel.close();
        }),
      );
      const stop = source.start?.(channel);
      if (stop) stops.push(stop);
      // The reader may have left while the stream was being opened: stop what was started.
      if (signal.aborted) channel.close();
    },
    async pull() {
      if (!closed && source.pull) await source.pull(channel);
    },
    cancel() {
      closed = true;
      stopAll();
    },
  });
}

/** The response for an event stream, with the headers that keep proxies from buffering it. */
export function eventStreamResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" } });
}
