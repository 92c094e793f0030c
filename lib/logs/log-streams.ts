import "server-only";
import { eventStream } from "@/lib/http/sse";
import { advance, type Cursor, encodeCursor } from "./cursor";
import { timeKey } from "./log-line";
import { safeLogText } from "./terminal-text";
import type { OpenLogs } from "./open-logs";


/**
 * Server-sent events for the log viewer: `lines` events carrying batches of [source, time,
 * text], each with the cursor after it as its id (EventSource sends it back as Last-Event-ID
 * when it reconnects), `sources` when a pod joins, `problem` events for sources that cannot
 * be read, `end` when every source has ended. Pull-based, so a slow browser slows the
 * reading, and the end of the stream (the browser went away) aborts every upstream request.
 */
export function logEventStream(logs: OpenLogs, cursor: Cursor, signal: AbortSignal, stillAllowed: () => Promise<boolean>): ReadableStream<Uint8Array> {
  return eventStream(signal, stillAllowed, {
    // "end" stops the browser reconnecting.
    unauthorized: { event: "end", data: { reason: "unauthorized" } },
    start(channel) {
      channel.send({ comment: "connected" });
      channel.send({ event: "sources", data: { sources: logs.sources } });
      for (const p of logs.problems) channel.send({ event: "problem", data: p });
      const offSources = logs.onSourcesChanged((sources) => channel.send({ event: "sources", data: { sources } }));
      return () => {
        offSources();
        logs.close();
      };
    },
    async pull(channel) {
      const batch = await logs.merger.next();
      if (channel.closed) return;
      if (!batch) {
        channel.send({ event: "end", data: {} });
        channel.close();
        return;
      }
      for (const line of batch) advance(cursor, line.source, line.time);
      channel.send({ id: encodeCursor(cursor), event: "lines", data: { lines: batch.map((l) => [l.source, l.time, l.text]) } });
    },
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
