import "server-only";
import { watchAuthorization } from "@/lib/http/watch-authorization";
import { advance, type Cursor, encodeCursor } from "./cursor";
import { timeKey } from "./log-line";
import { safeLogText } from "./terminal-text";
import type { OpenLogs } from "./open-logs";

const KEEP_ALIVE_MS = 15_000;

/**
 * Server-sent events for the log viewer: `lines` events carrying batches of [source, time,
 * text], each with the cursor after it as its id (EventSource sends it back as Last-Event-ID
 * when it reconnects), `problem` events for sources that cannot be read, `end` when every
 * source has ended. Pull-based, so a slow browser slows the reading, and cancelling (the
 * browser went away) aborts every upstream request.
 */
export function logEventStream(logs: OpenLogs, cursor: Cursor, signal: AbortSignal, stillAllowed: () => Promise<boolean>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let stopAuthorization = () => {};
  let done = false;
  const stop = () => {
    done = true;
    clearInterval(keepAlive);
    stopAuthorization();
    logs.close();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // The browser may have gone while the upstream streams were being opened.
      if (signal.aborted) {
        stop();
        controller.close();
        return;
      }
      signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      });
      const head = [`: connected\n\n`, `event: sources\ndata: ${JSON.stringify({ sources: logs.sources })}\n\n`];
      const offSources = logs.onSourcesChanged((sources) => {
        if (!done) controller.enqueue(encoder.encode(`event: sources\ndata: ${JSON.stringify({ sources })}\n\n`));
      });
      signal.addEventListener("abort", offSources);
      for (const p of logs.problems) head.push(`event: problem\ndata: ${JSON.stringify(p)}\n\n`);
      controller.enqueue(encoder.encode(head.join("")));
      keepAlive = setInterval(() => {
        if (!done) controller.enqueue(encoder.encode(": keep-alive\n\n"));
      }, KEEP_ALIVE_MS);
      // Signed out or revoked meanwhile: the stream ends ("end" stops the browser reconnecting).
      stopAuthorization = watchAuthorization(stillAllowed, () => {
        if (done) return;
        controller.enqueue(encoder.encode(`event: end\ndata: ${JSON.stringify({ reason: "unauthorized" })}\n\n`));
        stop();
        controller.close();
      });
    },
    async pull(controller) {
      const batch = await logs.merger.next();
      if (done) return;
      if (!batch) {
        stop();
        controller.enqueue(encoder.encode("event: end\ndata: {}\n\n"));
        controller.close();
        return;
      }
      for (const line of batch) advance(cursor, line.source, line.time);
      const data = JSON.stringify({ lines: batch.map((l) => [l.source, l.time, l.text]) });
      controller.enqueue(encoder.encode(`id: ${encodeCursor(cursor)}\nevent: lines\ndata: ${data}\n\n`));
    },
    cancel: stop,
  });
}

/**
 * Plain text for a download: "<time> [pod/container] text" per line, up to `until`. Unless
 * `raw`, escape sequences other than colours are removed and bidi controls shown, since the
 * file may well be read in a terminal.
 */
export function logTextStream(logs: OpenLogs, until: string | undefined, signal: AbortSignal, raw = false): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const limit = until ? timeKey(until) : null;
  const tagged = logs.sources.length > 1;
  if (signal.aborted) logs.close();
  signal.addEventListener("abort", () => logs.close());
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const batch = await logs.merger.next();
      if (!batch) {
        controller.close();
        return;
      }
      const text = batch
        .filter((l) => limit === null || timeKey(l.time) <= limit)
        .map((l) => `${l.time} ${tagged ? `[${l.source}] ` : ""}${raw ? l.text : safeLogText(l.text)}\n`)
        .join("");
      if (text) controller.enqueue(encoder.encode(text));
    },
    cancel: () => logs.close(),
  });
}
