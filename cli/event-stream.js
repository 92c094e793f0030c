// @ts-check
import { createParser } from "eventsource-parser";
import { describeNetworkError } from "./api-client.js";
import { nextDelay, sleep } from "./backoff.js";

// Follows one of Corral's server-sent event streams (the change stream, a log stream) the way
// a browser's EventSource does, with what a pipeline needs on top: a stream that drops or ends
// is opened again with backoff, sending the last event id as Last-Event-ID so the server
// resumes where it was; opening it goes through the client's retries (429 when too many
// streams are open, 503). Handlers run one at a time, in order.

/**
 * @typedef {{ event: string, id?: string, data: string }} StreamEvent
 * @typedef {"end" | void} Verdict  "end" stops following
 * @typedef {object} FollowOptions
 * @property {Record<string, string | number | boolean | undefined>} [query]
 * @property {string} [lastEventId] resume from here
 * @property {AbortSignal} [signal]
 * @property {(event: StreamEvent) => Promise<Verdict> | Verdict} onEvent
 * @property {(comment: string) => Promise<Verdict> | Verdict} [onComment]
 * @property {(info: { reconnected: boolean }) => Promise<Verdict> | Verdict} [onOpen]
 * @property {(message: string) => void} [onInterrupted]
 */

/**
 * Resolves when a handler says "end"; rejects when the stream cannot be opened (after the
 * client's retries) or the signal aborts.
 * @param {import("./api-client.js").ApiClient} client
 * @param {string} path
 * @param {FollowOptions} options
 * @returns {Promise<void>}
 */
export async function followEventStream(client, path, options) {
  let lastEventId = options.lastEventId;
  let drops = 0;
  for (let reconnected = false; ; reconnected = true) {
    const response = await client.send("GET", path, {
      query: options.query,
      signal: options.signal,
      headers: { accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
    });
    /** @type {(() => Promise<Verdict>)[]} */
    const queue = [];
    const parser = createParser({
      onEvent: (e) => {
        if (e.id !== undefined) lastEventId = e.id;
        queue.push(async () => options.onEvent({ event: e.event ?? "message", id: e.id, data: e.data }));
      },
      onComment: (comment) => {
        const handler = options.onComment;
        if (handler) queue.push(async () => handler(comment.trim()));
      },
    });
    if (options.onOpen && (await options.onOpen({ reconnected })) === "end") return void (await response.body?.cancel().catch(() => {}));
    let heard = false;
    let why = "the server closed the stream";
    const reader = /** @type {ReadableStream<Uint8Array>} */ (response.body).getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        /** @type {ReadableStreamReadResult<Uint8Array>} */
        let chunk;
        try {
          chunk = await reader.read();
        } catch (error) {
          // The connection broke; a handler's own error (below) is not caught here.
          if (options.signal?.aborted) throw options.signal.reason;
          why = describeNetworkError(error);
          break;
        }
        if (chunk.done) break;
        heard = true;
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        while (queue.length > 0) {
          const next = /** @type {() => Promise<Verdict>} */ (queue.shift());
          if ((await next()) === "end") return;
        }
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
    if (options.signal?.aborted) throw options.signal.reason;
    drops = heard ? 0 : drops + 1;
    const delay = nextDelay(drops, null);
    options.onInterrupted?.(`The stream was interrupted (${why}); reconnecting in ${(delay / 1000).toFixed(1)} s.`);
    await sleep(delay, options.signal);
  }
}
